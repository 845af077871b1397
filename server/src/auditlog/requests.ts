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
  /**
   * Stages held since the last keepHeld() that live in the field scanner's buffers: their requests'
   * stage lists and where each sits in its list (two arrays: no object per held stage).
   */
  private readonly scannedLists: NormalizedEvent[][] = [];
  private readonly scannedAt: number[] = [];

  constructor(
    private readonly onRequest: (request: AuditRequest) => void,
    /** Called with each stage that starts a request with an auditID (a split read records them, see splitRead/). */
    private readonly onStart: ((event: NormalizedEvent) => void) | null = null,
  ) {}

  add(event: NormalizedEvent): void {
    const auditID = event.auditID;
    if (auditID === '') {
      this.onRequest({ auditID: '', stages: [event], primary: event });
      return;
    }
    const final = event.stage === 'ResponseComplete' || event.stage === 'Panic';
    let stages = this.open.get(auditID);
    if (stages === undefined) {
      this.onStart?.(event);
      // A request logged at its final stage only (omitStages) is never open: no map entry for it.
      if (final) {
        this.onRequest({ auditID, stages: [event], primary: event });
        return;
      }
      stages = [event];
      this.open.set(auditID, stages);
    } else {
      stages.push(event);
    }
    if (final) {
      this.open.delete(auditID);
      this.onRequest({ auditID, stages, primary: primaryStage(stages) });
    } else if (event instanceof ScannedEvent) {
      this.scannedLists.push(stages);
      this.scannedAt.push(stages.length - 1);
    }
  }

  /**
   * Called before the field scanner reuses its buffers: requests still open keep copies of the
   * scanned stages they hold (the rest went out with their request and are the consumer's to drop).
   */
  keepHeld(): void {
    const lists = this.scannedLists;
    for (let i = 0; i < lists.length; i++) {
      const stages = lists[i]!;
      const at = this.scannedAt[i]!;
      const event = stages[at];
      if (event instanceof ScannedEvent && this.open.get(event.auditID) === stages) stages[at] = event.detach();
    }
    lists.length = 0;
    this.scannedAt.length = 0;
  }

  /** Requests whose final stage never came (policy omitted it, or the log ends mid-request). */
  finish(): void {
    for (const request of this.takeOpen()) this.onRequest(request);
  }

  /** The requests still open, in the order they started, without handing them over; the grouper is then empty. */
  takeOpen(): AuditRequest[] {
    const requests = [...this.open].map(([auditID, stages]) => ({ auditID, stages, primary: primaryStage(stages) }));
    this.open.clear();
    return requests;
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
