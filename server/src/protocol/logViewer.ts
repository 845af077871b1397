// Client <-> language server: custom requests of the audit log viewer. The server owns each open log
// (its index, the current query's result); the client only relays pages to its webview. Shared by
// both sides so that method names and payload shapes cannot drift apart.
import type { RequestFieldName, RequestFields } from './requestFields';
import type { FacetFieldName } from './viewerFields';
import type { ClickHouseProblemKind, DamageKind, Severity } from './vocabulary';

export { FACET_FIELDS, VIEWER_FIELDS, type FacetFieldName, type ViewerFieldName } from './viewerFields';

/** The viewer's requests, by method: what each is asked with and what it answers. */
export interface ViewerRequests {
  /** Opens a log file or a ClickHouse table as a new session. */
  open: { params: ViewerOpenParams; result: ViewerOpenResult };
  /** Filters and sorts; the answer brings the first page, the facets and the timeline of the new result. */
  query: { params: ViewerQueryParams; result: ViewerQueryResult };
  rows: { params: ViewerRowsParams; result: ViewerRowsResult };
  facets: { params: ViewerFacetsParams; result: ViewerFacet[] };
  timeline: { params: ViewerTimelineParams; result: ViewerTimeline };
  event: { params: ViewerEventParams; result: ViewerEventResult };
  export: { params: ViewerExportParams; result: ViewerExportResult };
  /** Whether a text can be the JSON path of a table column (parsed as the query language does). */
  checkPath: { params: ViewerCheckPathParams; result: ViewerPathCheck };
  /** Completion of field names, keywords and (from the index) field values in the query bar. */
  complete: { params: ViewerCompleteParams; result: ViewerCompletion };
  close: { params: ViewerCloseParams; result: void };
  /** The query with a facet value's term added (a facet click): the server writes the query language, the page does not. */
  addFilter: { params: ViewerAddFilterParams; result: ViewerEditedQuery };
  /** The query with its time range replaced (a brush on the timeline). */
  setTimeRange: { params: ViewerTimeRangeParams; result: ViewerEditedQuery };
}

export type ViewerMethod = keyof ViewerRequests;
export type ViewerParams<M extends ViewerMethod> = ViewerRequests[M]['params'];
export type ViewerResult<M extends ViewerMethod> = ViewerRequests[M]['result'];

/** The JSON-RPC method name of a viewer request. */
export function viewerMethodName(method: ViewerMethod): string {
  return `k8sAudit/viewer/${method}`;
}

/** Notification from the server (ViewerStatusParams): indexing progressed, the file grew, or it was rotated. */
export const VIEWER_STATUS_NOTIFICATION = 'k8sAudit/viewer/status';

/**
 * The requests a viewer page makes of its own session, relayed as they are by the extension host
 * (which adds the session id). Opening, closing and exporting are the extension's: they need VS Code.
 */
export const PAGE_METHODS = ['query', 'rows', 'facets', 'timeline', 'event', 'checkPath', 'complete', 'addFilter', 'setTimeRange'] as const satisfies readonly ViewerMethod[];
export type PageMethod = (typeof PAGE_METHODS)[number];
/** A page request's params without the session id (the relay knows which session the page shows). */
export type PageParams<M extends PageMethod> = DistributiveOmit<ViewerParams<M>, 'sessionId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;


/**
 * The request's own fields a table row carries, in the table's and the CSV export's order (`resource`
 * as the table shows it: "resource/subresource", or the URL path of a non-resource request). The
 * ClickHouse viewer selects these columns (store/viewer/storeResult.ts ROW_COLUMNS).
 */
export const VIEWER_ROW_FIELDS = ['user', 'impersonatedUser', 'verb', 'resource', 'namespace', 'name', 'code', 'latencyMs', 'sourceIP', 'userAgent'] as const satisfies readonly RequestFieldName[];
type ViewerRowFields = Pick<RequestFields, (typeof VIEWER_ROW_FIELDS)[number]>;

