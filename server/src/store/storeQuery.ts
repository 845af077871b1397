import { normalizeEvent, type NormalizedEvent, type SourceFormat } from '../auditlog/normalizedEvent';
import type { QueryNode } from '../auditlog/query/ast';
import { compileQuery, type EventPredicate } from '../auditlog/query/evaluate';
import type { ClickHouseClient } from './clickhouseClient';
import { compileSql, type SqlCondition } from './querySql';
import { TOP_STAGE_RANK, type StoreTable } from './schema';

/**
 * A request matches when its most complete stage does, as in the file engine. A request's row is
 * its stage of the highest rank: any ResponseComplete row, and for requests without one (in flight,
 * or a policy that omits it) the row of their highest stage. The inner lookups name the node's own
 * table: a request's rows all live on one shard, so each shard answers for its requests alone.
 */
export function requestRowCondition(target: StoreTable): string {
  if (target.requestRows !== undefined) return target.requestRows;
  const local = target.local;
  return (
    `(stageRank = ${TOP_STAGE_RANK} OR (requestKey, stageRank) IN ` +
    `(SELECT requestKey, max(stageRank) FROM ${local} WHERE requestKey IN (SELECT requestKey FROM ${local} WHERE stageRank < ${TOP_STAGE_RANK}) GROUP BY requestKey))`
  );
}

/** FROM clause that reads each (time, request, stage) once even before ClickHouse merged duplicates. */
export function fromRows(target: StoreTable): string {
  return target.final === false ? target.table : `${target.table} FINAL`;
}

export interface CompiledStoreQuery {
  condition: SqlCondition;
  /** The file engine's own predicate, for the rows SQL cannot decide. */
  predicate: EventPredicate;
}

export function compileStoreQuery(ast: QueryNode): CompiledStoreQuery {
  return { condition: compileSql(ast), predicate: compileQuery(ast) };
}

/** The raw event of a row as the file engine's normalised event. */
export function rowEvent(row: { raw: string; format?: string; line?: number }): NormalizedEvent {
  const event = JSON.parse(row.raw) as Record<string, unknown>;
  return normalizeEvent(event, (row.format ?? 'k8s-json') as SourceFormat, { file: 0, line: Number(row.line ?? 0), offset: 0 });
}

/** WHERE of the request rows a condition selects (`bound`: which side of an inexact condition). */
export function whereRequests(target: StoreTable, condition: string): string {
  return condition === '1' ? requestRowCondition(target) : `${requestRowCondition(target)} AND ${condition}`;
}

/** The SELECT `k8s-audit query --format sql` prints: the requests' rows, with the undecided ones marked. */
export function requestsSql(target: StoreTable, query: CompiledStoreQuery, columns: string, extra = ''): string {
  const { condition } = query;
  const decided = condition.exact ? '' : `, ${condition.lower} AS decided`;
  return `SELECT ${columns}${decided}\nFROM ${fromRows(target)}\nWHERE ${whereRequests(target, condition.upper)}${extra ? `\n${extra}` : ''}`;
}

/** How many requests match: in SQL when it decides, else SQL's sure rows plus the evaluator's verdict on the rest. */
export async function countRequests(client: ClickHouseClient, target: StoreTable, query: CompiledStoreQuery): Promise<number> {
  const { condition, predicate } = query;
  if (condition.upper === '0') return 0;
  const sure = condition.lower === '0' ? 0 : await countWhere(client, target, condition.lower);
  if (condition.exact) return sure;
  let decided = 0;
  const undecided = condition.lower === '0' ? condition.upper : `${condition.upper} AND NOT ${condition.lower}`;
  await client.eachRow<{ raw: string; format: string }>(`SELECT raw, format FROM ${fromRows(target)} WHERE ${whereRequests(target, undecided)}`, (row) => {
    if (predicate(rowEvent(row))) decided++;
  });
  return sure + decided;
}

async function countWhere(client: ClickHouseClient, target: StoreTable, condition: string): Promise<number> {
  const rows = await client.rows<{ n: number }>(`SELECT count() AS n FROM ${fromRows(target)} WHERE ${whereRequests(target, condition)}`);
  return Number(rows[0]?.n ?? 0);
}

export interface StoredRequest {
  event: NormalizedEvent;
  source: string;
  line: number;
}

/** The matching requests' rows in time order (at most `limit`), each decided exactly. */
export async function eachRequest(client: ClickHouseClient, target: StoreTable, query: CompiledStoreQuery, onRequest: (request: StoredRequest) => boolean | void, limit = Infinity): Promise<void> {
  const { condition, predicate } = query;
  if (condition.upper === '0' || limit <= 0) return;
  const sqlLimit = condition.exact && Number.isFinite(limit) ? `LIMIT ${Math.floor(limit)}` : '';
  let sent = 0;
  let stopped = false;
  await client.eachRow<{ raw: string; format: string; source: string; line: number; decided?: number }>(
    requestsSql(target, query, 'raw, format, source, line', `ORDER BY ts, timeMs, requestKey ${sqlLimit}`),
    (row) => {
      if (stopped) return;
      const event = rowEvent(row);
      if (!condition.exact && row.decided !== 1 && !predicate(event)) return;
      sent++;
      if (onRequest({ event, source: row.source, line: Number(row.line) }) === false || sent >= limit) stopped = true;
    },
  );
}
