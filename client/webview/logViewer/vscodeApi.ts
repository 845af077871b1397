import type { FromWebviewMessage } from '../../src/auditLog/protocol';

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per webview. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
