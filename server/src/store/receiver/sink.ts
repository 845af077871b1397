import { GroupCommit } from './groupCommit';

/** A row of the events table (schema.ts `eventRow`): what every sink stores, `raw` being the Event JSON. */
export type EventRow = Record<string, unknown> & { raw: string };

/** Where received events go. `write` resolves only once the rows are durably stored. */
export interface EventSink {
  readonly name: string;
  /** False when the backlog is full: the batch is refused (429) rather than held in memory. */
  canTake(rows: number): boolean;
  write(rows: EventRow[]): Promise<void>;
  /** Rows waiting to be written. */
  readonly backlog: number;
  /** The last write failed (until one succeeds again). */
  readonly failing: boolean;
  close(): Promise<void>;
}

/** A sink whose batches are group-committed: `store` writes everything that queued up meanwhile. */
export abstract class GroupCommitSink implements EventSink {
  abstract readonly name: string;
  private lastFailed = false;
  private readonly commit: GroupCommit<EventRow>;

  constructor(maxBacklog: number) {
    this.commit = new GroupCommit(async (rows) => {
      try {
        await this.store(rows);
        this.lastFailed = false;
      } catch (error) {
        this.lastFailed = true;
        throw error;
      }
    }, maxBacklog);
  }

  protected abstract store(rows: EventRow[]): Promise<void>;
  abstract close(): Promise<void>;

  get backlog(): number {
    return this.commit.backlog;
  }

  get failing(): boolean {
    return this.lastFailed;
  }

  canTake(rows: number): boolean {
    return this.commit.canTake(rows);
  }

  write(rows: EventRow[]): Promise<void> {
    return this.commit.add(rows);
  }
}
