import type { FacetFieldName, ViewerEventResult, ViewerFacet, ViewerQueryResult, ViewerRow, ViewerSort, ViewerTimeline } from '../../protocol/logViewer';
import { parseQuery, QuerySyntaxError, toJq, type QueryNode } from '../../auditlog/query';
import { redactEvent } from '../../auditlog/redact';
import { execCommand } from '../../auditlog/execCommand';
import { bucketLayout } from '../../auditlog/viewer/timeline';
import { detectorInfo, rowMark } from '../../auditlog/viewer/viewerRow';
import { requestTarget } from '../../auditlog/requestTarget';
import type { ClickHouseClient } from '../clickhouseClient';
import { sqlNumber, sqlString } from '../sqlText';
import { compileStoreQuery, countRequests, fromRows, rowEvent, whereRequests, type CompiledStoreQuery } from '../storeQuery';
import type { StoreTable } from '../schema';

/** A page boundary is remembered every this many positions: the next page starts from it (keyset). */
const ANCHOR_EVERY = 200;
const ROW_COLUMNS = 'timeMs, stage, user, impersonatedUser, verb, resource, subresource, requestURI, namespace, name, code, latencyMs, sourceIP, userAgent, detections, unknownDetections, line, format';
const FACET_COLUMN: Record<FacetFieldName, string> = { user: 'user', verb: 'verb', resource: 'resource', namespace: 'namespace', code: 'code', userAgent: 'userAgent' };

/** The sort of the table as a keyset: the ORDER BY expressions, ending with a unique (request, stage). */
const SORT_KEYS: Record<ViewerSort['key'], string[]> = {
  time: ['toUInt32(ts)', 'ifNull(timeMs, 0)', 'requestKey', 'stage'],
  latency: ['ifNull(latencyMs, -1000000000000)', 'toUInt32(ts)', 'requestKey', 'stage'],
  code: ['ifNull(code, -1)', 'toUInt32(ts)', 'requestKey', 'stage'],
};

type StoredRow = Record<string, unknown> & { raw?: string; decided?: number; k0: unknown; k1: unknown; k2: unknown; k3: unknown };

/**
 * The viewer's questions answered by ClickHouse: the current query's count, pages of rows in the
 * table's order (from the nearest remembered page boundary, by keyset, never by loading the table),
 * facets by GROUP BY, the timeline by buckets, one request's event. A query with JSON path terms is
 * prefiltered in SQL and decided by the query language's evaluator on the rows SQL returns.
 */
