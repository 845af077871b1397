import type {
  FacetFieldName,
  ViewerCompletion,
  ViewerEventResult,
  ViewerExportResult,
  ViewerFacet,
  ViewerQueryOutcome,
  ViewerRow,
  ViewerSort,
  ViewerStatus,
  ViewerTimeline,
} from '../../protocol/logViewer';
import { detectorDefinitions, type DetectorDefinitions, type DetectorSelection } from '../detectors';
import { windowHitQuery } from '../detectors/onIndex/windowPass';
import { buildLogIndex, facet, pageRows, queryIndex, readRequestStages, readRow, refreshLogIndex, sortRows, timeSpan, visitPrimaryEvents, type IndexBuild, type LogIndex } from '../index';
import { FLAG_REQUEST_OBJECT, FLAG_RESPONSE_OBJECT } from '../index/schema';
import { execCommand } from '../execCommand';
import { describeRequest } from './describeRequest';
import { detailedDetections, shownStages } from './eventDetails';
import { exportRows } from './exportRows';
import { timeline } from './timeline';
import { parseQuery, toJq, type QueryNode } from '../query';
import { parseViewerQuery } from './parseViewerQuery';
import { detectorInfo, viewerRow } from './viewerRow';
import { pathColumnCache, type PathColumn } from './pathColumns';
import { readWarnings } from './readWarnings';
import { completeQuery, indexCompletionValues, pathPrefixAt } from './queryCompletion';

/** Skipped records listed by name; the rest are counted. */
const MAX_LISTED_SKIPPED = 100;
/** How long opening waits for a small file to be indexed completely before showing what is there. */
const FIRST_ROWS_WAIT_MS = 400;
/** A file this big cannot be indexed in that time: it is shown as soon as a screenful of rows is in. */
const BIG_FILE_BYTES = 32 * 1024 * 1024;
const SCREENFUL_ROWS = 40;
/** Path columns evaluated per page, and cell values kept per session (row x path). */
const MAX_PATH_COLUMNS = 20;
const MAX_CACHED_VALUES = 50_000;
/** Events read to complete JSON path keys. */
const SAMPLE_EVENTS = 200;
/** While indexing, the current query is re-run (and the viewer told) at most this often. */
const REQUERY_MS = 1_000;

/**
 * One open log in a viewer: its index (being built, then followed as the file grows), the current
 * query and its result rows. Everything the viewer shows is computed here, in the language server.
 */
export class ViewerSession {
  private index: LogIndex;
  private building: IndexBuild | undefined;
  private result: Uint32Array = new Uint32Array(0);
  private query: QueryNode = parseQuery('');
  private sort: ViewerSort = { key: 'time', direction: 'asc' };
  private indexing = true;
  private bytes = { read: 0, total: 0 };
  private lastRequery = 0;
  private requerying: Promise<void> | undefined;
  private closed = false;
  /** Events sampled for JSON path completion, for the result they came from. */
  private samples: { result: Uint32Array; events: Record<string, unknown>[] } | undefined;
  /** What the rows' detector ids are called: the definitions of this session's detectors. */
  private readonly definitions: DetectorDefinitions;

  private constructor(
    private readonly path: string,
    private readonly onStatus: (status: ViewerStatus, reset: boolean) => void,
    /** The detectors the index runs (resolved k8sAudit.detectors.* settings), fixed for the session's life. */
    private readonly detectors: DetectorSelection = {},
  ) {
    this.definitions = detectorDefinitions(detectors);
    this.building = this.startBuild();
    this.index = this.building.index;
  }

  /**
   * Starts indexing and resolves when the index is complete or, for a big file, after a short wait
   * with the first rows in: the viewer shows them while indexing goes on.
   */
  static async open(path: string, onStatus: (status: ViewerStatus, reset: boolean) => void, detectors: DetectorSelection = {}): Promise<ViewerSession> {
    const session = new ViewerSession(path, onStatus, detectors);
    const done = session.building?.done.then(
      () => undefined,
      () => undefined,
    );
    // A small file is shown complete; a big one as soon as a screenful of rows is in.
    const started = Date.now();
    while (session.indexing && Date.now() - started < FIRST_ROWS_WAIT_MS) {
      if (session.bytes.total >= BIG_FILE_BYTES && session.index.requestCount >= SCREENFUL_ROWS) break;
      await Promise.race([done, delay(10)]);
    }
    while (session.indexing && session.index.requestCount === 0) await Promise.race([done, delay(20)]);
    await session.requery();
    return session;
  }

