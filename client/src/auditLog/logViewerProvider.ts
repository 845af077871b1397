import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  ViewerMethods,
  type FacetFieldName,
  type ViewerCheckPathParams,
  type ViewerCompleteParams,
  type ViewerCompletion,
  type ViewerPathCheck,
  type ViewerCloseParams,
  type ViewerEventParams,
  type ViewerEventResult,
  type ViewerExportParams,
  type ViewerExportResult,
  type ViewerFacet,
  type ViewerFacetsParams,
  type ViewerOpenParams,
  type ViewerOpenResult,
  type ViewerQueryParams,
  type ViewerQueryResult,
  type ViewerRowsParams,
  type ViewerRowsResult,
  type ViewerStatus,
  type ViewerStatusParams,
  type ViewerTimeline,
  type ViewerTimelineParams,
} from '../../../server/src/protocol/logViewer';
import { counted } from '../../../server/src/auditlog/viewer/counted';
import type { LogViewersApi } from '../api';
import type { FromWebviewMessage, ToWebviewMessage } from './protocol';
import { logViewerHtml } from './webviewHtml';

/** The default editor of audit.log-like names, and the same viewer offered by "Open With..." for other logs. */
const VIEW_TYPES = ['k8sAudit.logViewer', 'k8sAudit.logViewer.openWith'];
const FACET_FIELDS: FacetFieldName[] = ['user', 'verb', 'resource', 'namespace', 'code', 'userAgent'];

type Post = (message: ToWebviewMessage) => void;

/**
 * Read-only custom editor for audit logs. The language server reads and indexes the file (never
 * VS Code's text model, which refuses files over 50 MB); this provider only relays the webview's
 * requests and the server's answers.
 */
export class LogViewerProvider implements vscode.CustomReadonlyEditorProvider {
  /** How to reach the webview of each open server session. */
  private readonly webviews = new Map<number, Post>();
  /**
   * The latest status of each session since its `open` answered, for a webview that says `ready` after
   * it was sent: the server indexes while the webview loads, and a webview shown again is a new page.
   */
  private readonly latestStatus = new Map<number, ViewerStatus>();
  /** The file of each open session, and the latest status read from each file (for the extension's API). */
  private readonly sessionUris = new Map<number, vscode.Uri>();
  private readonly statusByUri = new Map<string, ViewerStatus>();
  private readonly statusChanged = new vscode.EventEmitter<vscode.Uri>();

  static register(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): vscode.Disposable & { api: LogViewersApi } {
    const provider = new LogViewerProvider(context.extensionUri, getClient);
    // Indexing progress, growth and rotation of open logs, forwarded to the webview of their session.
    void getClient().then((client) =>
      context.subscriptions.push(
        client.onNotification(ViewerMethods.status, ({ sessionId, status, reset }: ViewerStatusParams) => {
          provider.latestStatus.set(sessionId, status);
          provider.noteStatus(sessionId, status);
          provider.webviews.get(sessionId)?.({ type: 'status', status, reset });
        }),
      ),
    );
    const registrations = vscode.Disposable.from(
      provider.statusChanged,
      ...VIEW_TYPES.map((viewType) => vscode.window.registerCustomEditorProvider(viewType, provider, { supportsMultipleEditorsPerDocument: true })),
      vscode.commands.registerCommand('k8sAudit.openRaw', (uri?: vscode.Uri) => openRaw(uri ?? activeLogUri())),
    );
    const api: LogViewersApi = { status: (uri) => provider.statusByUri.get(uri.toString()), onDidChangeStatus: provider.statusChanged.event };
    return Object.assign(registrations, { api });
  }

