import type { RecordLocation, SourceFormat } from '../normalizedEvent';

/** Where format converters put what they find: Events (already audit.k8s.io-shaped) and skips. */
export interface RecordSink {
  event(event: Record<string, unknown>, format: SourceFormat, at: RecordLocation): void;
  skip(at: RecordLocation, reason: string): void;
}
