import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ViewerStatus } from '../../../server/src/protocol/logViewer';
import type { LogViewersApi } from '../api';
import { errorText, exportViewerResult, sendViewerRequest, ViewerRelay, type OpenedLog } from './viewerRelay';

/** The default editor of audit.log-like names, and the same viewer offered by "Open With..." for other logs. */
const VIEW_TYPES = ['k8sAudit.logViewer', 'k8sAudit.logViewer.openWith'];

/**
 * Read-only custom editor for audit logs. The language server reads and indexes the file (never
 * VS Code's text model, which refuses files over 50 MB); the relay carries the webview's requests
 * and the server's answers.
 */
export class LogViewerProvider implements vscode.CustomReadonlyEditorProvider {
  /** The file of each open session, and the latest status read from each file (for the extension's API). */
  private readonly sessionUris = new Map<number, vscode.Uri>();
  private readonly statusByUri = new Map<string, ViewerStatus>();
  private readonly statusChanged = new vscode.EventEmitter<vscode.Uri>();

  static register(relay: ViewerRelay): vscode.Disposable & { api: LogViewersApi } {
    const provider = new LogViewerProvider(relay);
    const registrations = vscode.Disposable.from(
      provider.statusChanged,
      relay.onDidReceiveStatus(({ sessionId, status }) => provider.noteStatus(sessionId, status)),
      ...VIEW_TYPES.map((viewType) => vscode.window.registerCustomEditorProvider(viewType, provider, { supportsMultipleEditorsPerDocument: true })),
      vscode.commands.registerCommand('k8sAudit.openRaw', (uri?: vscode.Uri) => openRaw(uri ?? activeLogUri())),
    );
    const api: LogViewersApi = { status: (uri) => provider.statusByUri.get(uri.toString()), onDidChangeStatus: provider.statusChanged.event };
    return Object.assign(registrations, { api });
  }

  /** A session's new status, for the API of the file it shows. */
  private noteStatus(sessionId: number, status: ViewerStatus): void {
    const uri = this.sessionUris.get(sessionId);
    if (!uri) return;
    this.statusByUri.set(uri.toString(), status);
    this.statusChanged.fire(uri);
  }

  private constructor(private readonly relay: ViewerRelay) {}

  private get getClient(): () => Promise<LanguageClient> {
    return this.relay.getClient;
  }

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    // One server session per editor, opened now: the server indexes while the webview loads (300 ms
    // to over a second), so the first rows are there when it says `ready`.
    const uri = document.uri;
    const base = path.basename(uri.fsPath).replace(/\.(log|jsonl?|gz)$/i, '');
    this.relay.connect(
      panel,
      this.open(uri),
      {
        export: async (sessionId, format) => exportViewerResult(await this.getClient(), sessionId, format, vscode.Uri.joinPath(uri, '..', `${base}-filtered.${format}`)),
        openRaw: (line) => openRaw(uri, line),
      },
      (sessionId) => {
        this.sessionUris.delete(sessionId);
        if (![...this.sessionUris.values()].some((other) => other.toString() === uri.toString())) this.statusByUri.delete(uri.toString());
      },
    );
  }

  private async open(uri: vscode.Uri): Promise<OpenedLog> {
    if (uri.scheme !== 'file') {
      return { message: { type: 'error', message: `Only files on disk can be opened as audit logs (this one is ${uri.scheme}:).` } };
    }
    try {
      const client = await this.getClient();
      const { sessionId, status, firstRows } = await sendViewerRequest(client, 'open', { path: uri.fsPath });
      this.relay.opened(sessionId);
      this.sessionUris.set(sessionId, uri);
      this.noteStatus(sessionId, status);
      return { sessionId, message: { type: 'opened', source: 'file', fileName: path.basename(uri.fsPath), status, firstRows } };
    } catch (error) {
      return { message: { type: 'error', message: `Could not read ${uri.fsPath}: ${errorText(error)}` } };
    }
  }
}

function activeLogUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.uri : undefined;
}

async function openRaw(uri: vscode.Uri | undefined, line?: number): Promise<void> {
  if (!uri) return;
  const options: vscode.TextDocumentShowOptions = {};
  if (line !== undefined) options.selection = new vscode.Range(line - 1, 0, line - 1, 0);
  await vscode.commands.executeCommand('vscode.openWith', uri, 'default', options);
}
