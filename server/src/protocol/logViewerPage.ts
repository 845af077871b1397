// Messages between the audit log webview and the extension host. Both sides import this file, so a
// message that one side sends and the other does not understand is a type error. The webview's
// questions to its session are the server's viewer requests (one table, server/src/protocol), relayed
// as they are: `request` carries a method of that table, `answer` its result or error.
import type { PageMethod, PageParams, ViewerResult, ViewerRow, ViewerStatus } from './logViewer';

export type * from './logViewer';

/** A request of the page to its session: answered by an `answer` with the same id. */
export type PageRequest = { [M in PageMethod]: { type: 'request'; id: number; method: M; params: PageParams<M> } }[PageMethod];

export type FromWebviewMessage =
  | { type: 'ready' }
  | PageRequest
  /** Save the current result to a file the user picks. */
  | { type: 'export'; format: 'jsonl' | 'csv' }
  /** Put text on the clipboard (webviews cannot reach it reliably themselves). */
  | { type: 'copy'; text: string }
  /** Open the log as text, at a 1-based line when given. */
  | { type: 'openRaw'; line?: number };

export type ToWebviewMessage =
  /**
   * The log is open: `fileName` names it in the header (for ClickHouse: the connection and table).
   * Rows from ClickHouse have no file to show as text: the webview offers no "Open raw" for them.
   */
  | { type: 'opened'; source: 'file' | 'clickhouse'; fileName: string; status: ViewerStatus; firstRows: ViewerRow[] }
  /** Indexing progressed, the file grew, or (`reset`) it was replaced and positions start over. */
  | { type: 'status'; status: ViewerStatus; reset: boolean }
  /** The answer to the page's request `id`: its result, or why it failed (in words for the user). */
  | { type: 'answer'; id: number; result: ViewerResult<PageMethod> }
  | { type: 'answer'; id: number; error: string }
  /** Opening failed. */
  | { type: 'error'; message: string };