/** One request as a table row. Every string is untrusted text from the log. */
export interface ViewerRow extends ViewerRowFields {
  /** Position in the current result (0-based). */
  position: number;
  line: number | null;
  time: string;
  stages: string;
  /** Worst detector severity that fired, 'unknown' when only undecidable ones apply, '' when none. */
  mark: Severity | 'unknown' | '';
  detectors: string[];
  /**
   * Values of the JSON path columns asked for with the page (`ViewerRowsParams.paths`), by path text:
   * arrays joined with ", ", objects as compact JSON, cut at 200 characters; '' when missing.
   */
  paths?: Record<string, string>;
}

export interface ViewerStatus {
  /** Requests indexed so far, and how many match the current query. */
  totalRows: number;
  matchingRows: number;
  bytesRead: number;
  totalBytes: number;
  indexing: boolean;
  formats: string[];
  /** Records skipped as odd (not JSON, an unknown shape...): the rest of the file was read. Damage is in `warnings`. */
  skippedCount: number;
  /** The first skipped records, with 1-based line numbers and reasons. */
  skipped: { line: number; reason: string }[];
  /**
   * Why the result is partial or empty although the file was opened: it could not be read, it is not
   * text, its gzip data ends early or is damaged, binary bytes in lines. Empty when the file was read whole.
   */
  warnings: ViewerReadWarning[];
  /** The first and last request times of the log (ISO, UTC); null while no request with a time is indexed. */
  timeSpan: { first: string; last: string } | null;
  /** Detections over all indexed requests: detector id -> hits and unknowns. */
  detections: { id: string; title: string; severity: Severity; hits: number; unknown: number; query: string }[];
}

export interface ViewerReadWarning {
  kind: 'unreadable' | DamageKind;
  /** 1-based line where the damage is (the first, for several binary lines); absent when it is the whole file. */
  line?: number;
  /** One sentence for the user, e.g. "The gzip data ends early at line 498: the rest of the file could not be read." */
  message: string;
}

/** A log file, or a table in ClickHouse (the viewer on ClickHouse). */
export type ViewerOpenParams = { path: string } | { clickhouse: ViewerClickHouseSource };

/** Where the events are in ClickHouse: the settings of a connection, and its password (from VS Code's secret storage). */
export interface ViewerClickHouseSource {
  /** The HTTP interface, http(s)://host:8123, with the database as ?database=NAME (default: default). */
  url: string;
  /** Default audit_events. */
  table?: string;
  /** The cluster the table is Distributed over (then `table` is the Distributed table). */
  cluster?: string;
  /** Default: the URL's user, else `default`. */
  user?: string;
  password?: string;
}

/** The `data` of an error answer to `open` on ClickHouse: what went wrong, for the client to offer the fix (asking for the password again). */
export interface ViewerOpenErrorData {
  kind: ClickHouseProblemKind;
}

export interface ViewerOpenResult {
  sessionId: number;
  status: ViewerStatus;
  /** The first page of the result (rows from 0), so the viewer shows rows without another round trip. */
  firstRows: ViewerRow[];
}

export interface ViewerSort {
  key: 'time' | 'latency' | 'code';
  direction: 'asc' | 'desc';
}

export interface ViewerQueryParams {
  sessionId: number;
  query: string;
  /** Default: time, ascending. */
  sort?: ViewerSort;
  /** JSON path columns whose values the first page's rows carry (as in `rows`). */
  paths?: string[];
  /** Buckets of the timeline that comes with the answer (default 100). */
  buckets?: number;
}

/** Where a query (or a column path) is wrong: offset and length in its text (UTF-16 code units). */
export interface ViewerQueryError {
  offset: number;
  length: number;
  message: string;
}

/** What a backend answers to a query itself: the new result's size, or the query's error (the previous result stays). */
export type ViewerQueryOutcome = { ok: true; matchingRows: number; elapsedMs: number; jq: string } | { ok: false; error: ViewerQueryError };

/** The answer to `query`: with a new result, what the viewer shows of it first (no more round trips). */
export type ViewerQueryResult =
  | (Extract<ViewerQueryOutcome, { ok: true }> & { firstRows: ViewerRow[]; facets: ViewerFacet[]; timeline: ViewerTimeline })
  | Extract<ViewerQueryOutcome, { ok: false }>;