  status(): ViewerStatus {
    const skipped = this.index.skipped();
    const ordinary = skipped.filter((s) => !s.damage);
    const detections = this.detectionCounts();
    const span = timeSpan(this.index);
    return {
      totalRows: this.index.requestCount,
      matchingRows: this.result.length,
      bytesRead: this.bytes.read,
      totalBytes: this.bytes.total,
      indexing: this.indexing,
      formats: [...new Set(this.index.files.flatMap((file) => Object.keys(file.formats)))],
      skippedCount: this.index.skippedCount() - this.index.damagedCount(),
      skipped: ordinary.slice(0, MAX_LISTED_SKIPPED).map((s) => ({ line: s.line, reason: s.reason })),
      timeSpan: span && { first: new Date(span.first).toISOString(), last: new Date(span.last).toISOString() },
      warnings: readWarnings(this.index.readErrors, skipped.filter((s) => s.damage), this.index.damagedCount()),
      detections,
    };
  }

  async setQuery(text: string, sort?: ViewerSort): Promise<ViewerQueryOutcome> {
    const query = parseViewerQuery(text);
    if ('ok' in query) return query;
    const started = Date.now();
    this.query = query;
    if (sort) this.sort = sort;
    await this.requery();
    return { ok: true, matchingRows: this.result.length, elapsedMs: Date.now() - started, jq: toJq(query, { source: text }) };
  }

  rows(start: number, count: number): ViewerRow[] {
    return pageRows(this.index, this.result, start, Math.min(count, 2000)).map((row, i) => viewerRow(row, start + i, this.definitions));
  }

  /**
   * A page of rows with the values of JSON path columns. The index keeps no bodies: each row's primary
   * event is read again (visitPrimaryEvents: by offset, in file order) and the paths
   * evaluated on it; values are cached per row and path, so scrolling back costs nothing.
   */
  async rowsWithPaths(start: number, count: number, paths: readonly string[] = []): Promise<ViewerRow[]> {
    const index = this.index;
    const page = pageRows(index, this.result, start, Math.min(count, 2000));
    const rows = page.map((row, i) => viewerRow(row, start + i, this.definitions));
    const columns = [...new Set(paths)].slice(0, MAX_PATH_COLUMNS).flatMap((text) => this.pathColumn(text) ?? []);
    if (columns.length === 0 || page.length === 0) return rows;
    const cache = this.pathValueCache(index);
    const key = (id: number, column: PathColumn) => `${id}\u0000${column.text}`;
    const missing = page.filter((row) => columns.some((column) => !cache.has(key(row.id, column))));
    if (missing.length > 0) {
      // A record that cannot be read again (the file changed) is not visited: its cells show empty and are tried again later.
      await visitPrimaryEvents(
        index,
        missing.map((row) => row.id),
        (i, event) => {
          for (const column of columns) cache.set(key(missing[i]!.id, column), column.value(event));
        },
      );
      while (cache.size > MAX_CACHED_VALUES) cache.delete(cache.keys().next().value!);
    }
    rows.forEach((row, i) => {
      const id = page[i]!.id;
      row.paths = Object.fromEntries(columns.map((column) => [column.text, cache.get(key(id, column)) ?? '']));
    });
    return rows;
  }

  /** Parsed path columns by text. */
  private readonly pathColumn = pathColumnCache();
  private pathValues: { index: LogIndex; values: Map<string, string> } | undefined;

  /** Cached cell values of the current index (row ids start over when a rotated file is indexed again). */
  private pathValueCache(index: LogIndex): Map<string, string> {
    if (this.pathValues?.index !== index) this.pathValues = { index, values: new Map() };
    return this.pathValues.values;
  }

  /**
   * Completion of the query bar's word at `cursor`: fields and keywords, this log's values of a
   * field, or the keys of a JSON path as sample events of the current result have them.
   */
  async complete(text: string, cursor: number): Promise<ViewerCompletion> {
    const samples = pathPrefixAt(text, cursor) === null ? [] : await this.sampleEvents();
    return completeQuery(indexCompletionValues(this.index), text, cursor, samples);
  }

  /** Sampled events of the current result, bodies preferred (read again once per result). */
  private async sampleEvents(): Promise<Record<string, unknown>[]> {
    if (this.samples?.result === this.result) return this.samples.events;
    const result = this.result;
    // Rows with a body first (paths into requestObject/responseObject are the ones worth completing),
    // spread over the result; other rows when there are too few.
    const withBody: number[] = [];
    const others: number[] = [];
    const step = Math.max(1, Math.floor(result.length / (SAMPLE_EVENTS * 20)));
    for (let i = 0; i < result.length && withBody.length < SAMPLE_EVENTS; i += step) {
      const row = result[i]!;
      if ((this.index.flags.data[row]! & (FLAG_REQUEST_OBJECT | FLAG_RESPONSE_OBJECT)) !== 0) withBody.push(row);
      else if (others.length < SAMPLE_EVENTS) others.push(row);
    }
    const rows = [...withBody, ...others].slice(0, SAMPLE_EVENTS);
    const events: Record<string, unknown>[] = [];
    await visitPrimaryEvents(this.index, rows, (_position, event) => events.push(event.event));
    this.samples = { result, events };
    return events;
  }

