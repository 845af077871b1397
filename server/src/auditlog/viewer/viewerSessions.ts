import {
  FACET_FIELDS,
  type FacetFieldName,
  type ViewerCompletion,
  type ViewerEventResult,
  type ViewerExportResult,
  type ViewerFacet,
  type ViewerOpenResult,
  type ViewerQueryOutcome,
  type ViewerQueryParams,
  type ViewerQueryResult,
  type ViewerRow,
  type ViewerSort,
  type ViewerStatus,
  type ViewerTimeline,
} from '../../protocol/logViewer';
import type { DetectorSelection } from '../detectors';
import { ViewerSession } from './viewerSession';

const POLL_MS = 1_000;
/** Rows sent with the answers to `open` and `query` (the webview's first page). */
const FIRST_PAGE_ROWS = 100;
/** Timeline buckets of a `query` answer when the viewer names no number. */
const DEFAULT_BUCKETS = 100;

/**
 * What a viewer asks of an open log, whoever holds it: a local file and its index (ViewerSession), or
 * a store that answers in its own query language (ClickHouse: store/viewer). Answers may be immediate
 * (the index is in memory) or a promise (a store is asked over the network).
 */
export interface LogViewerSession {
  status(): ViewerStatus;
  setQuery(text: string, sort?: ViewerSort): Promise<ViewerQueryOutcome>;
  /** Rows [start, start + count) of the current result, with the values of the JSON path columns asked for. */
  rowsWithPaths(start: number, count: number, paths?: readonly string[]): Promise<ViewerRow[]>;
  facets(fields: readonly FacetFieldName[]): ViewerFacet[] | Promise<ViewerFacet[]>;
  timeline(buckets: number): ViewerTimeline | Promise<ViewerTimeline>;
  event(position: number, reveal: boolean): Promise<ViewerEventResult>;
  complete(text: string, cursor: number): Promise<ViewerCompletion>;
  export(format: 'jsonl' | 'csv', path: string): Promise<ViewerExportResult>;
  /** Looks for new data (the file grew or was rotated, rows arrived in the store) and reports it through the session's status callback. */
  refresh(): Promise<void>;
  close(): void;
}

/** Opens a session that reports later status changes (new data) through `onStatus`. */
export type SessionOpener = (onStatus: (status: ViewerStatus, reset: boolean) => void) => Promise<LogViewerSession>;

/** The logs open in viewers, by session id; each is followed while it is open. */
export class ViewerSessions {
  private readonly sessions = new Map<number, { session: LogViewerSession; timer: ReturnType<typeof setInterval> }>();
  private nextId = 1;

  constructor(
    private readonly onStatus: (sessionId: number, status: ViewerStatus, reset: boolean) => void = () => undefined,
    private readonly pollMs = POLL_MS,
  ) {}

  /** A log file; `detectors`: what the new session's index runs (sessions already open keep theirs). */
  open(path: string, detectors: DetectorSelection = {}): Promise<ViewerOpenResult> {
    return this.openWith((onStatus) => ViewerSession.open(path, onStatus, detectors));
  }

  /** Any source of rows: followed by polling every `pollMs` (a store may want a slower pace than a file). */
  async openWith(opener: SessionOpener, pollMs = this.pollMs): Promise<ViewerOpenResult> {
    const sessionId = this.nextId++;
    const session = await opener((status, reset) => this.onStatus(sessionId, status, reset));
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      // A file between rotation steps may be missing for a moment, a store may be restarting: the next poll looks again.
      session.refresh().catch(() => undefined).finally(() => (polling = false));
    }, pollMs);
    timer.unref?.();
    this.sessions.set(sessionId, { session, timer });
    try {
      return { sessionId, status: session.status(), firstRows: await session.rowsWithPaths(0, FIRST_PAGE_ROWS) };
    } catch (error) {
      this.close(sessionId);
      throw error;
    }
  }

  /**
   * Runs a query and answers with what the viewer shows of the new result first: its first page, the
   * facets and the timeline, asked of the session together (one answer instead of four round trips).
   */
  async query({ sessionId, query, sort, paths, buckets }: ViewerQueryParams): Promise<ViewerQueryResult> {
    const session = this.get(sessionId);
    const outcome = await session.setQuery(query, sort);
    if (!outcome.ok) return outcome;
    const [firstRows, facets, timeline] = await Promise.all([session.rowsWithPaths(0, FIRST_PAGE_ROWS, paths), session.facets(FACET_FIELDS), session.timeline(buckets ?? DEFAULT_BUCKETS)]);
    return { ...outcome, firstRows, facets, timeline };
  }

  get(sessionId: number): LogViewerSession {
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new Error(`log session ${sessionId} is not open`);
    return entry.session;
  }

  close(sessionId: number): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    clearInterval(entry.timer);
    entry.session.close();
    this.sessions.delete(sessionId);
  }
}
