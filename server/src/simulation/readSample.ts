import { compileDetectors, compileWindowDetectors, detectRequest, type CompiledDetector, type DetectorSelection } from '../auditlog/detectors';
import { readLogSet, type LogSetOptions, type LogSetResult } from '../auditlog/readLogSet';
import { mayHaveBodies } from '../auditlog/reader/scannedEvent';
import type { AuditRequest } from '../auditlog/requests';
import { levelRank } from '../policy/types';
import { TrafficSample } from './trafficSample';

export interface ReadSampleOptions extends LogSetOptions {
  /**
   * Detectors whose needs each request records (the level they must see it at), for tune. Without
   * it no detector runs and every request needs nothing.
   */
  detectors?: DetectorSelection;
}

/** The detector that finds secret values already copied into a log. */
const SECRET_VALUES_DETECTOR = 'secret-values-in-audit-log';

/**
 * Streams logs (any format the reader knows, gzip, rotated sets) into a TrafficSample. Files that
 * cannot be read and records that were skipped are in the returned read result, with line numbers.
 * JSON lines are read by the field scanner unless `fieldScanner: false` (the sample is the same
 * either way: a line is JSON.parse'd only when it has a body to measure, see trafficSample.ts).
 */
export async function readSample(paths: readonly string[], options: ReadSampleOptions = {}): Promise<{ sample: TrafficSample; read: LogSetResult }> {
  const sample = new TrafficSample();
  const needs = options.detectors ? detectorNeeds(options.detectors) : null;
  const [secretValues] = compileDetectors({ ids: [SECRET_VALUES_DETECTOR], includeDisabled: true });
  const read = await readLogSet(paths, (request) => sample.add(request, needs ? needs(request) : 0, holdsSecretValues(request, secretValues)), { fieldScanner: true, ...options });
  return { sample, read };
}

/** Whether the request's logged bodies copy secret values into the log (only requests with a body are looked at). */
function holdsSecretValues(request: AuditRequest, detector: CompiledDetector | undefined): boolean {
  if (!detector || !mayHaveBodies(request.primary)) return false;
  const event = request.primary.event;
  if ((event.requestObject === undefined || event.requestObject === null) && (event.responseObject === undefined || event.responseObject === null)) return false;
  return detectRequest(request, [detector]).some((finding) => finding.outcome === 'hit');
}

/**
 * The highest level any selected detector needs for a request: its needsLevel when the request is in
 * its scope (its condition matches; the body condition is what it needs the level for), Metadata for
 * the window detectors' conditions.
 */
export function detectorNeeds(selection: DetectorSelection): (request: AuditRequest) => number {
  const detectors = compileDetectors(selection);
  const windows = compileWindowDetectors(selection);
  const metadata = levelRank('Metadata');
  return (request) => {
    const event = request.primary;
    let needed = 0;
    for (const detector of detectors) {
      const rank = levelRank(detector.definition.needsLevel);
      if (rank > needed && detector.matchesScope(event)) needed = rank;
    }
    if (needed < metadata) for (const window of windows) if (window.matches(event)) return metadata;
    return needed;
  };
}