  facets(fields: readonly FacetFieldName[]): ViewerFacet[] {
    return fields.map((field) => {
      const counted = facet(this.index, field, this.result, 8);
      return { field, distinct: counted.distinct, top: counted.top.map((entry) => ({ value: entry.value === null ? '' : String(entry.value), count: entry.count })) };
    });
  }

  async event(position: number, reveal: boolean): Promise<ViewerEventResult> {
    const id = this.result[position];
    if (id === undefined) throw new Error(`row ${position} is not in the current result`);
    const row = readRow(this.index, id);
    const stages = await readRequestStages(this.index, id);
    const primary = stages.events.find((e) => e.stage === row.stage) ?? stages.events[stages.events.length - 1];
    const base = { position, line: row.line, summary: describeRequest(row), command: execCommand(row.requestURI), detections: detailedDetections(row.detectors, this.definitions), stagesPartial: stages.partial };
    if (primary === undefined) return { ...base, json: 'The record could not be read again: the file changed since it was indexed.', redactions: 0, otherStages: [] };
    return { ...base, ...shownStages(primary.event, stages.events.filter((e) => e !== primary), reveal) };
  }

  timeline(buckets: number): ViewerTimeline {
    return timeline(this.index, this.result, Math.max(1, Math.min(buckets, 1000)));
  }

  export(format: 'jsonl' | 'csv', path: string): Promise<ViewerExportResult> {
    return exportRows(this.index, this.result, format, path, this.definitions);
  }

  /** Follows the file: appended records become rows; a rotated file is indexed again. */
  async refresh(): Promise<void> {
    if (this.indexing || this.closed) return;
    const refresh = await refreshLogIndex(this.index);
    if (refresh.outcome === 'unchanged') return;
    const reset = refresh.outcome === 'rebuilt';
    this.index = refresh.index;
    this.indexing = true;
    await refresh.done.catch(() => null);
    this.indexing = false;
    await this.requery();
    this.onStatus(this.status(), reset);
  }

  close(): void {
    this.closed = true;
    this.building?.cancel();
  }

  private startBuild(): IndexBuild {
    const build = buildLogIndex([this.path], {
      detectors: this.detectors,
      onProgress: (progress) => {
        this.bytes = { read: progress.bytesRead, total: progress.totalBytes };
        if (Date.now() - this.lastRequery > REQUERY_MS) void this.requeryAndReport();
      },
    });
    build.done
      .then(
        () => undefined,
        () => undefined,
      )
      .finally(() => {
        this.indexing = false;
        this.building = undefined;
        if (!this.closed) void this.requeryAndReport();
      });
    return build;
  }

  private async requeryAndReport(): Promise<void> {
    await this.requery();
    if (!this.closed) this.onStatus(this.status(), false);
  }

  /** Re-runs the current query over the rows indexed so far (one run at a time). */
  private async requery(): Promise<void> {
    while (this.requerying) await this.requerying;
    this.lastRequery = Date.now();
    this.requerying = queryIndex(this.index, this.query).then((result) => {
      // Results come in time order; other orders are a sort of the matching rows only.
      const { key, direction } = this.sort;
      this.result = key === 'time' && direction === 'asc' ? result.rows : sortRows(this.index, result.rows, key, direction);
    });
    try {
      await this.requerying;
    } finally {
      this.requerying = undefined;
    }
  }

  /** Detections per detector over all rows; counted once per index version, not per status. */
  private counted: { index: LogIndex; version: number; detections: ViewerStatus['detections'] } | undefined;

  private detectionCounts(): ViewerStatus['detections'] {
    // The version changes with every append, merge and window pass (which adds hits to rows already counted).
    if (this.counted?.index === this.index && this.counted.version === this.index.version) return this.counted.detections;
    const hits = new Map<string, { hits: number; unknown: number }>();
    // Row ids run to rowCount; rows merged into another (a request split across segments) are dead.
    for (let row = 0; row < this.index.rowCount; row++) {
      if (this.index.isDead(row)) continue;
      for (const entry of this.index.detectorsOf(row)) {
        const id = this.index.detectorIds[entry >> 1]!;
        const count = hits.get(id) ?? { hits: 0, unknown: 0 };
        if (entry & 1) count.unknown++;
        else count.hits++;
        hits.set(id, count);
      }
    }
    const detections = [...hits].map(([id, count]) => {
      const info = detectorInfo(id, this.definitions);
      // A window detector's condition is not its burst: filter by the bursts' keys and time ranges.
      return { id, title: info.title, severity: info.severity, query: windowHitQuery(this.index, id) ?? info.query, ...count };
    });
    this.counted = { index: this.index, version: this.index.version, detections };
    return detections;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
