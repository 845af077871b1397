import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The bundled language server, started over Node IPC. */
export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    // All YAML and JSON files: the server itself decides which ones are audit policies or audit-setup
    // files (apiserver manifests, kubeadm/k3s config, managed-cluster settings) and stays silent on the
    // rest, so Red Hat YAML and the JSON service keep working on them.
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'untitled', language: 'json' },
    ],
    synchronize: {
      configurationSection: 'k8sAudit',
      // A policy edited outside the editor changes the findings of the manifests that name it.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}'),
    },
    outputChannelName: 'Kubernetes Audit',
  };
  return new LanguageClient('k8sAudit', 'Kubernetes Audit', serverOptions, clientOptions);
}
