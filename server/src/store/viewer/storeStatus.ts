import type { ViewerStatus } from '../../protocol/logViewer';
import type { DetectorDefinitions } from '../../auditlog/detectors';
import { detectorInfo } from '../../auditlog/viewer/viewerRow';
import type { ClickHouseClient } from '../clickhouseClient';
import { sqlString } from '../sqlText';
import { fromRows, whereRequests } from '../storeQuery';
import type { StoreTable } from '../schema';

/** What the viewer's summary and detections panel say about the whole table. */
export interface TableSummary {
  requests: number;
  formats: string[];
  /** The table's size on disk (every shard's, on a cluster); 0 when system.parts may not be read. */
  bytes: number;
  detections: ViewerStatus['detections'];
  /** The first and last request times (ISO), for the viewer's short time column and completion. */
  timeSpan: ViewerStatus['timeSpan'];
}

/**
 * Requests, formats, size and detections of the table. Detections are those stored with the rows:
 * the single-request detectors `k8s-audit load` or `serve` ran when the events arrived, named by the
 * viewer session's `definitions`.
 */
export async function tableSummary(client: ClickHouseClient, target: StoreTable, definitions: DetectorDefinitions): Promise<TableSummary> {
  const requestRows = whereRequests(target, '1');
  const [requests, formats, hits, unknown, bytes] = await Promise.all([
    client.rows<{ n: number; firstMs: number | null; lastMs: number | null }>(`SELECT count() AS n, min(timeMs) AS firstMs, max(timeMs) AS lastMs FROM ${fromRows(target)} WHERE ${requestRows}`),
    client.rows<{ format: string }>(`SELECT format FROM ${target.table} GROUP BY format ORDER BY count() DESC LIMIT 20`),
    client.rows<{ id: string; n: number }>(`SELECT arrayJoin(detections) AS id, count() AS n FROM ${fromRows(target)} WHERE ${requestRows} GROUP BY id`),
    client.rows<{ id: string; n: number }>(`SELECT arrayJoin(unknownDetections) AS id, count() AS n FROM ${fromRows(target)} WHERE ${requestRows} GROUP BY id`),
    tableBytes(client, target),
  ]);
  const counts = new Map<string, { hits: number; unknown: number }>();
  const entry = (id: string) => counts.get(id) ?? counts.set(id, { hits: 0, unknown: 0 }).get(id)!;
  for (const row of hits) entry(row.id).hits = Number(row.n);
  for (const row of unknown) entry(row.id).unknown = Number(row.n);
  const detections = [...counts].map(([id, count]) => {
    const info = detectorInfo(id, definitions);
    return { id, title: info.title, severity: info.severity, query: info.query, ...count };
  });
  const { n = 0, firstMs = null, lastMs = null } = requests[0] ?? {};
  const timeSpan = firstMs === null || lastMs === null ? null : { first: new Date(Number(firstMs)).toISOString(), last: new Date(Number(lastMs)).toISOString() };
  return { requests: Number(n), formats: formats.map((row) => row.format), bytes, detections, timeSpan };
}

/** Changes when rows arrive (or merges drop duplicates): the viewer counts again only then. */
export async function tableSignature(client: ClickHouseClient, target: StoreTable): Promise<string> {
  const [row] = await client.rows<{ n: number; lastSecond: number }>(`SELECT count() AS n, toUInt32(max(ts)) AS lastSecond FROM ${target.table}`);
  return `${row?.n}/${row?.lastSecond}`;
}

async function tableBytes(client: ClickHouseClient, target: StoreTable): Promise<number> {
  const [database, table] = target.local.includes('.') ? target.local.split('.') : [client.connection.database, target.local];
  // On a cluster every shard's parts count: the cluster() table function asks each node's system.parts.
  const parts = target.cluster ? `cluster(${sqlString(target.cluster)}, system, parts)` : 'system.parts';
  try {
    const [row] = await client.rows<{ n: number }>(`SELECT sum(bytes_on_disk) AS n FROM ${parts} WHERE active AND database = ${sqlString(database!)} AND table = ${sqlString(table!)}`);
    return Number(row?.n ?? 0);
  } catch {
    // The size is a detail of the summary: a user without access to system tables still sees the rows.
    return 0;
  }
}
