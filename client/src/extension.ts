import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { K8sAuditApi } from './api';
import { registerClickHouseCommands } from './auditLog/clickhouseViewer';
import { LogViewerProvider } from './auditLog/logViewerProvider';
import { ViewerRelay } from './auditLog/viewerRelay';
import { registerComplianceCommands } from './compliance/complianceCommand';
import { createLanguageClient } from './languageClient';
import { registerExplainCommand } from './policyExplain';
import { registerSimulationCommands } from './simulation/simulationCommands';

let client: LanguageClient | undefined;

export function activate(context: vscode.ExtensionContext): K8sAuditApi {
  const started = performance.now();
  const languageClient = createLanguageClient(context);
  client = languageClient;
  const timings: { activateMs: number; serverReadyMs: number | undefined } = { activateMs: 0, serverReadyMs: undefined };
  // Not awaited: activation returns at once and the server starts in the background.
  const serverReady = languageClient.start().then(() => {
    timings.serverReadyMs = performance.now() - started;
  });
  serverReady.catch((error: unknown) => {
    void vscode.window.showErrorMessage(`Kubernetes Audit: the language server failed to start: ${String(error)}`);
  });

  const relay = new ViewerRelay(context.extensionUri, () => serverReady.then(() => languageClient));
  relay.listen(context);
  const logViewers = LogViewerProvider.register(relay);
  context.subscriptions.push(
    languageClient,
    logViewers,
    registerClickHouseCommands(context, relay),
    vscode.commands.registerCommand('k8sAudit.restartServer', () => languageClient.restart()),
    registerExplainCommand(() => serverReady.then(() => languageClient)),
    ...registerComplianceCommands(context, () => serverReady.then(() => languageClient)),
    registerSimulationCommands(context.extensionUri, () => serverReady.then(() => languageClient)),
  );
  timings.activateMs = performance.now() - started;
  return { serverReady, timings, logViewers: logViewers.api };
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
