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
import type { DetectorDefinitions } from '../../auditlog/detectors';
import { toJq } from '../../auditlog/query';
import { execCommand } from '../../auditlog/execCommand';
import { describeRequest } from '../../auditlog/viewer/describeRequest';
import { detailedDetections, shownStages } from '../../auditlog/viewer/eventDetails';
import { CSV_HEADER, csvLine, writeExport } from '../../auditlog/viewer/exportRows';
import { parseViewerQuery } from '../../auditlog/viewer/parseViewerQuery';
import { pathColumnCache } from '../../auditlog/viewer/pathColumns';
import { completeQuery, pathPrefixAt } from '../../auditlog/viewer/queryCompletion';
import type { LogViewerSession } from '../../auditlog/viewer/viewerSessions';
import type { ClickHouseClient } from '../clickhouseClient';
import { explainClickHouseError } from '../clickhouseProblem';
import { sqlString } from '../sqlText';
import { compileStoreQuery, fromRows, rowEvent } from '../storeQuery';
import { stageRank } from '../../protocol/vocabulary';
import type { StoreTable } from '../schema';
import { sampleStoreEvents, storeCompletionValues } from './storeCompletion';
import { anchorOf, ROW_COLUMNS, StoreResult, type Anchor, type StoredRow } from './storeResult';
import { rowDetections, stagesOfRows, storeViewerRow } from './storeRows';
import { readingPlan } from './readingPlan';
import { tableSignature, tableSummary, type TableSummary } from './storeStatus';
import { storeTimeline } from './storeTimeline';

/** Rows per page at most (as for files), and per read when exporting. */
const MAX_PAGE_ROWS = 2000;
const EXPORT_CHUNK_ROWS = 10_000;
/** Path columns evaluated per page, as for files. */
const MAX_PATH_COLUMNS = 20;

/**
 * The viewer on a ClickHouse table: the same questions the file viewer answers (count, pages in the
 * table's order, facets, timeline, details with every stage, completion, export), asked of
 * ClickHouse. Nothing of the table is held here but the current page. Every failure is said in
 * plain words (ClickHouseProblem): server down, password refused, table missing.
 */
export class StoreViewerSession implements LogViewerSession {
  private readonly result: StoreResult;
  private summary: TableSummary = { requests: 0, formats: [], bytes: 0, detections: [], timeSpan: null };
  private signature = '';
  private nextLook = 0;
  private closed = false;
  private samples: { query: unknown; events: Record<string, unknown>[] } | undefined;
  private readonly pathColumn = pathColumnCache();

  private constructor(
    private readonly client: ClickHouseClient,
    private readonly target: StoreTable,
    /** What the stored detector ids are called: built-ins and the custom detectors of the viewer's settings. */
    private readonly definitions: DetectorDefinitions,
    private readonly onStatus: (status: ViewerStatus, reset: boolean) => void,
    private readonly onClose: () => void,
  ) {
    this.result = new StoreResult(client, target);
  }

  /** Opens the table: its summary and the count of all requests, or a ClickHouseProblem saying why not. */
  static async open(
    client: ClickHouseClient,
    target: StoreTable,
    definitions: DetectorDefinitions,
    onStatus: (status: ViewerStatus, reset: boolean) => void = () => undefined,
    onClose: () => void = () => undefined,
  ): Promise<StoreViewerSession> {
    const session = new StoreViewerSession(client, target, definitions, onStatus, onClose);
    await session.explained(() => session.look());
    return session;
  }

  /** Reads the table's state: how to read it until it changes, its summary, the current query's count. */
  private async look(signature?: string): Promise<void> {
    // The signature first: rows that arrive while the plan is made change it again, so they are looked at next time.
    const seen = signature ?? (await tableSignature(this.client, this.target));
    const plan = await readingPlan(this.client, this.target);
    this.result.target = plan;
    const [summary] = await Promise.all([tableSummary(this.client, plan, this.definitions), this.result.recount()]);
    this.signature = seen;
    this.summary = summary;
    this.samples = undefined;
  }

  status(): ViewerStatus {
    const { requests, formats, bytes, detections, timeSpan } = this.summary;
    // The table holds what load and serve could read: damaged input was reported when it was loaded.
    return { totalRows: requests, matchingRows: this.result.matching, bytesRead: bytes, totalBytes: bytes, indexing: false, formats, skippedCount: 0, skipped: [], warnings: [], detections, timeSpan };
  }

  async setQuery(text: string, sort?: ViewerSort): Promise<ViewerQueryOutcome> {
    const ast = parseViewerQuery(text);
    if ('ok' in ast) return ast;
    const started = Date.now();
    const matchingRows = await this.explained(() => this.result.set(compileStoreQuery(ast), sort));
    return { ok: true, matchingRows, elapsedMs: Date.now() - started, jq: toJq(ast, { source: text }) };
  }

  rowsWithPaths(start: number, count: number, paths: readonly string[] = []): Promise<ViewerRow[]> {
    return this.explained(async () => {
      const columns = [...new Set(paths)].slice(0, MAX_PATH_COLUMNS).flatMap((text) => this.pathColumn(text) ?? []);
      const page = await this.result.page(start, Math.min(count, MAX_PAGE_ROWS), columns.length > 0 ? `${ROW_COLUMNS}, raw` : ROW_COLUMNS);
      const stages = await stagesOfRows(this.client, this.result.target, page.map((entry) => entry.row));
      return page.map(({ position, row }) => {
        const viewerRow = storeViewerRow(row, position, stages, this.definitions);
        if (columns.length > 0) {
          const event = rowEvent(row as { raw: string });
          viewerRow.paths = Object.fromEntries(columns.map((column) => [column.text, column.value(event)]));
        }
        return viewerRow;
      });
    });
  }