export class StoreViewerSession {
  private query: CompiledStoreQuery = compileStoreQuery(parseQuery(''));
  private sort: ViewerSort = { key: 'time', direction: 'asc' };
  private matching = 0;
  private total = 0;
  /** Position -> keyset values of the row there, for the current query and sort. */
  private anchors = new Map<number, unknown[]>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly target: StoreTable,
  ) {}

  async open(): Promise<void> {
    this.total = await countRequests(this.client, this.target, this.query);
    this.matching = this.total;
  }

  get matchingRows(): number {
    return this.matching;
  }

  get totalRows(): number {
    return this.total;
  }

  async setQuery(text: string, sort?: ViewerSort): Promise<ViewerQueryResult> {
    let ast: QueryNode;
    try {
      ast = parseQuery(text);
    } catch (error) {
      if (error instanceof QuerySyntaxError) return { ok: false, error: { offset: error.offset, length: error.length, message: error.message } };
      throw error;
    }
    const started = Date.now();
    this.query = compileStoreQuery(ast);
    if (sort) this.sort = sort;
    this.anchors = new Map();
    this.matching = await countRequests(this.client, this.target, this.query);
    return { ok: true, matchingRows: this.matching, elapsedMs: Date.now() - started, jq: toJq(ast) };
  }

  /** Rows [start, start + count) of the current result, read from the nearest page boundary before `start`. */
  async rows(start: number, count: number): Promise<ViewerRow[]> {
    const from = Math.floor(start / ANCHOR_EVERY) * ANCHOR_EVERY;
    let anchorAt = from;
    while (anchorAt > 0 && !this.anchors.has(anchorAt)) anchorAt -= ANCHOR_EVERY;
    const anchor = this.anchors.get(anchorAt);
    const rows: ViewerRow[] = [];
    let position = anchorAt;
    await this.eachMatch(anchor, start + count - anchorAt, (row) => {
      if (position % ANCHOR_EVERY === 0) this.anchors.set(position, [row.k0, row.k1, row.k2, row.k3]);
      if (position >= start) rows.push(this.viewerRow(row, position));
      position++;
    });
    return rows;
  }

  async facets(fields: readonly FacetFieldName[]): Promise<ViewerFacet[]> {
    return Promise.all(
      fields.map(async (field) => {
        const column = FACET_COLUMN[field];
        if (!this.query.condition.exact) return this.facetByEvaluator(field, column);
        const where = whereRequests(this.target, this.query.condition.upper);
        const [top, distinct] = await Promise.all([
          this.client.rows<{ value: unknown; n: number }>(`SELECT ${column} AS value, count() AS n FROM ${fromRows(this.target)} WHERE ${where} GROUP BY value ORDER BY n DESC, value LIMIT 8`),
          this.client.rows<{ n: number }>(`SELECT uniqExact(${column}) AS n FROM ${fromRows(this.target)} WHERE ${where}`),
        ]);
        return { field, distinct: Number(distinct[0]?.n ?? 0), top: top.map((entry) => ({ value: entry.value === null ? '' : String(entry.value), count: Number(entry.n) })) };
      }),
    );
  }

  async timeline(buckets: number): Promise<ViewerTimeline> {
    const times: { time: number; code: number | null; hit: boolean }[] = [];
    // Only the three numbers per matching request are read (the result's requests, not the table).
    await this.eachMatch(undefined, Infinity, (row) => {
      if (row.timeMs !== null) times.push({ time: Number(row.timeMs), code: row.code === null ? null : Number(row.code), hit: (row.detections as string[]).length > 0 });
    }, 'timeMs, code, detections');
    if (times.length === 0) return { start: 0, bucketMs: 0, requests: [], errors: [], detections: [], status: { ok: [], other: [], clientError: [], serverError: [] } };
    const layout = bucketLayout(Math.min(...times.map((t) => t.time)), Math.max(...times.map((t) => t.time)), Math.max(1, Math.min(buckets, 1000)));
    const zeros = () => new Array<number>(layout.count).fill(0);
    const result: ViewerTimeline = { start: layout.start, bucketMs: layout.bucketMs, requests: zeros(), errors: zeros(), detections: zeros(), status: { ok: zeros(), other: zeros(), clientError: zeros(), serverError: zeros() } };
    for (const { time, code, hit } of times) {
      const bucket = Math.floor((time - layout.start) / layout.bucketMs);
      result.requests[bucket]!++;
      if (code !== null && code >= 400) result.errors[bucket]!++;
      if (code !== null && code >= 200 && code < 300) result.status.ok[bucket]!++;
      else if (code !== null && code >= 400 && code < 500) result.status.clientError[bucket]!++;
      else if (code !== null && code >= 500 && code < 600) result.status.serverError[bucket]!++;
      else result.status.other[bucket]!++;
      if (hit) result.detections[bucket]!++;
    }
    return result;
  }

  async event(position: number, reveal: boolean): Promise<ViewerEventResult> {
    const [row] = await this.rowsWithRaw(position);
    if (!row) throw new Error(`row ${position} is not in the current result`);
    const event = rowEvent(row as { raw: string });
    const shown = reveal ? { value: event.event, redactions: [] } : redactEvent(event.event);
    const detections = [...(row.detections as string[]).map((id) => ({ id, outcome: 'hit' as const })), ...(row.unknownDetections as string[]).map((id) => ({ id, outcome: 'unknown' as const }))].map(({ id, outcome }) => {
      const { query: _query, ...info } = detectorInfo(id);
      return { ...info, outcome };
    });
    const summary = [`${event.user || '(no user)'} ${event.verb} ${requestTarget(event)}`, [event.namespace, event.name].filter(Boolean).join('/'), event.code === null ? '' : `answered ${event.code}`].filter(Boolean);
    return { position, line: Number(row.line), summary, command: execCommand(event.requestURI), json: JSON.stringify(shown.value, null, 2), otherStages: [], stagesPartial: false, redactions: shown.redactions.length, detections };
  }

  private async rowsWithRaw(position: number): Promise<StoredRow[]> {
    const found: StoredRow[] = [];
    const from = Math.floor(position / ANCHOR_EVERY) * ANCHOR_EVERY;
    let at = this.anchors.has(from) ? from : 0;
    await this.eachMatch(this.anchors.get(at), position + 1 - at, (row) => {
      if (at++ === position) found.push(row);
    }, `${ROW_COLUMNS}, raw`);
    return found;
  }

  private async facetByEvaluator(field: FacetFieldName, column: string): Promise<ViewerFacet> {
    const counts = new Map<string, number>();
    await this.eachMatch(undefined, Infinity, (row) => {
      const value = row[column] === null ? '' : String(row[column]);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }, column);
    const top = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8);
    return { field, distinct: counts.size, top: top.map(([value, count]) => ({ value, count })) };
  }

  /**
   * The current result's rows from `anchor` on (keyset values of the sort), in the table's order, at
   * most `limit`. SQL decides exact queries (LIMIT in SQL); the others read on until `limit` rows
   * passed the evaluator, then close the answer.
   */
  private async eachMatch(anchor: unknown[] | undefined, limit: number, onRow: (row: StoredRow) => void, columns = ROW_COLUMNS): Promise<void> {
    if (limit <= 0) return;
    const keys = SORT_KEYS[this.sort.key];
    const direction = this.sort.direction === 'asc' ? 'ASC' : 'DESC';
    const { condition, predicate } = this.query;
    // From the anchor row itself (the keys are unique): positions count on from the anchor's.
    const after = anchor ? ` AND (${keys.join(', ')}) ${direction === 'ASC' ? '>=' : '<='} (${anchor.map(literal).join(', ')})` : '';
    const decided = condition.exact ? '' : `${columns.split(', ').includes('raw') ? '' : ', raw'}, ${condition.lower} AS decided`;
    const sql =
      `SELECT ${columns}${decided}, ${keys.map((key, i) => `${key} AS k${i}`).join(', ')} FROM ${fromRows(this.target)} ` +
      `WHERE ${whereRequests(this.target, condition.upper)}${after} ORDER BY ${keys.map((key) => `${key} ${direction}`).join(', ')}` +
      (condition.exact && Number.isFinite(limit) ? ` LIMIT ${Math.floor(limit)}` : '');
    let sent = 0;
    await this.client.eachRow<StoredRow>(sql, (row) => {
      if (sent >= limit) return false;
      if (!condition.exact && row.decided !== 1 && !predicate(rowEvent(row as { raw: string }))) return true;
      sent++;
      onRow(row);
      return sent < limit;
    });
  }

  private viewerRow(row: StoredRow, position: number): ViewerRow {
    const detections = [...(row.detections as string[]).map((id) => ({ id, outcome: 'hit' as const })), ...(row.unknownDetections as string[]).map((id) => ({ id, outcome: 'unknown' as const }))];
    const { mark, titles } = rowMark(detections);
    const target = { resource: String(row.resource), subresource: String(row.subresource), requestURI: String(row.requestURI) };
    return {
      position,
      line: Number(row.line),
      time: row.timeMs === null ? '' : new Date(Number(row.timeMs)).toISOString(),
      stages: String(row.stage),
      user: String(row.user),
      impersonatedUser: String(row.impersonatedUser),
      verb: String(row.verb),
      resource: requestTarget(target),
      namespace: String(row.namespace),
      name: String(row.name),
      code: row.code === null ? null : Number(row.code),
      latencyMs: row.latencyMs === null ? null : Number(row.latencyMs),
      sourceIP: String(row.sourceIP),
      userAgent: String(row.userAgent),
      mark,
      detectors: titles,
    };
  }
}

function literal(value: unknown): string {
  return typeof value === 'number' ? sqlNumber(value) : sqlString(String(value));
}
