import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  LogMethods,
  type LogChangedParams,
  type LogCloseParams,
  type LogEventParams,
  type LogEventResult,
  type LogOpenParams,
  type LogOpenResult,
  type LogRowsParams,
  type LogRowsResult,
} from '../../../server/src/protocol/logSession';
import type { FromWebviewMessage, ToWebviewMessage } from './protocol';
import { logViewerHtml } from './webviewHtml';

const VIEW_TYPE = 'k8sAudit.logViewer';

/**
 * Read-only custom editor for audit logs. The file is read by the language server (never through
 * VS Code's text model, which refuses files over 50 MB); the webview only receives rows.
 */
export class LogViewerProvider implements vscode.CustomReadonlyEditorProvider {
  static register(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): vscode.Disposable {
    const provider = new LogViewerProvider(context.extensionUri, getClient);
    // Growth and rotation of open logs, forwarded to the webview of their session.
    void getClient().then((client) =>
      context.subscriptions.push(
        client.onNotification(LogMethods.changed, ({ sessionId, ...change }: LogChangedParams) => provider.webviews.get(sessionId)?.({ type: 'changed', ...change })),
      ),
    );
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, { supportsMultipleEditorsPerDocument: true }),
      vscode.commands.registerCommand('k8sAudit.openRaw', (uri?: vscode.Uri) => openRaw(uri ?? activeLogUri())),
    );
  }

  /** How to reach the webview of each open server session. */
  private readonly webviews = new Map<number, (message: ToWebviewMessage) => void>();

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly getClient: () => Promise<LanguageClient>,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')] };
    webview.html = logViewerHtml(webview, this.extensionUri);
    const post = (message: ToWebviewMessage) => void webview.postMessage(message);
    // One server session per editor. A webview that was hidden comes back as a new page and says
    // `ready` again: it gets the same session.
    let session: Promise<OpenedLog | undefined> | undefined;
    const sessionId = () => (session ?? Promise.resolve(undefined)).then((opened) => opened?.sessionId);
    const subscription = webview.onDidReceiveMessage((message: FromWebviewMessage) => {
      switch (message.type) {
        case 'ready':
          session ??= this.open(document.uri);
          void session.then((opened) => {
            if (opened?.sessionId !== undefined) this.webviews.set(opened.sessionId, post);
            post(opened?.message ?? { type: 'error', message: 'The log could not be opened.' });
          });
          break;
        case 'getRows':
          void sessionId().then((id) => (id === undefined ? undefined : this.sendRows(id, message, post)));
          break;
        case 'getEvent':
          void sessionId().then((id) => (id === undefined ? undefined : this.sendEvent(id, message, post)));
          break;
        case 'copy':
          void vscode.env.clipboard.writeText(message.text);
          break;
        case 'openRaw':
          void openRaw(document.uri, message.line);
          break;
      }
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      void sessionId().then(async (id) => {
        if (id === undefined) return;
        this.webviews.delete(id);
        const params: LogCloseParams = { sessionId: id };
        await (await this.getClient()).sendRequest(LogMethods.close, params);
      });
    });
  }

  private async open(uri: vscode.Uri): Promise<OpenedLog> {
    if (uri.scheme !== 'file') {
      return { message: { type: 'error', message: `Only files on disk can be opened as audit logs (this one is ${uri.scheme}:).` } };
    }
    try {
      const client = await this.getClient();
      const params: LogOpenParams = { path: uri.fsPath };
      const { sessionId, ...summary } = await client.sendRequest<LogOpenResult>(LogMethods.open, params);
      return { sessionId, message: { type: 'opened', fileName: path.basename(uri.fsPath), ...summary } };
    } catch (error) {
      return { message: { type: 'error', message: `Could not read ${uri.fsPath}: ${errorText(error)}` } };
    }
  }

  private async sendEvent(sessionId: number, request: Extract<FromWebviewMessage, { type: 'getEvent' }>, post: (message: ToWebviewMessage) => void): Promise<void> {
    try {
      const params: LogEventParams = { sessionId, index: request.index, reveal: request.reveal };
      const event = await (await this.getClient()).sendRequest<LogEventResult>(LogMethods.event, params);
      post({ type: 'event', requestId: request.requestId, ...event });
    } catch (error) {
      post({ type: 'error', requestId: request.requestId, message: errorText(error) });
    }
  }

  private async sendRows(sessionId: number, request: Extract<FromWebviewMessage, { type: 'getRows' }>, post: (message: ToWebviewMessage) => void): Promise<void> {
    try {
      const params: LogRowsParams = { sessionId, start: request.start, count: request.count };
      const result = await (await this.getClient()).sendRequest<LogRowsResult>(LogMethods.rows, params);
      post({ type: 'rows', requestId: request.requestId, start: result.start, rows: result.rows });
    } catch (error) {
      post({ type: 'error', requestId: request.requestId, message: errorText(error) });
    }
  }
}

/** A log as the server opened it, or why it could not. */
interface OpenedLog {
  sessionId?: number;
  message: ToWebviewMessage;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
