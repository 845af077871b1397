import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { K8sAuditApi } from '../../client/src/api';

export const EXTENSION_ID = 'k8s-audit-tools.k8s-audit';

export async function activateExtension(): Promise<{ extension: vscode.Extension<K8sAuditApi>; api: K8sAuditApi }> {
  const extension = vscode.extensions.getExtension<K8sAuditApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  await api.serverReady;
  return { extension, api };
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test workspace is not open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Resolves with the diagnostics of `uri` once `accept` holds for them. Event driven: no sleeps,
 * only a deadline so that a missing diagnostic fails the test instead of hanging it.
 */
export function diagnosticsFor(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 20_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const current = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'k8s-audit');
      if (!accept(current)) return false;
      clearTimeout(timer);
      listener.dispose();
      resolve(current);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for diagnostics on ${uri.path}; have: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`));
    }, timeoutMs);
    check();
  });
}
