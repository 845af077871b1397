import type { ClickHouseClient } from '../clickhouseClient';
import { sqlNumber, sqlString } from '../sqlText';
import { TOP_STAGE_RANK, type StoreTable } from '../schema';

/** Requests without a ResponseComplete row named in the condition itself, at most (else the general subquery). */
const MAX_LISTED_INCOMPLETE = 10_000;

/**
 * How the viewer reads the table until it looks again (when rows arrive): the general request-row
 * condition is a subquery over the whole table, and FINAL merges rows at read time; each costs more
 * than the query itself (measured: 466 ms against 65 ms for a count on the 256 MB log). Looked at once
 * per change of the table instead: the requests that have no ResponseComplete row (usually few: in
 * flight, or a panic) are named, and FINAL is left out while the table holds no duplicate rows.
 */
export async function readingPlan(client: ClickHouseClient, base: StoreTable): Promise<StoreTable> {
  const general: StoreTable = { table: base.table, local: base.local, ...(base.cluster ? { cluster: base.cluster } : {}) };
  const [[counts], incomplete] = await Promise.all([
    client.rows<{ stored: number; kept: number }>(`SELECT (SELECT count() FROM ${general.table}) AS stored, (SELECT count() FROM ${general.table} FINAL) AS kept`),
    // A request's rows are on one shard, so grouping over the Distributed table sees each request whole.
    client.rows<{ requestKey: string; topRank: number }>(`SELECT requestKey, max(stageRank) AS topRank FROM ${general.table} GROUP BY requestKey HAVING topRank < ${TOP_STAGE_RANK} LIMIT ${MAX_LISTED_INCOMPLETE + 1}`),
  ]);
  const plan: StoreTable = { ...general, final: Number(counts?.stored) !== Number(counts?.kept) };
  if (incomplete.length > MAX_LISTED_INCOMPLETE) return plan;
  const listed = incomplete.map((row) => `(${sqlString(row.requestKey)}, ${sqlNumber(Number(row.topRank))})`);
  plan.requestRows = listed.length === 0 ? `stageRank = ${TOP_STAGE_RANK}` : `(stageRank = ${TOP_STAGE_RANK} OR (requestKey, stageRank) IN (${listed.join(', ')}))`;
  return plan;
}
