import type { RequestFields } from '../protocol/requestFields';
import type { Level } from '../protocol/vocabulary';
import { parseTimestampMs } from './timestamp';

/**
 * Where an event came from. Each input shape converts its records into an audit.k8s.io Event object
 * first, so body queries and detectors use the same JSON paths whatever the source was.
 */
export type SourceFormat =
  | 'k8s-json' // audit.k8s.io Event per line (v1, v1beta1 or no apiVersion)
  | 'k8s-eventlist' // webhook EventList payloads
  | 'json-array' // a JSON array of Events
  | 'legacy-text' // --audit-log-format=legacy (1.8+), one line per stage
  | 'legacy-text-pre1.8' // two lines per request, the second holding only the response code
  | 'aks' // Azure diagnostic record, Event in properties.log (string or object)
  | 'gke' // Cloud Logging LogEntry with a Cloud Audit protoPayload
  | 'eks-tail' // `aws logs tail` line: <timestamp> <stream> <Event JSON>
  | 'eks-filter-log-events' // `aws logs filter-log-events` JSON: events[].message
  | 'eks-subscription' // CloudWatch subscription / Firehose envelope: logEvents[].message
  | 'eks-insights-csv' // Logs Insights CSV export: @timestamp,@message
  | 'elastic'; // Elastic's copy: the Event under kubernetes.audit

/** The level a request was logged at; bodies only exist at Request and RequestResponse. */
export type AuditLevel = Level;

/**
 * One audit event with the fields the index, the table, queries and detectors use. Built once per
 * record; `event` keeps the whole decoded Event for body queries (requestObject, responseObject...).
 * Strings are '' and numbers null when the record lacks them, so consumers never branch on undefined.
 */
export interface NormalizedEvent extends RequestFields {
  /** requestReceivedTimestamp (or the record's own time), epoch milliseconds; NaN when unknown. */
  time: number;
  format: SourceFormat;
  /** Index of the file in the reader's file list (0 for a single file). */
  file: number;
  /** 1-based line where the record starts (in the decompressed text for .gz files). */
  line: number;
  /** Byte offset where the record starts (in the decompressed stream for .gz files). */
  offset: number;
  /**
   * Bytes this event took in the file (its line and line break) when the line held exactly this one
   * event as the apiserver writes it (JSON lines, legacy text); -1 for events inside envelopes,
   * lists or pretty-printed documents, whose size on disk is not the size the apiserver would write.
   */
  recordBytes: number;
  /** The decoded audit.k8s.io Event (converted for GKE and legacy text). Treat as untrusted. */
  event: Record<string, unknown>;
}

/** Where a record starts; passed from the reader through the format converters to the normaliser. */
export interface RecordLocation {
  file: number;
  line: number;
  offset: number;
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : EMPTY;
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_GROUPS: readonly string[] = Object.freeze([]);

/** True when a decoded JSON object looks enough like an audit Event to be worth a row. */
export function looksLikeEvent(value: Record<string, unknown>): boolean {
  return typeof value.auditID === 'string' || typeof value.verb === 'string' || typeof value.requestURI === 'string' || typeof value.stage === 'string';
}

/**
 * Reads the index fields out of a decoded Event. Tolerates any shape (`{"kind": 0}` included):
 * mistyped fields become '' or null, never exceptions.
 */
export function normalizeEvent(event: Record<string, unknown>, format: SourceFormat, at: RecordLocation): NormalizedEvent {
  const objectRef = record(event.objectRef);
  const user = record(event.user);
  const status = record(event.responseStatus);
  const sourceIPs = event.sourceIPs;
  const received = text(event.requestReceivedTimestamp);
  const stageTime = text(event.stageTimestamp);
  const receivedMs = received ? parseTimestampMs(received) : NaN;
  const stageMs = stageTime ? parseTimestampMs(stageTime) : NaN;
  let time = receivedMs;
  if (Number.isNaN(time)) time = Number.isNaN(stageMs) ? parseTimestampMs(text(event.timestamp)) : stageMs;
  const latency = stageMs - receivedMs;
  return {
    time,
    auditID: text(event.auditID),
    stage: text(event.stage),
    level: text(event.level),
    user: text(user.username),
    groups: stringList(user.groups),
    impersonatedUser: text(record(event.impersonatedUser).username),
    verb: text(event.verb),
    apiGroup: text(objectRef.apiGroup),
    resource: text(objectRef.resource),
    subresource: text(objectRef.subresource),
    namespace: text(objectRef.namespace),
    name: objectName(event, objectRef),
    requestURI: text(event.requestURI),
    code: typeof status.code === 'number' ? status.code : null,
    sourceIP: Array.isArray(sourceIPs) ? text(sourceIPs[0]) : '',
    userAgent: text(event.userAgent),
    latencyMs: Number.isNaN(latency) ? null : latency,
    format,
    file: at.file,
    line: at.line,
    offset: at.offset,
    recordBytes: -1,
    event,
  };
}

/**
 * The event's fields as values of a plain object, with `event` as given: a ScannedEvent's fields are
 * getters over the field scanner's buffers (gone after its next scan), and spreading one copies none.
 */
export function copyEvent(e: NormalizedEvent, event: Record<string, unknown>): NormalizedEvent {
  return {
    time: e.time,
    auditID: e.auditID,
    stage: e.stage,
    level: e.level,
    user: e.user,
    groups: e.groups,
    impersonatedUser: e.impersonatedUser,
    verb: e.verb,
    apiGroup: e.apiGroup,
    resource: e.resource,
    subresource: e.subresource,
    namespace: e.namespace,
    name: e.name,
    requestURI: e.requestURI,
    code: e.code,
    sourceIP: e.sourceIP,
    userAgent: e.userAgent,
    latencyMs: e.latencyMs,
    format: e.format,
    file: e.file,
    line: e.line,
    offset: e.offset,
    recordBytes: e.recordBytes,
    event,
  };
}

/** The array itself when it holds only strings (the normal case: no copy per event). */
function stringList(value: unknown): readonly string[] {
  if (!Array.isArray(value)) return NO_GROUPS;
  for (const item of value) if (typeof item !== 'string') return value.filter((g): g is string => typeof g === 'string');
  return value as string[];
}

/** Creates with generateName have no objectRef.name; the created object's metadata has it. */
function objectName(event: Record<string, unknown>, objectRef: Record<string, unknown>): string {
  const name = text(objectRef.name);
  if (name !== '') return name;
  const fromResponse = text(record(record(event.responseObject).metadata).name);
  if (fromResponse !== '') return fromResponse;
  return text(record(record(event.requestObject).metadata).name);
}
