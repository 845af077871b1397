import { detectRequest, type CompiledDetector } from '../auditlog/detectors';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';

/**
 * The single-request detectors on one event, as if it were its request's most complete stage (the
 * only stage they ever look at): stored with every row, so the request's row carries its findings
 * whichever stage turns out to be the most complete, and the webhook receiver can decide on arrival.
 */
export function eventRowDetections(event: NormalizedEvent, detectors: readonly CompiledDetector[]): { hits: string[]; unknown: string[] } {
  const hits: string[] = [];
  const unknown: string[] = [];
  for (const finding of detectRequest({ auditID: event.auditID, stages: [event], primary: event }, detectors)) {
    (finding.outcome === 'hit' ? hits : unknown).push(finding.detector.id);
  }
  return { hits, unknown };
}
