import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ComplianceReportParams, ComplianceReportResult } from '../../../server/src/protocol/compliance';
import { sendEditorRequest } from '../editorRequests';
import { exportReport, ReportPanel } from './reportPanel';

/** Audit logs in the workspace larger than this are not read for the report unless picked. */
const MAX_AUTO_LOG_BYTES = 50 * 1024 * 1024;
const EXCLUDE = '**/{node_modules,.git,dist,out}/**';

/**
 * "Audit Compliance Report": the report over the audit setup found in the workspace (every YAML and JSON
 * file is offered to the server, which keeps the setup files), the policy their flags name, and the
 * workspace's audit logs. With a ComplianceReportParams argument (other extensions, tests) it searches
 * nothing and returns the result.
 */
export function registerComplianceCommands(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): vscode.Disposable[] {
  let lastParams: ComplianceReportParams = {};
  const run = async (params: ComplianceReportParams): Promise<ComplianceReportResult | undefined> => {
    lastParams = params;
    const panel = ReportPanel.show(context.extensionUri, {
      refresh: () => run(lastParams).then(() => undefined),
      addLogs: (logs) => run({ ...lastParams, logs: [...new Set([...(lastParams.logs ?? []), ...logs])] }).then(() => undefined),
    });
    panel.post({ type: 'busy', text: 'Reading the audit setup…' });
    try {
      const client = await getClient();
      const result = await sendEditorRequest(client, 'complianceReport', params);
      panel.post({ type: 'report', result, folders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) });
      return result;
    } catch (error) {
      panel.post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  };

  return [
    vscode.commands.registerCommand('k8sAudit.complianceReport', async (given?: ComplianceReportParams) => run(given ?? (await workspaceInputs()))),
    // Export without the webview's buttons (tests, other extensions): the latest report, to `target` or a picked file.
    vscode.commands.registerCommand('k8sAudit.exportComplianceReport', async (format: 'markdown' | 'html' = 'markdown', target?: vscode.Uri) => {
      const result = ReportPanel.latestResult();
      if (!result) {
        void vscode.window.showWarningMessage('Run "Audit Compliance Report" first.');
        return undefined;
      }
      return exportReport(result, format, target);
    }),
  ];
}

/** What the workspace offers: its YAML and JSON files (the server keeps the setup files) and its audit logs. */
async function workspaceInputs(): Promise<ComplianceReportParams> {
  const files = await vscode.workspace.findFiles('**/*.{yaml,yml,json}', EXCLUDE, 500);
  const active = vscode.window.activeTextEditor?.document;
  const candidates = files.filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
  if (active?.uri.scheme === 'file' && !candidates.includes(active.uri.fsPath)) candidates.unshift(active.uri.fsPath);
  const logs: string[] = [];
  for (const uri of await vscode.workspace.findFiles('**/{audit.log,*.audit.log,audit-*.log}', EXCLUDE, 10)) {
    try {
      if ((await vscode.workspace.fs.stat(uri)).size <= MAX_AUTO_LOG_BYTES) logs.push(uri.fsPath);
    } catch {
      // A file that vanished since the search is simply not used.
    }
  }
  return { candidates, logs };
}
