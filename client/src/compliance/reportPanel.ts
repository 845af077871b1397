import * as vscode from 'vscode';
import { reportHtml } from '../../../server/src/cluster/compliance/render/html';
import { reportMarkdown } from '../../../server/src/cluster/compliance/render/markdown';
import type { ComplianceReportResult } from '../../../server/src/protocol/compliance';
import { webviewPage } from '../webviewPage';
import type { FromReportWebview, ToReportWebview } from '../../../server/src/protocol/compliancePage';

/**
 * The "Audit Compliance Report" panel: one webview showing the latest report. It renders the report
 * itself (text only); the panel answers its requests: open an evidence line, export, add logs, refresh.
 */
export class ReportPanel {
  private static current: ReportPanel | undefined;
  private latest: ToReportWebview | undefined;

  static show(extensionUri: vscode.Uri, actions: { refresh(): Promise<void>; addLogs(logs: string[]): Promise<void> }): ReportPanel {
    if (ReportPanel.current) {
      ReportPanel.current.panel.reveal(undefined, true);
      ReportPanel.current.actions = actions;
      return ReportPanel.current;
    }
    const panel = vscode.window.createWebviewPanel('k8sAudit.complianceReport', 'Audit Compliance Report', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    ReportPanel.current = new ReportPanel(panel, extensionUri, actions);
    return ReportPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private actions: { refresh(): Promise<void>; addLogs(logs: string[]): Promise<void> },
  ) {
    panel.webview.html = webviewPage(panel.webview, extensionUri, { bundle: 'compliance', title: 'Audit Compliance Report', label: 'Audit compliance report', role: 'main' });
    panel.webview.onDidReceiveMessage((message: FromReportWebview) => void this.handle(message));
    panel.onDidDispose(() => {
      if (ReportPanel.current === this) ReportPanel.current = undefined;
    });
  }

  /** The latest report shown, for export without the webview (other extensions, tests). */
  static latestResult(): ComplianceReportResult | undefined {
    const latest = ReportPanel.current?.latest;
    return latest?.type === 'report' ? latest.result : undefined;
  }

  post(message: ToReportWebview): void {
    if (message.type !== 'busy') this.latest = message;
    void this.panel.webview.postMessage(message);
  }

  private async handle(message: FromReportWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        // A webview shown again is a new page: it gets the latest report.
        if (this.latest) void this.panel.webview.postMessage(this.latest);
        return;
      case 'openEvidence':
        await openEvidence(message.file, message.line);
        return;
      case 'export': {
        const result = ReportPanel.latestResult();
        if (result) await exportReport(result, message.format);
        return;
      }
      case 'addLogs': {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: true, openLabel: 'Add to the report', title: 'Audit logs to use as evidence', filters: { 'Audit logs': ['log', 'jsonl', 'json', 'gz'], 'All files': ['*'] } });
        if (picked?.length) await this.actions.addLogs(picked.map((uri) => uri.fsPath));
        return;
      }
      case 'refresh':
        await this.actions.refresh();
        return;
    }
  }
}

/** Opens an evidence file at its line, as text (a log too: the line is what matters). */
async function openEvidence(file: string, line: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  try {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(position, position), preview: true, viewColumn: vscode.ViewColumn.Beside });
  } catch (error) {
    void vscode.window.showErrorMessage(`Cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Writes the report as Markdown or HTML to a file the user picks (or `target`). Returns where it went. */
export async function exportReport(result: ComplianceReportResult, format: 'markdown' | 'html', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const extension = format === 'markdown' ? 'md' : 'html';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export the compliance report',
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `audit-compliance-report.${extension}`) } : {}),
      filters: format === 'markdown' ? { Markdown: ['md'] } : { HTML: ['html'] },
    }));
  if (!uri) return undefined;
  const text = format === 'markdown' ? reportMarkdown(result.report) : reportHtml(result.report);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}