  facets(fields: readonly FacetFieldName[]): Promise<ViewerFacet[]> {
    return this.explained(() => Promise.all(fields.map((field) => this.facet(field))));
  }

  timeline(buckets: number): Promise<ViewerTimeline> {
    return this.explained(() => storeTimeline(this.result, buckets));
  }

  /** The request at `position` with every stage stored for it, redacted unless `reveal`. */
  event(position: number, reveal: boolean): Promise<ViewerEventResult> {
    return this.explained(async () => {
      const [found] = await this.result.page(position, 1, `${ROW_COLUMNS}, raw, decision, source`);
      if (!found) throw new Error(`row ${position} is not in the current result`);
      const { row } = found;
      const stages = await this.client.rows<{ stage: string; raw: string; format: string; line: number }>(
        `SELECT stage, raw, format, line FROM ${fromRows(this.result.target)} WHERE requestKey = ${sqlString(String(row.requestKey))} AND ts >= toDateTime(${Number(row.requestSecond)}) AND stage != ${sqlString(String(row.stage))}`,
      );
      stages.sort((a, b) => stageRank(a.stage) - stageRank(b.stage));
      const event = rowEvent(row as { raw: string });
      const summary = describeRequest({ ...event, time: Number.isNaN(event.time) ? null : event.time, decision: String(row.decision), stages: [...stages.map((s) => s.stage), event.stage].sort((a, b) => stageRank(a) - stageRank(b)) });
      summary.push(row.source === 'webhook' ? 'received by k8s-audit serve (webhook)' : `loaded from ${String(row.source)}, line ${Number(row.line)}`);
      const others = stages.map((stage) => ({ stage: stage.stage, event: rowEvent(stage).event }));
      const shown = shownStages(event.event, others, reveal);
      return { position, line: Number(row.line), summary, command: execCommand(event.requestURI), ...shown, stagesPartial: false, detections: detailedDetections(rowDetections(row), this.definitions) };
    });
  }

  /** Completion with the table's values (GROUP BY), and JSON path keys from sample events of the current result. */
  complete(text: string, cursor: number): Promise<ViewerCompletion> {
    return this.explained(async () => {
      let samples: Record<string, unknown>[] = [];
      if (pathPrefixAt(text, cursor) !== null) {
        if (this.samples?.query !== this.result.compiled) this.samples = { query: this.result.compiled, events: await sampleStoreEvents(this.result) };
        samples = this.samples.events;
      }
      return completeQuery(storeCompletionValues(this.client, this.result.target), text, cursor, samples);
    });
  }

  /**
   * The current result to a file in the table's order, read in chunks by keyset: CSV of the table's
   * columns, or JSON lines of each request's event as stored (not redacted: an export is the user's copy).
   */
  export(format: 'jsonl' | 'csv', path: string): Promise<ViewerExportResult> {
    return this.explained(async () => {
      let rows = 0;
      const bytes = await writeExport(path, async (write) => {
        if (format === 'csv') await write(CSV_HEADER);
        let anchor: Anchor | undefined;
        for (;;) {
          const chunk: StoredRow[] = [];
          // From the anchor row itself (the last one written): one more than a chunk, the first dropped.
          const wanted = EXPORT_CHUNK_ROWS + (anchor ? 1 : 0);
          await this.result.eachOrdered(anchor, wanted, (row) => chunk.push(row), format === 'csv' ? ROW_COLUMNS : `${ROW_COLUMNS}, raw`);
          const fresh = anchor ? chunk.slice(1) : chunk;
          if (format === 'csv') {
            const stages = await stagesOfRows(this.client, this.result.target, fresh);
            for (const row of fresh) await write(csvLine(storeViewerRow(row, rows++, stages, this.definitions)));
          } else {
            for (const row of fresh) {
              await write(`${row.raw}\n`);
              rows++;
            }
          }
          if (chunk.length < wanted) break;
          anchor = anchorOf(chunk[chunk.length - 1]!);
        }
      });
      return { rows, bytes };
    });
  }

  /**
   * Rows arrived (a load, the webhook receiver): count again and tell the viewer. A look at a big
   * table takes long: the next is at least ten looks' time later, so the server is not kept busy.
   */
  async refresh(): Promise<void> {
    if (this.closed || Date.now() < this.nextLook) return;
    const signature = await tableSignature(this.client, this.target);
    if (signature === this.signature) return;
    const started = Date.now();
    await this.look(signature);
    this.nextLook = Date.now() + 10 * (Date.now() - started);
    if (!this.closed) this.onStatus(this.status(), false);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private async facet(field: FacetFieldName): Promise<ViewerFacet> {
    const column = field;
    const counts = new Map<string, number>();
    if (this.result.compiled.condition.exact) {
      let distinct = 0;
      await Promise.all([
        this.result.eachDecided(`${column} AS value, count() AS n`, (row) => void counts.set(row.value === null ? '' : String(row.value), Number(row.n)), { tail: 'GROUP BY value ORDER BY n DESC, value LIMIT 8' }),
        this.result.eachDecided(`uniqExact(${column}) AS n`, (row) => void (distinct = Number(row.n))),
      ]);
      return { field, distinct, top: [...counts].map(([value, count]) => ({ value, count })) };
    }
    await this.result.eachDecided(column, (row) => {
      const value = row[column] === null ? '' : String(row[column]);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    });
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
    return { field, distinct: counts.size, top: top.map(([value, count]) => ({ value, count })) };
  }

  /** Runs `work`, saying a ClickHouse failure in plain words. */
  private async explained<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw explainClickHouseError(error, this.client.connection, this.target.table);
    }
  }
}
