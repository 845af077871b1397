import type { ParseSummary } from '../reader/auditStreamParser';
import type { AuditRequest } from '../requests';

/** One part of a plain JSON-lines file, read by its own worker: [start, end), starting at a line start. */
export interface PartJob {
  path: string;
  /** Index of the file in the reader's file list (stored in events and skips). */
  file: number;
  part: number;
  start: number;
  end: number | null;
  /** What to do with each request: the command's own description, passed to its PartSink factory. */
  work: unknown;
  /** Bytes the field scanner reads at once (default 1 MiB). */
  fieldScannerInputBytes?: number;
}

/** What a part's reader hands back at its end; its requests' results went out in batches before. */
export interface PartEnd {
  /** Skipped records have part-relative lines (1 = the part's first line) and file offsets. */
  summary: ParseSummary;
  /** Line breaks read: the line base of the part that follows. */
  newlines: number;
  /** Requests completed within the part (handed to its sink). */
  requests: number;
  /** The requests still open at the part's end, not handed to the sink (heldRequests.ts). */
  held: Uint8Array;
  /** Parts after the first: the auditID of every request started in the part, in order (startedIds.ts). */
  starts: { lengths: Uint32Array; bytes: Uint8Array } | null;
}

/** Worker → owning thread. */
export type PartMessage =
  | { type: 'batch'; data: Uint8Array }
  | { type: 'end'; end: PartEnd }
  | { type: 'error'; message: string; code: string };

/**
 * A command's work on the requests of one part, in a worker: decides each request as the one-thread
 * path would and encodes the results, to be transferred in batches (bytes, not object graphs).
 */
export interface PartSink {
  add(request: AuditRequest): void;
  /** The results encoded since the last call, or null; `final`: the last call, with whatever totals the sink keeps. */
  take(final: boolean): Uint8Array | null;
}

/**
 * The owning thread's side of a split read. Batches come in part order (a later part's wait until the
 * parts before it have ended), with the part's line base: what a one-thread read would have seen by then.
 */
export interface SplitConsumer {
  /** A batch of part `part`; `lineBase` is to be added to its part-relative lines. A promise holds that part's reader until it settles. */
  absorb(part: number, data: Uint8Array, lineBase: number): Promise<void> | null;
  /** Every batch is in (before the requests left open at the end are handed over). */
  partsDone?(): void;
  /** What part `part` is told, when it is more than the read's `work` (default: `work`). */
  workFor?(part: number, work: unknown): unknown;
}
