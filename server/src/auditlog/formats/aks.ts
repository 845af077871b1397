import { record, text, type RecordLocation } from '../normalizedEvent';
import { parseEmbeddedJson } from './embeddedJson';
import type { RecordSink } from './recordSink';

// AKS diagnostic settings records (Event Hub, Storage, Log Analytics export):
//   {"category":"kube-audit"|"kube-audit-admin","properties":{"log":<Event as a STRING or an object>,...},...}
// Other categories on the same hub carry klog text in properties.log, and Azure cuts properties.log at
// 16 KiB (Azure/AKS#4635), so the string is validated, not trusted.

export function isAksRecord(value: Record<string, unknown>): boolean {
  const properties = value.properties;
  return properties !== null && typeof properties === 'object' && 'log' in (properties as object);
}

export function convertAksRecord(value: Record<string, unknown>, at: RecordLocation, sink: RecordSink): void {
  const category = text(value.category);
  if (category !== '' && !category.startsWith('kube-audit')) {
    sink.skip(at, `AKS record of category "${category}" is not an audit event`);
    return;
  }
  const log = record(value.properties).log;
  if (typeof log === 'string') {
    const event = parseEmbeddedJson(log, at, sink, 'AKS properties.log');
    if (event !== undefined) emitAksEvent(event, at, sink);
  } else {
    emitAksEvent(log, at, sink);
  }
}

function emitAksEvent(event: unknown, at: RecordLocation, sink: RecordSink): void {
  const e = record(event);
  if (typeof e.auditID !== 'string' && typeof e.verb !== 'string') {
    sink.skip(at, 'AKS properties.log is not an audit event');
    return;
  }
  sink.event(e, 'aks', at);
}
