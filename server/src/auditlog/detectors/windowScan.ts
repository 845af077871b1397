import { copyEvent, type NormalizedEvent } from '../normalizedEvent';
import type { AuditRequest } from '../requests';
import type { CompiledWindowDetector, DetectorFinding } from './engine';
import { runWindow, windowDistinct, windowKey, type WindowCandidate } from './slidingWindow';

/**
 * Window detectors over a stream of requests (the CLI scan). Requests complete out of time order
 * (long watches and exec sessions last), so the ones a detector's condition selects are kept (without
 * their bodies) and the windows run in `finish`, in the order the log index uses too.
 */
export class WindowScanner {
  private readonly candidates: WindowCandidate<NormalizedEvent>[][];

  constructor(private readonly detectors: readonly CompiledWindowDetector[]) {
    this.candidates = detectors.map(() => []);
  }

  add(request: AuditRequest): void {
    let light: NormalizedEvent | undefined;
    this.candidatesOf(request, (detector, candidate) => {
      // Only the fields a report prints: the decoded Event (bodies) is not kept.
      light ??= copyEvent(candidate.item, {});
      this.addCandidate(detector, { ...candidate, item: light });
    });
  }

  /**
   * The candidates a request is for each detector (numbered as given), without keeping them: their
   * item is the request's primary stage itself, to be read at once (a worker encodes its fields).
   */
  candidatesOf(request: AuditRequest, take: (detector: number, candidate: WindowCandidate<NormalizedEvent>) => void): void {
    const event = request.primary;
    for (let d = 0; d < this.detectors.length; d++) {
      const { definition, matches } = this.detectors[d]!;
      if (Number.isNaN(event.time) || !matches(event)) continue;
      const get = (field: keyof NormalizedEvent & string) => event[field] as string;
      const key = windowKey(definition.window, get);
      if (key === null) continue;
      take(d, { time: event.time, file: event.file, offset: event.offset, auditID: event.auditID, key, distinct: windowDistinct(definition.window, get), item: event });
    }
  }

  /** A candidate of detector `detector` (from candidatesOf, here or in a worker), in completion order. */
  addCandidate(detector: number, candidate: WindowCandidate<NormalizedEvent>): void {
    this.candidates[detector]!.push(candidate);
  }

  /** Every request of every burst, per detector in time order. */
  finish(): DetectorFinding[] {
    const findings: DetectorFinding[] = [];
    this.detectors.forEach(({ definition }, d) => {
      for (const event of runWindow(definition.window, this.candidates[d]!)) findings.push({ detector: definition, outcome: 'hit', event });
    });
    return findings;
  }
}
