import { stageRank } from '../protocol/vocabulary';
import type { NormalizedEvent } from './normalizedEvent';
import { ScannedEvent } from './reader/scannedEvent';

/** One API request: every logged stage sharing an auditID, in the order they were read. */
export interface AuditRequest {
  auditID: string;
  stages: NormalizedEvent[];
  /** The most complete stage (ResponseComplete, else Panic, ResponseStarted, RequestReceived). */
  primary: NormalizedEvent;
}

export { stageRank };

function rank(event: NormalizedEvent): number {
  return stageRank(event.stage);
}

/** The stage that best describes the request's outcome. */
export function primaryStage(stages: readonly NormalizedEvent[]): NormalizedEvent {
  let best = stages[0]!;
  for (const stage of stages) if (rank(stage) >= rank(best)) best = stage;
  return best;
}

/**
 * Groups a stream of events into requests by auditID. A request is handed over as soon as its final
 * stage (ResponseComplete or Panic) arrives, so memory holds only requests still in flight (watches,
 * exec sessions), not the whole file; `finish` hands over the rest. Events without an auditID are
 * requests of their own.
 */
export class RequestGrouper {
  private readonly open = new Map<string, NormalizedEvent[]>();
  /** Stages held since the last keepHeld() that live in the field scanner's buffers: where each sits. */
  private readonly scanned: { stages: NormalizedEvent[]; at: number }[] = [];

  constructor(private readonly onRequest: (request: AuditRequest) => void) {}

  add(event: NormalizedEvent): void {
    if (event.auditID === '') {
      this.onRequest({ auditID: '', stages: [event], primary: event });
      return;
    }
    let stages = this.open.get(event.auditID);
    if (stages === undefined) {
      stages = [];
      this.open.set(event.auditID, stages);
    }
    stages.push(event);
    if (event.stage === 'ResponseComplete' || event.stage === 'Panic') {
      this.open.delete(event.auditID);
      this.onRequest({ auditID: event.auditID, stages, primary: primaryStage(stages) });
    } else if (event instanceof ScannedEvent) {
      this.scanned.push({ stages, at: stages.length - 1 });
    }
  }

  /**
   * Called before the field scanner reuses its buffers: requests still open keep copies of the
   * scanned stages they hold (the rest went out with their request and are the consumer's to drop).
   */
  keepHeld(): void {
    for (const { stages, at } of this.scanned) {
      const event = stages[at];
      if (event instanceof ScannedEvent && this.open.get(event.auditID) === stages) stages[at] = event.detach();
    }
    this.scanned.length = 0;
  }

  /** Requests whose final stage never came (policy omitted it, or the log ends mid-request). */
  finish(): void {
    for (const [auditID, stages] of this.open) this.onRequest({ auditID, stages, primary: primaryStage(stages) });
    this.open.clear();
  }

  get inFlight(): number {
    return this.open.size;
  }
}

/** Convenience for small inputs: all requests of an event list, in order of completion. */
export function groupRequests(events: Iterable<NormalizedEvent>): AuditRequest[] {
  const requests: AuditRequest[] = [];
  const grouper = new RequestGrouper((request) => requests.push(request));
  for (const event of events) grouper.add(event);
  grouper.finish();
  return requests;
}