  private noteStatus(sessionId: number, status: ViewerStatus): void {
    const uri = this.sessionUris.get(sessionId);
    if (!uri) return;
    this.statusByUri.set(uri.toString(), status);
    this.statusChanged.fire(uri);
  }

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
    const post: Post = (message) => void webview.postMessage(message);
    // One server session per editor, opened now: the server indexes while the webview loads (300 ms
    // to over a second), so the first rows are there when it says `ready`. A webview that was hidden
    // comes back as a new page and says `ready` again: it gets the same session.
    const session: Promise<OpenedLog> = this.open(document.uri);
    const withSession = async <T>(requestId: number, work: (client: LanguageClient, sessionId: number) => Promise<T>, reply: (value: T) => ToWebviewMessage) => {
      const opened = await session;
      if (opened?.sessionId === undefined) return;
      try {
        post(reply(await work(await this.getClient(), opened.sessionId)));
      } catch (error) {
        post({ type: 'error', requestId, message: errorText(error) });
      }
    };
    const subscription = webview.onDidReceiveMessage((message: FromWebviewMessage) => {
      switch (message.type) {
        case 'ready':
          void session.then((opened) => {
            post(opened.message);
            if (opened.sessionId === undefined) return;
            this.webviews.set(opened.sessionId, post);
            const latest = this.latestStatus.get(opened.sessionId);
            if (latest) post({ type: 'status', status: latest, reset: false });
          });
          break;
        case 'getRows':
          void withSession(
            message.requestId,
            (client, sessionId) =>
              client.sendRequest<ViewerRowsResult>(ViewerMethods.rows, { sessionId, start: message.start, count: message.count, paths: message.paths } satisfies ViewerRowsParams),
            (result) => ({ type: 'rows', requestId: message.requestId, start: result.start, rows: result.rows }),
          );
          break;
        case 'checkPath':
          void withSession(
            message.requestId,
            (client) => client.sendRequest<ViewerPathCheck>(ViewerMethods.checkPath, { path: message.path } satisfies ViewerCheckPathParams),
            (result) => ({ type: 'pathChecked', requestId: message.requestId, result }),
          );
          break;
        case 'complete':
          void withSession(
            message.requestId,
            (client, sessionId) =>
              client.sendRequest<ViewerCompletion>(ViewerMethods.complete, { sessionId, text: message.text, cursor: message.cursor } satisfies ViewerCompleteParams),
            (completion) => ({ type: 'completions', requestId: message.requestId, completion }),
          );
          break;
        case 'setQuery':
          void withSession(
            message.requestId,
            (client, sessionId) => client.sendRequest<ViewerQueryResult>(ViewerMethods.query, { sessionId, query: message.query, sort: message.sort } satisfies ViewerQueryParams),
            (result) => ({ type: 'queryResult', requestId: message.requestId, result }),
          );
          break;
        case 'getFacets':
          void withSession(
            message.requestId,
            (client, sessionId) => client.sendRequest<ViewerFacet[]>(ViewerMethods.facets, { sessionId, fields: FACET_FIELDS } satisfies ViewerFacetsParams),
            (facets) => ({ type: 'facets', requestId: message.requestId, facets }),
          );
          break;
        case 'getTimeline':
          void withSession(
            message.requestId,
            (client, sessionId) => client.sendRequest<ViewerTimeline>(ViewerMethods.timeline, { sessionId, buckets: message.buckets } satisfies ViewerTimelineParams),
            (timeline) => ({ type: 'timeline', requestId: message.requestId, timeline }),
          );
          break;
        case 'export':
          void session.then(({ sessionId }) => (sessionId === undefined ? undefined : this.export(document.uri, sessionId, message.format)));
          break;
        case 'getEvent':
          void withSession(
            message.requestId,
            (client, sessionId) => client.sendRequest<ViewerEventResult>(ViewerMethods.event, { sessionId, position: message.position, reveal: message.reveal } satisfies ViewerEventParams),
            (event) => ({ type: 'event', requestId: message.requestId, ...event }),
          );
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
      void session.then(async ({ sessionId }) => {
        if (sessionId === undefined) return;
        this.webviews.delete(sessionId);
        this.latestStatus.delete(sessionId);
        const uri = this.sessionUris.get(sessionId);
        this.sessionUris.delete(sessionId);
        if (uri && ![...this.sessionUris.values()].some((other) => other.toString() === uri.toString())) this.statusByUri.delete(uri.toString());
        await (await this.getClient()).sendRequest(ViewerMethods.close, { sessionId } satisfies ViewerCloseParams);
      });
    });
  }

  /** Asks where to save the filtered rows, then has the server write them, with progress. */
  private async export(uri: vscode.Uri, sessionId: number, format: 'jsonl' | 'csv'): Promise<void> {
    const base = path.basename(uri.fsPath).replace(/\.(log|jsonl?|gz)$/i, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(uri, '..', `${base}-filtered.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON lines': ['jsonl'] },
      title: 'Export the filtered requests',
    });
    if (!target) return;
    try {
      const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting to ${path.basename(target.fsPath)}...` }, async () =>
        (await this.getClient()).sendRequest<ViewerExportResult>(ViewerMethods.export, { sessionId, format, path: target.fsPath } satisfies ViewerExportParams),
      );
      void vscode.window.showInformationMessage(`Exported ${counted(result.rows, 'request')} to ${target.fsPath}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`Export failed: ${errorText(error)}`);
    }
  }

  private async open(uri: vscode.Uri): Promise<OpenedLog> {
    if (uri.scheme !== 'file') {
      return { message: { type: 'error', message: `Only files on disk can be opened as audit logs (this one is ${uri.scheme}:).` } };
    }
    try {
      const client = await this.getClient();
      const { sessionId, status, firstRows } = await client.sendRequest<ViewerOpenResult>(ViewerMethods.open, { path: uri.fsPath } satisfies ViewerOpenParams);
      // Statuses sent while the server was opening are older than the one in its answer.
      this.latestStatus.delete(sessionId);
      this.sessionUris.set(sessionId, uri);
      this.noteStatus(sessionId, status);
      return { sessionId, message: { type: 'opened', fileName: path.basename(uri.fsPath), status, firstRows } };
    } catch (error) {
      return { message: { type: 'error', message: `Could not read ${uri.fsPath}: ${errorText(error)}` } };
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
