import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { SimulateParams, SimulateResult } from '../../../server/src/protocol/simulation';
import { sendEditorRequest } from '../editorRequests';
import { webviewPage } from '../webviewPage';
import type { CompareMode, FromReportMessage, ToReportMessage } from '../../../server/src/protocol/simulationPage';

/** Edits to the policy re-run the report after this pause. */
const DEBOUNCE_MS = 400;

/**
 * The report of one policy over its sample logs, beside the policy: bytes per day by rule and level,
 * exposures with links to their rules, the comparison with the saved file or git HEAD. Follows the
 * policy's edits. One panel per policy: asking again shows it.
 */
export class SimulationReportPanel {
  private static readonly panels = new Map<string, SimulationReportPanel>();
  private compare: CompareMode = 'none';
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  /** Messages wait here until the page's script listens (it says 'ready'); only the latest state matters. */
  private pending: ToReportMessage[] | undefined = [];
  /** The last report or error posted: a page loaded again (its tab was hidden) is given it. */
  private shown: ToReportMessage | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last report shown (tests read it). */
  lastResult: SimulateResult | undefined;

  static show(extensionUri: vscode.Uri, getClient: () => Promise<LanguageClient>, document: vscode.TextDocument, logs: string[] | undefined): SimulationReportPanel {
    const key = document.uri.toString();
    const known = SimulationReportPanel.panels.get(key);
    if (known) {
      known.logs = logs;
      known.panel.reveal(vscode.ViewColumn.Beside, true);
      return known;
    }
    const panel = vscode.window.createWebviewPanel('k8sAudit.simulationReport', `Simulation: ${path.basename(document.uri.path)}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    panel.webview.html = webviewPage(panel.webview, extensionUri, { bundle: 'simulationReport', title: 'Audit policy simulation', label: 'Audit policy simulation report' });
    const created = new SimulationReportPanel(panel, getClient, document, logs);
    SimulationReportPanel.panels.set(key, created);
    return created;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly getClient: () => Promise<LanguageClient>,
    private readonly document: vscode.TextDocument,
    private logs: string[] | undefined,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((message: FromReportMessage) => this.receive(message)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document.uri.toString() !== document.uri.toString()) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.refresh(), DEBOUNCE_MS);
      }),
      vscode.workspace.onDidSaveTextDocument((saved) => {
        if (saved.uri.toString() === document.uri.toString() && this.compare === 'saved') void this.refresh();
      }),
    );
    panel.onDidDispose(() => {
      clearTimeout(this.timer);
      SimulationReportPanel.panels.delete(document.uri.toString());
      for (const disposable of this.disposables) disposable.dispose();
    });
  }

  private post(message: ToReportMessage): void {
    if (message.type !== 'loading') this.shown = message;
    if (this.pending) this.pending = message.type === 'loading' ? [...this.pending, message] : [message];
    else void this.panel.webview.postMessage(message);
  }

  private receive(message: FromReportMessage): void {
    switch (message.type) {
      case 'ready':
        this.pageReady();
        break;
      case 'refresh':
        void this.refresh();
        break;
      case 'setCompare':
        this.compare = message.mode;
        void this.refresh();
        break;
      case 'openRule':
        void openAtLine(this.document.uri, message.line);
        break;
    }
  }

  /**
   * The page listens: it gets what was posted before it did, or (a page loaded again after its tab was
   * hidden) the last report. The command that opened the panel started the simulation; simulating again
   * here would draw the report twice, the second time under the user's pointer.
   */
  private pageReady(): void {
    const waiting = this.pending;
    this.pending = undefined;
    if (waiting && waiting.length > 0) for (const message of waiting) this.post(message);
    else if (this.shown) this.post(this.shown);
    else if (this.generation === 0) void this.refresh();
  }

  /** Asks the server for the report of the policy's current text and shows it. */
  async refresh(): Promise<SimulateResult | undefined> {
    const generation = ++this.generation;
    this.post({ type: 'loading', policy: path.basename(this.document.uri.path) });
    const params: SimulateParams = { uri: this.document.uri.toString(), ...(this.logs ? { logs: this.logs } : {}) };
    let compareError: string | undefined;
    if (this.compare !== 'none') {
      try {
        params.compare = await compareText(this.document.uri, this.compare);
      } catch (error) {
        compareError = error instanceof Error ? error.message : String(error);
      }
    }
    let result: SimulateResult;
    try {
      result = await sendEditorRequest(await this.getClient(), 'simulate', params);
    } catch (error) {
      result = { error: error instanceof Error ? error.message : String(error) };
    }
    // A newer refresh started meanwhile (an edit): its answer is the one to show.
    if (generation !== this.generation) return undefined;
    this.lastResult = result;
    if ('error' in result) this.post({ type: 'error', message: result.error });
    else this.post({ type: 'report', report: result.report, compare: this.compare, ...(compareError ? { compareError } : {}) });
    return result;
  }
}

async function openAtLine(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preserveFocus: false });
  const position = new vscode.Position(line, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** The other version of the policy: the file as saved, or at git HEAD. */
async function compareText(uri: vscode.Uri, mode: Exclude<CompareMode, 'none'>): Promise<{ label: string; text: string }> {
  if (uri.scheme !== 'file') throw new Error('only a file on disk has a saved version or a git history');
  const file = uri.fsPath;
  if (mode === 'saved') return { label: 'the saved file', text: await readFile(file, 'utf8') };
  const text = await new Promise<string>((resolve, reject) => {
    execFile('git', ['show', `HEAD:./${path.basename(file)}`], { cwd: path.dirname(file), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`git show HEAD: ${(stderr || error.message).trim().split('\n')[0]}`));
      else resolve(stdout);
    });
  });
  return { label: 'git HEAD', text };
}