export interface ViewerRowsParams {
  sessionId: number;
  start: number;
  count: number;
  /** JSON paths (as checked by `checkPath`) whose values each row of the page should carry. */
  paths?: string[];
}

export interface ViewerCheckPathParams {
  path: string;
}

/** A path that can be a column (`path` is its normal spelling), or the parser's error. */
export type ViewerPathCheck = { ok: true; path: string } | { ok: false; error: ViewerQueryError };

export interface ViewerCompleteParams {
  sessionId: number;
  text: string;
  /** Offset of the cursor in `text` (UTF-16 code units, as an input's selectionStart). */
  cursor: number;
}

export interface ViewerCompletionItem {
  /** What the list shows (a value as the log has it; untrusted text). */
  label: string;
  /** What replaces [from, to) of the text (a value quoted as the query language needs). */
  insert: string;
  /** A field's description, or how many requests have the value. */
  detail?: string;
  kind: 'field' | 'value' | 'keyword';
}

/** Items for the word at the cursor; accepting one replaces the text in [from, to). */
export interface ViewerCompletion {
  from: number;
  to: number;
  items: ViewerCompletionItem[];
}

export interface ViewerRowsResult {
  start: number;
  rows: ViewerRow[];
}

export interface ViewerFacetsParams {
  sessionId: number;
  fields: FacetFieldName[];
}

export interface ViewerFacet {
  field: FacetFieldName;
  top: { value: string; count: number }[];
  distinct: number;
}

export interface ViewerEventParams {
  sessionId: number;
  position: number;
  reveal: boolean;
}

export interface ViewerEventResult {
  position: number;
  line: number | null;
  /** The request in words: who did what where, with what result. */
  summary: string[];
  /** The command of an exec/attach request, decoded from its URI ('' otherwise). */
  command: string;
  /** The event of the request's most complete stage as pretty JSON, redacted unless revealed. */
  json: string;
  /** The request's other logged stages (RequestReceived, ResponseStarted...), in log order, shown the same way. */
  otherStages: { stage: string; json: string }[];
  /** Stages between the first and the most complete one were too far apart in the log to be searched. */
  stagesPartial: boolean;
  /** Secret values hidden, in all stages shown. */
  redactions: number;
  detections: { id: string; title: string; severity: Severity; outcome: 'hit' | 'unknown'; description: string; remediation: string; references: string[] }[];
}

export interface ViewerStatusParams {
  sessionId: number;
  status: ViewerStatus;
  /** The file was replaced (rotation): positions start over. */
  reset: boolean;
}

export interface ViewerCloseParams {
  sessionId: number;
}

export interface ViewerTimelineParams {
  sessionId: number;
  buckets: number;
}

/** Requests of the current result over time, for the histogram above the table. */
export interface ViewerTimeline {
  /** Epoch ms of the first bucket's start and one bucket's width; 0 buckets when no row has a time. */
  start: number;
  bucketMs: number;
  requests: number[];
  /** Of those, responses with a code of 400 or more. */
  errors: number[];
  /**
   * The requests of each bucket by response status class: 2xx, 4xx, 5xx, and the rest (3xx, 1xx, no
   * code) as `other`. The four add up to `requests`.
   */
  status: { ok: number[]; other: number[]; clientError: number[]; serverError: number[] };
  /** Of those, requests with a detector hit. */
  detections: number[];
}

export interface ViewerExportParams {
  sessionId: number;
  format: 'jsonl' | 'csv';
  /** File to write (the client asks the user where). */
  path: string;
}

export interface ViewerAddFilterParams {
  /** The query bar's text. */
  query: string;
  field: FacetFieldName;
  value: string;
  /** Exclude the value (`-field:value`) instead. */
  exclude: boolean;
}

export interface ViewerTimeRangeParams {
  query: string;
  /** ISO times: requests at `after` or later and before `before`. */
  after: string;
  before: string;
}

/** A query text as the server edited it, for the query bar to show and run. */
export interface ViewerEditedQuery {
  query: string;
}

export interface ViewerExportResult {
  rows: number;
  bytes: number;
}
