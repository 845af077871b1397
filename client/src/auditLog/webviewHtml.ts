import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * A webview page of ours: a strict CSP where only our nonce'd bundle runs and styles come from the
 * bundle. Log content never enters this HTML; it arrives later by message and is written with textContent.
 */
export function webviewPageHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: { bundle: string; title: string; label: string }): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(`${page.bundle}.css`)}">
<title>${page.title}</title>
</head>
<body>
<div id="app" role="application" aria-label="${page.label}"></div>
<script nonce="${nonce}" src="${asset(`${page.bundle}.js`)}"></script>
</body>
</html>`;
}

/** The audit log viewer's page. */
export function logViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPageHtml(webview, extensionUri, { bundle: 'logViewer', title: 'Kubernetes Audit Log', label: 'Kubernetes audit log' });
}
