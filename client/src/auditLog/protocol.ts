// Messages between the audit log webview and the extension host. Both sides import this file, so a
// message that one side sends and the other does not understand is a type error.
import type {
  ViewerCompletion,
  ViewerCompletionItem,
  ViewerEventResult,
  ViewerFacet,
  ViewerPathCheck,
  ViewerQueryResult,
  ViewerRow,
  ViewerSort,
  ViewerStatus,
  ViewerTimeline,
} from '../../../server/src/protocol/logViewer';

export type { ViewerCompletion, ViewerCompletionItem, ViewerEventResult, ViewerFacet, ViewerPathCheck, ViewerQueryResult, ViewerRow, ViewerSort, ViewerStatus, ViewerTimeline };

export type FromWebviewMessage =
  | { type: 'ready' }
  /** Rows [start, start + count) of the current result; answered by `rows` with the same id. */
  | { type: 'getRows'; requestId: number; start: number; count: number; paths?: string[] }
  /** Can this text be the JSON path of a column? Answered by `pathChecked`. */
  | { type: 'checkPath'; requestId: number; path: string }
  /** Completion of the query bar's word at `cursor`; answered by `completions`. */
  | { type: 'complete'; requestId: number; text: string; cursor: number }
  /** Filter with the query language; answered by `queryResult`. */
  | { type: 'setQuery'; requestId: number; query: string; sort: ViewerSort }
  /** Requests per time bucket over the current result; answered by `timeline`. */
  | { type: 'getTimeline'; requestId: number; buckets: number }
  /** Save the current result to a file the user picks. */
  | { type: 'export'; format: 'jsonl' | 'csv' }
  /** Top values of the facet fields over the current result; answered by `facets`. */
  | { type: 'getFacets'; requestId: number }
  /** The whole event of a row of the current result, secrets redacted unless `reveal`. */
  | { type: 'getEvent'; requestId: number; position: number; reveal: boolean }
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
  | { type: 'rows'; requestId: number; start: number; rows: ViewerRow[] }
  | { type: 'queryResult'; requestId: number; result: ViewerQueryResult }
  | { type: 'facets'; requestId: number; facets: ViewerFacet[] }
  | { type: 'timeline'; requestId: number; timeline: ViewerTimeline }
  | { type: 'pathChecked'; requestId: number; result: ViewerPathCheck }
  | { type: 'completions'; requestId: number; completion: ViewerCompletion }
  | ({ type: 'event'; requestId: number } & ViewerEventResult)
  /** Opening failed (no `requestId`), or a request did (`of` names which kind: request ids of the row cache and the rest may coincide). */
  | { type: 'error'; message: string; requestId?: number; of?: FromWebviewMessage['type'] };
