import type * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';

/** The audit log viewer's page (strict CSP, see webviewPage). Log content never enters this HTML. */
export function logViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, { bundle: 'logViewer', title: 'Kubernetes Audit Log', label: 'Kubernetes audit log' });
}
