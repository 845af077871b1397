import { createHash } from 'node:crypto';
import { execCommand } from '../auditlog/execCommand';
import { record, type NormalizedEvent } from '../auditlog/normalizedEvent';
import { sqlIdentifier, sqlString } from './sqlText';
import { queryNameOf, REQUEST_FIELDS, TABLE_FIELD_NAMES, type FieldType, type RequestFieldName } from '../protocol/requestFields';
import { stageRank } from '../protocol/vocabulary';

/** How a request field of each type is kept (the one place the field types meet ClickHouse's). */
const COLUMN_TYPES: Readonly<Record<FieldType, string>> = { text: 'String', texts: 'Array(String)', integer: 'Nullable(Int64)', number: 'Nullable(Float64)' };

/**
 * The request field table's query fields (protocol/requestFields.ts), each a column of its name: the
 * event's own (EVENT_FIELD_COLUMNS) and those computed from it (decision, reason). The index-only
 * `resourcePath` is not one: SQL compares resource and subresource.
 */
const FIELD_COLUMNS = TABLE_FIELD_NAMES.filter((name) => queryNameOf(name) !== null);
const EVENT_FIELD_COLUMNS = FIELD_COLUMNS.filter((name): name is RequestFieldName => !('derived' in REQUEST_FIELDS[name]));

/**
 * One row per audit event (each stage of a request), with the fields the local index has plus the
 * raw event. Only types and functions that ClickHouse 18.16 and current releases both have: no
 * DateTime64 (a DateTime for partitions and ordering plus exact epoch milliseconds), no
 * LowCardinality (it needs an experimental setting on 18.16), Nullable where the event may lack a value.
 */
export const COLUMNS: readonly [name: string, type: string][] = [
  ['ts', 'DateTime'], // the request's time in whole seconds, clamped to DateTime's range (1970 when unknown)
  ['timeMs', 'Nullable(Int64)'], // requestReceivedTimestamp (else stageTimestamp, timestamp) in epoch ms
  ['requestKey', 'String'], // auditID, or a hash of the event for events without one (each its own request)
  ['stageRank', 'UInt8'], // RequestReceived 1, ResponseStarted 2, Panic 3, ResponseComplete 4: the highest is the request's row
  ...FIELD_COLUMNS.map((name): [string, string] => [name, COLUMN_TYPES[REQUEST_FIELDS[name].type]]),
  ['codeText', 'String'], // the code as the query language matches it (`code:2*`), '' when absent
  ['command', 'String'], // exec/attach command decoded from requestURI
  ['detections', 'Array(String)'], // ids of the single-request detectors that fired on this event
  ['unknownDetections', 'Array(String)'], // ids that could not decide (the level lacks the body)
  ['format', 'String'],
  ['source', 'String'], // file it was loaded from, or "webhook"
  ['line', 'UInt64'],
  ['raw', 'String'], // the audit.k8s.io Event as JSON (converted for GKE and legacy text)
];

/** The stageRank column of a request's most complete stage. */
export const TOP_STAGE_RANK = stageRank('ResponseComplete');

/** Where the rows live: `table` is what queries and inserts name (the Distributed table on a cluster). */
export interface StoreTable {
  /** Table queries and inserts use. */
  table: string;
  /** The MergeTree table on each node (the same as `table` without a cluster). */
  local: string;
  cluster?: string;
  /**
   * What a reader that looked at the table recently knows (the viewer, see viewer/readingPlan.ts):
   * the condition that picks each request's row, and whether rows may be duplicated (FINAL needed).
   * Absent: the general forms, right for any state of the table.
   */
  requestRows?: string;
  final?: boolean;
}

export function storeTable(table = 'audit_events', cluster?: string): StoreTable {
  sqlIdentifier(table, 'table name');
  if (cluster === undefined) return { table, local: table };
  sqlIdentifier(cluster, 'cluster name');
  return { table, local: `${table}_local`, cluster };
}

/**
 * The statements that create the table on one node. A row is kept once per (time, request, stage):
 * ReplacingMergeTree drops a reloaded or re-sent event in a merge, and queries read FINAL so that a
 * duplicate not yet merged is not counted. On a cluster each node has the MergeTree table and a
 * Distributed table over the cluster, sharded by request so that a request's stages and its
 * duplicates meet on one shard (ON CLUSTER would need ZooKeeper: the DDL is run on every node).
 */
export function createStatements(target: StoreTable): string[] {
  const columns = COLUMNS.map(([name, type]) => `  ${name} ${type}`).join(',\n');
  const local = `CREATE TABLE IF NOT EXISTS ${target.local} (\n${columns}\n) ENGINE = ReplacingMergeTree()\nPARTITION BY toYYYYMMDD(ts)\nORDER BY (ts, requestKey, stage)`;
  const statements = [local, `CREATE TABLE IF NOT EXISTS ${progressTable(target.local)} (source String, fileKey String, events UInt64, updated DateTime) ENGINE = ReplacingMergeTree(events) ORDER BY (source, fileKey)`];
  if (target.cluster) {
    const database = target.local.includes('.') ? target.local.split('.')[0]! : 'currentDatabase()';
    const localName = target.local.includes('.') ? target.local.split('.')[1]! : target.local;
    const db = database === 'currentDatabase()' ? database : sqlString(database);
    statements.push(`CREATE TABLE IF NOT EXISTS ${target.table} AS ${target.local} ENGINE = Distributed(${sqlString(target.cluster)}, ${db}, ${sqlString(localName)}, cityHash64(requestKey))`);
  }
  return statements;
}

/** Where `load` records how far it got in each file (resuming starts there). */
export function progressTable(local: string): string {
  return `${local}_load_progress`;
}

const MAX_DATETIME_S = 4294967295;

/** The row of one event; `detections` are the findings of the single-request detectors on it. */
export function eventRow(event: NormalizedEvent, source: string, detections: { hits: string[]; unknown: string[] } = { hits: [], unknown: [] }): Record<string, unknown> {
  const raw = JSON.stringify(event.event);
  const annotations = record(event.event.annotations);
  const known = !Number.isNaN(event.time);
  const row: Record<string, unknown> = {
    ts: known ? Math.min(MAX_DATETIME_S, Math.max(0, Math.floor(event.time / 1000))) : 0,
    timeMs: known ? event.time : null,
    requestKey: requestKeyOf(event.auditID, raw),
    stageRank: stageRank(event.stage),
  };
  for (const name of EVENT_FIELD_COLUMNS) row[name] = event[name];
  Object.assign(row, {
    code: event.code !== null && Number.isFinite(event.code) ? event.code : null,
    decision: typeof annotations['authorization.k8s.io/decision'] === 'string' ? annotations['authorization.k8s.io/decision'] : '',
    reason: typeof annotations['authorization.k8s.io/reason'] === 'string' ? annotations['authorization.k8s.io/reason'] : '',
    codeText: event.code === null ? '' : String(event.code),
    command: execCommand(event.requestURI),
    detections: detections.hits,
    unknownDetections: detections.unknown,
    format: event.format,
    source,
    line: event.line,
    raw,
  });
  return row;
}

/** Events without an auditID are requests of their own: keyed by their content (a reload keys alike). */
export function requestKeyOf(auditID: string, raw: string): string {
  return auditID !== '' ? auditID : `~${createHash('sha1').update(raw).digest('hex')}`;
}
