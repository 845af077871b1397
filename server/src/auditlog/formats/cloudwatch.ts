import { looksLikeEvent, record, type RecordLocation, type SourceFormat } from '../normalizedEvent';
import { parseEmbeddedJson } from './embeddedJson';
import type { RecordSink } from './recordSink';

// EKS control-plane logs live in CloudWatch Logs; each CloudWatch event's `message` is the Event JSON.
// Shapes people export (spec §6.4):
//   `aws logs filter-log-events` / `get-log-events`: {"events":[{"timestamp","message",...}]}
//   subscription / Firehose records: {"messageType":"DATA_MESSAGE","logEvents":[{"id","timestamp","message"}]}
//   one CloudWatch event per line: {"timestamp":…,"message":"<Event JSON>"}
//   `aws logs tail`: "<timestamp> <stream> <Event JSON>" (handled by the line reader)

export type Unwrap = (value: unknown, format: SourceFormat, at: RecordLocation, sink: RecordSink) => void;

/** Returns false when the object is not a CloudWatch shape, so the caller tries the next one. */
export function convertCloudWatch(value: Record<string, unknown>, at: RecordLocation, sink: RecordSink, unwrap: Unwrap): boolean {
  if (Array.isArray(value.logEvents)) {
    // CONTROL_MESSAGE records are CloudWatch's connectivity checks, not log data.
    if (value.messageType === 'CONTROL_MESSAGE') return true;
    for (const item of value.logEvents) emitMessage(record(item).message, 'eks-subscription', at, sink, unwrap);
    return true;
  }
  if (Array.isArray(value.events) && !looksLikeEvent(value)) {
    for (const item of value.events) emitMessage(record(item).message, 'eks-filter-log-events', at, sink, unwrap);
    return true;
  }
  if (typeof value.message === 'string' && !looksLikeEvent(value)) {
    emitMessage(value.message, 'eks-filter-log-events', at, sink, unwrap);
    return true;
  }
  return false;
}

function emitMessage(message: unknown, format: SourceFormat, at: RecordLocation, sink: RecordSink, unwrap: Unwrap): void {
  if (typeof message !== 'string') {
    sink.skip(at, 'CloudWatch event without a string message');
    return;
  }
  const parsed = parseEmbeddedJson(message, at, sink, 'CloudWatch message');
  if (parsed !== undefined) unwrap(parsed, format, at, sink);
}
