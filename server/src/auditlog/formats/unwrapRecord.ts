import { looksLikeEvent, record, type RecordLocation, type SourceFormat } from '../normalizedEvent';
import { convertAksRecord, isAksRecord } from './aks';
import { convertCloudWatch } from './cloudwatch';
import { gkeEntryToEvent, isGkeEntry, isKubernetesAuditEntry } from './gke';
import type { RecordSink } from './recordSink';

/**
 * Turns one decoded JSON value into audit Events, whatever envelope it came in: a bare Event, an
 * EventList, an array, an AKS record, a GKE LogEntry or a CloudWatch shape. The shape is recognised
 * per record (cheap key checks), so a file mixing shapes still reads.
 */
export function unwrapRecord(value: unknown, format: SourceFormat, at: RecordLocation, sink: RecordSink): void {
  if (Array.isArray(value)) {
    for (const item of value) unwrapRecord(item, format === 'k8s-json' ? 'json-array' : format, at, sink);
    return;
  }
  if (value === null || typeof value !== 'object') {
    sink.skip(at, `not an audit event: a JSON ${value === null ? 'null' : typeof value}`);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (obj.kind === 'EventList' || (Array.isArray(obj.items) && !looksLikeEvent(obj))) {
    if (!Array.isArray(obj.items)) {
      sink.skip(at, 'EventList without an items array');
      return;
    }
    for (const item of obj.items) unwrapRecord(item, 'k8s-eventlist', at, sink);
    return;
  }
  if (isGkeEntry(obj)) {
    // One Cloud Logging export mixes services; only k8s.io entries are Kubernetes API requests.
    if (isKubernetesAuditEntry(obj)) sink.event(gkeEntryToEvent(obj), 'gke', at);
    else sink.skip(at, 'Cloud Audit entry of another service than k8s.io');
    return;
  }
  if (isAksRecord(obj)) {
    convertAksRecord(obj, at, sink);
    return;
  }
  if (convertCloudWatch(obj, at, sink, unwrapRecord)) return;
  // Elastic's Kubernetes integration keeps the whole Event under kubernetes.audit.
  const elastic = record(record(obj.kubernetes).audit);
  if (elastic !== obj && looksLikeEvent(elastic)) {
    sink.event(restoreAnnotationKeys(elastic), 'elastic', at);
    return;
  }
  if (!looksLikeEvent(obj)) {
    sink.skip(at, 'not an audit event: no auditID, verb, stage or requestURI');
    return;
  }
  sink.event(obj, format, at);
}

/**
 * Elastic stores annotation keys with the dots of their domain turned into underscores
 * (`authorization_k8s_io/decision`); the domain part is restored so queries use the real keys.
 */
function restoreAnnotationKeys(event: Record<string, unknown>): Record<string, unknown> {
  const annotations = record(event.annotations);
  const keys = Object.keys(annotations);
  if (!keys.some((key) => key.indexOf('_') >= 0 && key.indexOf('_') < key.indexOf('/'))) return event;
  const restored: Record<string, unknown> = {};
  for (const key of keys) {
    const slash = key.indexOf('/');
    restored[slash > 0 ? key.slice(0, slash).replace(/_/g, '.') + key.slice(slash) : key] = annotations[key];
  }
  return { ...event, annotations: restored };
}
