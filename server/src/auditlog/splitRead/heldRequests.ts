import { normalizeEvent, type NormalizedEvent, type SourceFormat } from '../normalizedEvent';
import { sourceLine } from '../reader/scannedEvent';
import { primaryStage, type AuditRequest } from '../requests';

/** One stage as sent: format, line, offset, recordBytes, and its Event as JSON text. */
type HeldStage = [SourceFormat, number, number, number, string];

/**
 * The requests a part leaves open at its end, as UTF-8 JSON: few (requests in flight at a point of the
 * log), and only the owning thread can finish them (their other stages are in another part). A stage's
 * Event travels as the line the field scanner read it from (decoded again it is the very value
 * JSON.parse gave), or as JSON.stringify of the Event the JSON.parse path made.
 */
export function encodeHeld(requests: readonly AuditRequest[]): Uint8Array {
  const held = requests.map((request) => [request.auditID, request.stages.map(heldStage)]);
  return new Uint8Array(Buffer.from(JSON.stringify(held), 'utf8'));
}

function heldStage(event: NormalizedEvent): HeldStage {
  return [event.format, event.line, event.offset, event.recordBytes, sourceLine(event) ?? JSON.stringify(event.event)];
}

/** The requests encodeHeld sent, their events made again as the reader makes them; lines moved by `lineBase`. */
export function decodeHeld(data: Uint8Array, file: number, lineBase: number): AuditRequest[] {
  const held = JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as [string, HeldStage[]][];
  return held.map(([auditID, stages]) => requestOf(auditID, stages.map(([format, line, offset, recordBytes, text]) => {
    const event = normalizeEvent(JSON.parse(text) as Record<string, unknown>, format, { file, line: line + lineBase, offset });
    event.recordBytes = recordBytes;
    return event;
  })));
}

/** A request of these stages, in read order. */
export function requestOf(auditID: string, stages: NormalizedEvent[]): AuditRequest {
  return { auditID, stages, primary: primaryStage(stages) };
}
