import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LOG_PREVIEW_METHOD, type LogPreviewParams, type LogPreviewResult } from '../../../server/src/protocol/logPreview';
import type { FromWebviewMessage, ToWebviewMessage } from './protocol';
import { logViewerHtml } from './webviewHtml';

const VIEW_TYPE = 'k8sAudit.logViewer';
const PREVIEW_ROWS = 1000;

/**
 * Read-only custom editor for audit logs. The file is read by the language server (never through
 * VS Code's text model, which refuses files over 50 MB); the webview only receives rows.
 */
export class LogViewerProvider implements vscode.CustomReadonlyEditorProvider {
  static register(context: vscode.ExtensionContext, getClient: () => Promise<LanguageClient>): vscode.Disposable {
    return vscode.Disposable.from(
      vscode.window.registerCustomEditorProvider(VIEW_TYPE, new LogViewerProvider(context.extensionUri, getClient), {
        supportsMultipleEditorsPerDocument: true,
      }),
      vscode.commands.registerCommand('k8sAudit.openRaw', (uri?: vscode.Uri) => openRaw(uri ?? activeLogUri())),
    );
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
    const post = (message: ToWebviewMessage) => void webview.postMessage(message);
    const subscription = webview.onDidReceiveMessage((message: FromWebviewMessage) => {
      switch (message.type) {
        case 'ready':
          void this.sendPreview(document.uri, post);
          break;
        case 'openRaw':
          void openRaw(document.uri, message.line);
          break;
      }
    });
    panel.onDidDispose(() => subscription.dispose());
  }

  private async sendPreview(uri: vscode.Uri, post: (message: ToWebviewMessage) => void): Promise<void> {
    if (uri.scheme !== 'file') {
      post({ type: 'error', message: `Only files on disk can be opened as audit logs (this one is ${uri.scheme}:).` });
      return;
    }
    try {
      const client = await this.getClient();
      const params: LogPreviewParams = { path: uri.fsPath, maxRows: PREVIEW_ROWS };
      const preview = await client.sendRequest<LogPreviewResult>(LOG_PREVIEW_METHOD, params);
      post({ type: 'preview', fileName: path.basename(uri.fsPath), ...preview });
    } catch (error) {
      post({ type: 'error', message: `Could not read ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}` });
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
