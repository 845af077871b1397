import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/**
 * The webview page: a strict CSP where only our nonce'd bundle runs and styles come from the bundle.
 * Log content never enters this HTML; it arrives later by message and is written with textContent.
 */
export function logViewerHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
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
<link rel="stylesheet" href="${asset('logViewer.css')}">
<title>Kubernetes Audit Log</title>
</head>
<body>
<div id="app" role="application" aria-label="Kubernetes audit log"></div>
<script nonce="${nonce}" src="${asset('logViewer.js')}"></script>
</body>
</html>`;
}
