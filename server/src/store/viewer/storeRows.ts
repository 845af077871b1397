import type { ViewerRow } from '../../protocol/logViewer';
import { compileDetectors, type DetectorDefinitions } from '../../auditlog/detectors';
import { requestTarget } from '../../auditlog/requestTarget';
import { rowMark } from '../../auditlog/viewer/viewerRow';
import type { ClickHouseClient } from '../clickhouseClient';
import { sqlNumber, sqlString } from '../sqlText';
import { fromRows } from '../storeQuery';
import { stageRank } from '../../protocol/vocabulary';
import type { StoreTable } from '../schema';
import type { StoredRow } from './storeResult';

let catalogOrder: Map<string, number> | undefined;

/**
 * The detectors stored with a row (hits and the ones that could not decide are two columns) in the
 * catalog's order, as the file viewer lists them; detectors the catalog lacks (custom ones) last.
 */
export function rowDetections(row: StoredRow): { id: string; outcome: 'hit' | 'unknown' }[] {
  catalogOrder ??= new Map(compileDetectors().map((detector, i) => [detector.definition.id, i]));
  const rank = (id: string) => catalogOrder!.get(id) ?? Infinity;
  const found = [...(row.detections as string[]).map((id) => ({ id, outcome: 'hit' as const })), ...(row.unknownDetections as string[]).map((id) => ({ id, outcome: 'unknown' as const }))];
  return found.sort((a, b) => rank(a.id) - rank(b.id));
}

/** A stored request row as the table shows it; `stages`: every stage stored per request key (stagesOfRows). */
export function storeViewerRow(row: StoredRow, position: number, stages: ReadonlyMap<string, string[]>, definitions: DetectorDefinitions): ViewerRow {
  const { mark, titles } = rowMark(rowDetections(row), definitions);
  const target = { resource: String(row.resource), subresource: String(row.subresource), requestURI: String(row.requestURI) };
  return {
    position,
    line: Number(row.line),
    time: row.timeMs === null ? '' : new Date(Number(row.timeMs)).toISOString(),
    stages: (stages.get(String(row.requestKey)) ?? [String(row.stage)]).join(', '),
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

/**
 * Every stage stored for the requests of some rows (for the Stages column), in stage order. One
 * query per page, by (second, request key): the table's sort key, since a request's stages share
 * its second (requestReceivedTimestamp). A request logged without that time shows its own stage.
 */
export async function stagesOfRows(client: ClickHouseClient, target: StoreTable, rows: readonly StoredRow[]): Promise<Map<string, string[]>> {
  const stages = new Map<string, string[]>();
  if (rows.length === 0) return stages;
  const keys = [...new Set(rows.map((row) => `(toDateTime(${sqlNumber(Number(row.requestSecond))}), ${sqlString(String(row.requestKey))})`))];
  await client.eachRow<{ requestKey: string; stages: string[] }>(`SELECT requestKey, groupUniqArray(stage) AS stages FROM ${fromRows(target)} WHERE (ts, requestKey) IN (${keys.join(', ')}) GROUP BY requestKey`, (row) => {
    stages.set(row.requestKey, row.stages.sort((a, b) => stageRank(a) - stageRank(b)));
  });
  return stages;
}
