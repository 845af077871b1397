import type { FromWebviewMessage } from '../../../server/src/protocol/logViewerPage';
import type { LayoutState } from './layout';

/** What the viewer remembers across hiding and showing its tab (and reloads of the webview). */
export interface ViewState {
  top: number;
  selected: number;
  query: string;
  /** Visible column ids, in order. */
  columns?: string[];
  /** JSON paths of the path columns added (visible or hidden). */
  paths?: string[];
  /** Column widths the user set, in px by column id. */
  widths?: Record<string, number>;
  /** Side panel width and whether it is collapsed; where the details are docked and their size. */
  layout?: Partial<LayoutState>;
}

interface VsCodeApi {
  postMessage(message: FromWebviewMessage): void;
  getState(): ViewState | undefined;
  setState(state: ViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per webview. */
export const vscodeApi: VsCodeApi = acquireVsCodeApi();
