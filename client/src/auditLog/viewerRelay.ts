import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PAGE_METHODS, VIEWER_STATUS_NOTIFICATION, viewerMethodName, type ViewerMethod, type ViewerParams, type ViewerResult, type ViewerStatus, type ViewerStatusParams } from '../../../server/src/protocol/logViewer';
import { counted } from '../../../server/src/protocol/wording';
import type { FromWebviewMessage, PageRequest, ToWebviewMessage } from '../../../server/src/protocol/logViewerPage';
import { logViewerHtml } from './webviewHtml';

type Post = (message: ToWebviewMessage) => void;

/** A log as the server opened it, or why it could not. */
export interface OpenedLog {
  sessionId?: number;
  message: ToWebviewMessage;
}

/** What a viewer does that depends on where its rows come from (a file, a ClickHouse table). */
export interface ViewerActions {
  /** Save the current result (the user picks where). */
  export(sessionId: number, format: 'jsonl' | 'csv'): Promise<void>;
  /** Show the source as text at a 1-based line; absent when there is no file to show. */
  openRaw?(line?: number): Promise<void>;
}

/**
 * Relays between viewer webviews and their sessions in the language server: the webview's requests
 * go to the server, the answers and the server's status notifications come back. Whatever the rows
 * come from, a viewer is one webview page and one server session.
 */
export class ViewerRelay {
  /** How to reach the webview of each open server session. */
  private readonly webviews = new Map<number, Post>();
  /**
   * The latest status of each session since its `open` answered, for a webview that says `ready` after
   * it was sent: the server reads while the webview loads, and a webview shown again is a new page.
   */
  private readonly latestStatus = new Map<number, ViewerStatus>();

  private readonly statusEmitter = new vscode.EventEmitter<{ sessionId: number; status: ViewerStatus }>();
  /** Fires with every status the server sends (after the webview has it). */
  readonly onDidReceiveStatus = this.statusEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly getClient: () => Promise<LanguageClient>,
  ) {}

  /** Forwards the server's status notifications (indexing progress, growth, rotation, new rows) to their webviews. */
  listen(context: vscode.ExtensionContext): void {
    context.subscriptions.push(this.statusEmitter);
    void this.getClient().then((client) =>
      context.subscriptions.push(
        client.onNotification(VIEWER_STATUS_NOTIFICATION, ({ sessionId, status, reset }: ViewerStatusParams) => {
          this.latestStatus.set(sessionId, status);
          this.webviews.get(sessionId)?.({ type: 'status', status, reset });
          this.statusEmitter.fire({ sessionId, status });
        }),
      ),
    );
  }

  /** Statuses sent while the server was opening a session are older than the one in its answer. */
  opened(sessionId: number): void {
    this.latestStatus.delete(sessionId);
  }

  /**
   * Shows the viewer page in `panel` and relays its messages to the session `session` opens (one
   * session per panel, opened while the page loads). Closing the panel closes the session.
   */
  connect(panel: vscode.WebviewPanel, session: Promise<OpenedLog>, actions: ViewerActions, onClosed: (sessionId: number) => void = () => undefined): void {
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')] };
    webview.html = logViewerHtml(webview, this.extensionUri);
    const post: Post = (message) => void webview.postMessage(message);
    /** A page request goes to the page's session as it is; its answer, or its error in words, comes back with its id. */
    const relay = async (request: PageRequest) => {
      const opened = await session;
      try {
        if (opened.sessionId === undefined) throw new Error('the log is not open');
        if (!(PAGE_METHODS as readonly string[]).includes(request.method)) throw new Error(`unknown viewer request ${request.method}`);
        const params = { ...request.params, sessionId: opened.sessionId } as unknown as ViewerParams<typeof request.method>;
        post({ type: 'answer', id: request.id, result: await sendViewerRequest(await this.getClient(), request.method, params) });
      } catch (error) {
        post({ type: 'answer', id: request.id, error: errorText(error) });
      }
    };
    const subscription = webview.onDidReceiveMessage((message: FromWebviewMessage) => {
      switch (message.type) {
        case 'ready':
          // A webview that was hidden comes back as a new page and says `ready` again: it gets the same session.
          void session.then((opened) => {
            post(opened.message);
            if (opened.sessionId === undefined) return;
            this.webviews.set(opened.sessionId, post);
            const latest = this.latestStatus.get(opened.sessionId);
            if (latest) post({ type: 'status', status: latest, reset: false });
          });
          break;
        case 'request':
          void relay(message);
          break;
        case 'export':
          void session.then(({ sessionId }) => (sessionId === undefined ? undefined : actions.export(sessionId, message.format)));
          break;
        case 'copy':
          void vscode.env.clipboard.writeText(message.text);
          break;
        case 'openRaw':
          void actions.openRaw?.(message.line);
          break;
      }
    });
    panel.onDidDispose(() => {
      subscription.dispose();
      void session.then(async ({ sessionId }) => {
        if (sessionId === undefined) return;
        this.webviews.delete(sessionId);
        this.latestStatus.delete(sessionId);
        onClosed(sessionId);
        await sendViewerRequest(await this.getClient(), 'close', { sessionId });
      });
    });
  }
}

/** A request of the viewer's table, typed by it: the method names its params and its result. */
export function sendViewerRequest<M extends ViewerMethod>(client: LanguageClient, method: M, params: ViewerParams<M>): Promise<ViewerResult<M>> {
  return client.sendRequest<ViewerResult<M>>(viewerMethodName(method), params);
}

export function errorText(error: unknown): string {
  // The language server wraps what a handler threw as "Request METHOD failed with message: ...": the user needs only the message.
  return (error instanceof Error ? error.message : String(error)).replace(/^Request \S+ failed with message: /, '');
}

/** Asks where to save the filtered rows (suggesting `suggested`), then has the server write them, with progress. */
export async function exportViewerResult(client: LanguageClient, sessionId: number, format: 'jsonl' | 'csv', suggested: vscode.Uri): Promise<void> {
  const target = await vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON lines': ['jsonl'] },
    title: 'Export the filtered requests',
  });
  if (!target) return;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting to ${path.basename(target.fsPath)}...` }, () =>
      sendViewerRequest(client, 'export', { sessionId, format, path: target.fsPath }),
    );
    void vscode.window.showInformationMessage(`Exported ${counted(result.rows, 'request')} to ${target.fsPath}.`);
  } catch (error) {
    void vscode.window.showErrorMessage(`Export failed: ${errorText(error)}`);
  }
}
