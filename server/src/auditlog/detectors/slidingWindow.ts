import type { WindowField, WindowSpec } from './types';

// The one implementation of window detectors, shared by the streaming scan (windowScan.ts) and the
// log index (onIndex/windowPass.ts). Both collect the requests a detector's condition selects, order
// them with compareWindowCandidates and feed them here, so they find the same bursts.

/**
 * Per key, the requests of the last `windowMs` (inclusive: a request at t counts with those at
 * t - windowMs and later). When a key's window holds `threshold` requests (or `threshold` distinct
 * values), every request in it is a hit, and so is every later one while the window stays at or
 * above the threshold: a burst is reported whole, each request once. Requests must come in time order.
 */
export class SlidingWindow<T> {
  private readonly keys = new Map<string, KeyWindow<T>>();
  private added = 0;

  constructor(
    private readonly spec: Pick<WindowSpec, 'threshold' | 'windowMs'> & { distinct: boolean },
    private readonly onHit: (item: T) => void,
  ) {}

  /** `distinct`: the value counted once per window (ignored unless the spec counts distinct values). */
  add(key: string, time: number, distinct: string, item: T): void {
    let window = this.keys.get(key);
    if (!window) this.keys.set(key, (window = { entries: [], head: 0, hitUpTo: 0, values: new Map() }));
    const from = time - this.spec.windowMs;
    const entries = window.entries;
    while (window.head < entries.length && entries[window.head]!.time < from) {
      const old = entries[window.head++]!;
      if (this.spec.distinct) {
        const left = window.values.get(old.distinct)! - 1;
        if (left === 0) window.values.delete(old.distinct);
        else window.values.set(old.distinct, left);
      }
    }
    if (window.head > 1024 && window.head * 2 > entries.length) {
      entries.splice(0, window.head);
      window.hitUpTo = Math.max(0, window.hitUpTo - window.head);
      window.head = 0;
    }
    entries.push({ time, distinct, item });
    if (this.spec.distinct) window.values.set(distinct, (window.values.get(distinct) ?? 0) + 1);
    const size = this.spec.distinct ? window.values.size : entries.length - window.head;
    if (size >= this.spec.threshold) {
      for (let i = Math.max(window.hitUpTo, window.head); i < entries.length; i++) this.onHit(entries[i]!.item);
      window.hitUpTo = entries.length;
    }
    // Keys that went quiet hold their last window: drop them now and then.
    if (++this.added % 4096 === 0) {
      for (const [k, w] of this.keys) if (w.entries[w.entries.length - 1]!.time < from) this.keys.delete(k);
    }
  }
}

interface KeyWindow<T> {
  entries: { time: number; distinct: string; item: T }[];
  /** First entry still in the window. */
  head: number;
  /** Entries before this one were reported. */
  hitUpTo: number;
  /** distinct value -> entries in the window with it. */
  values: Map<string, number>;
}

/** One request a window detector's condition selected, with where it is (for a total order). */
export interface WindowCandidate<T> {
  time: number;
  file: number;
  offset: number;
  auditID: string;
  key: string;
  distinct: string;
  item: T;
}

/** Time, then file, then offset of the primary stage's record, then auditID: the same order in both paths. */
export function compareWindowCandidates(a: WindowCandidate<unknown>, b: WindowCandidate<unknown>): number {
  return a.time - b.time || a.file - b.file || a.offset - b.offset || (a.auditID < b.auditID ? -1 : a.auditID > b.auditID ? 1 : 0);
}

/** The key of a request (fields joined by NUL), or null when a key field is empty: such requests are not counted. */
export function windowKey(spec: WindowSpec, get: (field: WindowField) => string): string | null {
  let key = '';
  for (let i = 0; i < spec.key.length; i++) {
    const value = get(spec.key[i]!);
    if (value === '') return null;
    key += i === 0 ? value : `\u0000${value}`;
  }
  return key;
}

/** The distinct value of a request: its `distinct` fields joined by "/" (a list of secrets has no name: "ns/"). */
export function windowDistinct(spec: WindowSpec, get: (field: WindowField) => string): string {
  return spec.distinct ? spec.distinct.map(get).join('/') : '';
}

/** Feeds candidates (any order; rows without a time are not counted) through one window; returns the hits in time order. */
export function runWindow<T>(spec: WindowSpec, candidates: WindowCandidate<T>[]): T[] {
  const hits: T[] = [];
  // A candidate's item is read only when it is a hit (a worker's candidates make theirs then: cli/scanBatch.ts).
  const window = new SlidingWindow<WindowCandidate<T>>({ threshold: spec.threshold, windowMs: spec.windowMs, distinct: spec.distinct !== undefined }, (candidate) => hits.push(candidate.item));
  const ordered = candidates.filter((c) => !Number.isNaN(c.time)).sort(compareWindowCandidates);
  for (const c of ordered) window.add(c.key, c.time, c.distinct, c);
  return hits;
}

/** "10 requests within 1 min", for descriptions. */
export function describeWindow(spec: WindowSpec): string {
  const what = spec.distinct ? `${spec.threshold} distinct ${spec.distinct.join('/')}` : `${spec.threshold} requests`;
  return `${what} with the same ${spec.key.join(' and ')} within ${formatDuration(spec.windowMs)}`;
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}
