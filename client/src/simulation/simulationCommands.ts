import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TuneParams } from '../../../server/src/protocol/simulation';
import { sendEditorRequest } from '../editorRequests';
import { SimulationReportPanel } from './reportPanel';

const VIEWER_TYPES = new Set(['k8sAudit.logViewer', 'k8sAudit.logViewer.openWith']);

/**
 * "Simulate Policy Against Log…" and "Tune Policy from Log…". Both take (uri, logs) arguments when
 * called from a CodeLens, another extension or a test; otherwise they ask for the logs: the sample
 * logs of the setting, a log open in the viewer, or a file.
 */
export function registerSimulationCommands(extensionUri: vscode.Uri, getClient: () => Promise<LanguageClient>): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('k8sAudit.simulatePolicy', async (uri?: vscode.Uri | string, logs?: string[]) => {
      const document = await policyDocument(uri);
      if (!document) {
        void vscode.window.showWarningMessage('Open an audit policy first: the active editor\'s policy is simulated.');
        return undefined;
      }
      // From a CodeLens (uri given) the configured sample logs are used as they are.
      const chosen = logs ?? (await pickLogs(getClient, uri === undefined, 'Simulate this policy against…'));
      if (chosen === null) return undefined;
      const panel = SimulationReportPanel.show(extensionUri, getClient, document, chosen);
      return panel.refresh();
    }),
    vscode.commands.registerCommand('k8sAudit.tunePolicy', async (uri?: vscode.Uri | string, logs?: string[]) => {
      const active = vscode.window.activeTextEditor?.document;
      const document = uri !== undefined ? await policyDocument(uri) : active?.languageId === 'yaml' ? active : undefined;
      const chosen = logs ?? (await pickLogs(getClient, true, 'Tune a policy for the traffic of…'));
      if (chosen === null) return undefined;
      const params: TuneParams = { ...(document ? { uri: document.uri.toString() } : {}), ...(chosen ? { logs: chosen } : {}) };
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Tuning the audit policy against the log…' }, async () =>
        sendEditorRequest(await getClient(), 'tune', params),
      );
      if ('error' in result) {
        void vscode.window.showErrorMessage(`Tune Policy: ${result.error}`);
        return result;
      }
      const proposal = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.report.policy });
      await vscode.window.showTextDocument(proposal, { viewColumn: vscode.ViewColumn.Beside, preview: false });
      return result;
    }),
  );
}

async function policyDocument(uri: vscode.Uri | string | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri === undefined) return vscode.window.activeTextEditor?.document;
  return vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
}

interface LogChoice extends vscode.QuickPickItem {
  logs?: string[] | 'browse';
}

/**
 * The logs to use: undefined for the configured sample logs, a list of files, or null when the user
 * cancelled. Without `ask`, the configured sample logs are taken when there are any.
 */
async function pickLogs(getClient: () => Promise<LanguageClient>, ask: boolean, title: string): Promise<string[] | undefined | null> {
  const configured = await sendEditorRequest(await getClient(), 'sampleLogs');
  if (!ask && configured.files.length > 0) return undefined;
  const items: LogChoice[] = [];
  if (configured.files.length > 0) {
    items.push({ label: 'Sample logs (k8sAudit.simulation.logs)', description: configured.files.map((f) => path.basename(f)).join(', ') });
  }
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      if (tab.input instanceof vscode.TabInputCustom && VIEWER_TYPES.has(tab.input.viewType) && tab.input.uri.scheme === 'file') {
        const file = tab.input.uri.fsPath;
        if (!items.some((item) => Array.isArray(item.logs) && item.logs[0] === file)) items.push({ label: path.basename(file), description: 'open in the log viewer', detail: file, logs: [file] });
      }
    }
  }
  items.push({ label: 'Choose log files…', logs: 'browse' });
  const picked = items.length === 1 ? items[0] : await vscode.window.showQuickPick(items, { title, placeHolder: 'An audit log (JSON lines, gzip, any format the viewer reads)' });
  if (!picked) return null;
  if (picked.logs !== 'browse') return picked.logs;
  const files = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Use as sample', title });
  return files?.length ? files.map((f) => f.fsPath) : null;
}
