import { VIEWER_ROW_FIELDS, type ViewerSort } from '../../protocol/logViewer';
import { parseQuery } from '../../auditlog/query';
import type { ClickHouseClient } from '../clickhouseClient';
import { sqlNumber, sqlString } from '../sqlText';
import { compileStoreQuery, countRequests, fromRows, rowEvent, whereRequests, type CompiledStoreQuery } from '../storeQuery';
import type { StoreTable } from '../schema';

/** A page boundary is remembered every this many positions: the next page starts from it (keyset). */
const ANCHOR_EVERY = 200;
/**
 * A page this far past the nearest remembered boundary (a jump down the scrollbar) is found by OFFSET
 * when SQL decides the query (one sorted read of the matching rows' keys), and its start remembered.
 */
const FAR_ROWS = 2_000;

/** The columns of a table row (and what the details and stages need to find the request's other rows). */
export const ROW_COLUMNS = [
  ...VIEWER_ROW_FIELDS,
  'subresource', 'requestURI', // with resource: the table's target (requestTarget)
  'timeMs', 'stage', 'detections', 'unknownDetections', 'line', 'format', 'requestKey',
  'toUInt32(ts) AS requestSecond', // with requestKey: where stagesOfRows finds the request's other stages
].join(', ');

/** The sort of the table as a keyset: the ORDER BY expressions, ending with a unique (request, stage). */
const SORT_KEYS: Record<ViewerSort['key'], string[]> = {
  time: ['toUInt32(ts)', 'ifNull(timeMs, 0)', 'requestKey', 'stage'],
  latency: ['ifNull(latencyMs, -1000000000000)', 'toUInt32(ts)', 'requestKey', 'stage'],
  code: ['ifNull(code, -1)', 'toUInt32(ts)', 'requestKey', 'stage'],
};

export type StoredRow = Record<string, unknown> & { raw?: string; format?: string; decided?: number; k0: unknown; k1: unknown; k2: unknown; k3: unknown };

/** Keyset values of a row: where reading in the table's order can start again. */
export type Anchor = unknown[];

export function anchorOf(row: StoredRow): Anchor {
  return [row.k0, row.k1, row.k2, row.k3];
}

/**
 * The current query's result in ClickHouse: its count, and its rows in the table's order read from
 * a keyset (never by OFFSET, never the whole table). Queries SQL cannot decide (JSON path terms) are
 * prefiltered in SQL and decided by the query language's evaluator on the raw events returned.
 */
export class StoreResult {
  private query: CompiledStoreQuery = compileStoreQuery(parseQuery(''));
  private sort: ViewerSort = { key: 'time', direction: 'asc' };
  /** Position -> keyset values of the row there, for the current query and sort. */
  private anchors = new Map<number, Anchor>();
  matching = 0;

  constructor(
    readonly client: ClickHouseClient,
    /** The table as the session's reading plan has it (replaced when the table changes). */
    public target: StoreTable,
  ) {}

  get compiled(): CompiledStoreQuery {
    return this.query;
  }

  /** A new query (and sort): counted at once. */
  async set(query: CompiledStoreQuery, sort?: ViewerSort): Promise<number> {
    this.query = query;
    if (sort) this.sort = sort;
    return this.recount();
  }

  /** Counts again (rows arrived): remembered boundaries may have moved. */
  async recount(): Promise<number> {
    this.anchors = new Map();
    const query = this.query;
    const matching = await countRequests(this.client, this.target, query);
    // A count of a query replaced meanwhile is not the result's.
    if (query === this.query) this.matching = matching;
    return matching;
  }

  /** Rows [start, start + count) with their positions, read from the nearest remembered boundary before `start`. */
  async page(start: number, count: number, columns = ROW_COLUMNS): Promise<{ position: number; row: StoredRow }[]> {
    const from = Math.floor(start / ANCHOR_EVERY) * ANCHOR_EVERY;
    let anchorAt = from;
    while (anchorAt > 0 && !this.anchors.has(anchorAt)) anchorAt -= ANCHOR_EVERY;
    const jump = from - anchorAt > FAR_ROWS && this.query.condition.exact;
    if (jump) anchorAt = from;
    const rows: { position: number; row: StoredRow }[] = [];
    let position = anchorAt;
    await this.eachOrdered(jump ? undefined : this.anchors.get(anchorAt), start + count - anchorAt, (row) => {
      if (position % ANCHOR_EVERY === 0) this.anchors.set(position, anchorOf(row));
      if (position >= start) rows.push({ position, row });
      position++;
    }, columns, jump ? from : 0);
    return rows;
  }

  /**
   * The result's rows from `anchor` on (the anchor row included; or past the first `offset` rows,
   * for exact queries only), in the table's order, at most `limit`. SQL decides exact queries (LIMIT in SQL); the others read on until `limit` rows passed
   * the evaluator, then close the answer.
   */
  async eachOrdered(anchor: Anchor | undefined, limit: number, onRow: (row: StoredRow) => void, columns = ROW_COLUMNS, offset = 0): Promise<void> {
    if (limit <= 0) return;
    const keys = SORT_KEYS[this.sort.key];
    const direction = this.sort.direction === 'asc' ? 'ASC' : 'DESC';
    const after = anchor ? `(${keys.join(', ')}) ${direction === 'ASC' ? '>=' : '<='} (${anchor.map(literal).join(', ')})` : '';
    const order = `ORDER BY ${keys.map((key) => `${key} ${direction}`).join(', ')}`;
    // LIMIT offset, count: the form 18.16 and current releases both read.
    const sqlLimit = this.query.condition.exact && Number.isFinite(limit) ? ` LIMIT ${offset > 0 ? `${Math.floor(offset)}, ` : ''}${Math.floor(limit)}` : '';
    await this.eachDecided(`${columns}, ${keys.map((key, i) => `${key} AS k${i}`).join(', ')}`, onRow, { where: after, tail: `${order}${sqlLimit}`, limit });
  }

  /**
   * Every row of the result with `columns` (in no particular order unless `tail` orders it), at
   * most `limit`; `where` narrows the rows further.
   */
  async eachDecided(columns: string, onRow: (row: StoredRow) => void, options: { where?: string; tail?: string; limit?: number } = {}): Promise<void> {
    const { condition, predicate } = this.query;
    const limit = options.limit ?? Infinity;
    if (condition.upper === '0' || limit <= 0) return;
    const decided = condition.exact ? '' : `${/\braw\b/.test(columns) ? '' : ', raw'}${/\bformat\b/.test(columns) ? '' : ', format'}, ${condition.lower} AS decided`;
    const where = [whereRequests(this.target, condition.upper), options.where].filter(Boolean).join(' AND ');
    const sql = `SELECT ${columns}${decided} FROM ${fromRows(this.target)} WHERE ${where}${options.tail ? ` ${options.tail}` : ''}`;
    let sent = 0;
    await this.client.eachRow<StoredRow>(sql, (row) => {
      if (sent >= limit) return false;
      if (!condition.exact && row.decided !== 1 && !predicate(rowEvent(row as { raw: string }))) return true;
      sent++;
      onRow(row);
      return sent < limit;
    });
  }
}

function literal(value: unknown): string {
  return typeof value === 'number' ? sqlNumber(value) : sqlString(String(value));
}
