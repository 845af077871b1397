import { compareWindowCandidates, runWindow, windowDistinct, windowKey, type WindowCandidate } from '../slidingWindow';
import type { CompiledWindowDetector } from '../engine';
import type { WindowDetectorDefinition, WindowField } from '../types';
import type { LogIndex } from '../../index/logIndex';
import { queryIndex } from '../../index/queryIndex';
import { NUM, packDetector } from '../../index/schema';
import { quoteValue } from '../../query/pattern';

// Window detectors over a finished index: one pass per detector over the rows its condition selects
// (queryIndex: the same query semantics as everywhere), through the same SlidingWindow as the CLI
// scan, in the same order. Runs after a build or refresh has finished, on the owning thread; the
// per-row reader loop (index/segmentReader with rowDetectors, in workers) is not involved.
//
// A hit is stored like any detector entry of the row (detectorsOf), so row marks, the details pane,
// the timeline and the detections panel read it unchanged. Rows that get window entries have their
// entry list copied to the end of detectorEntries (original entries + window entries) and re-pointed;
// a later pass (after a refresh) recomputes them from the non-window entries.

interface WindowState {
  /** Rows whose entry list holds window entries. */
  rows: Set<number>;
  /** Per window detector id, its bursts: key and time range (for a filter query). */
  bursts: Map<string, Burst[]>;
}

interface Burst {
  key: string;
  first: number;
  last: number;
}

const states = new WeakMap<LogIndex, { detectors: readonly CompiledWindowDetector[]; state: WindowState }>();

/** Remembers which window detectors an index runs, their conditions parsed (their ids are already in index.detectorIds). */
export function setWindowDetectors(index: LogIndex, detectors: readonly CompiledWindowDetector[]): void {
  states.set(index, { detectors: [...detectors], state: { rows: new Set(), bursts: new Map() } });
}

export function windowDetectorsOf(index: LogIndex): readonly WindowDetectorDefinition[] {
  return states.get(index)?.detectors.map((d) => d.definition) ?? [];
}

/** Computes the window detectors' hits over every row of the index and stores them as detector entries. */
export async function applyWindowDetectors(index: LogIndex): Promise<void> {
  const entry = states.get(index);
  if (!entry || entry.detectors.length === 0) return;
  const positions = new Set<number>();
  const hitsByRow = new Map<number, number[]>();
  const bursts = new Map<string, Burst[]>();
  for (const { definition, condition } of entry.detectors) {
    const position = index.detectorIds.indexOf(definition.id);
    if (position < 0) continue;
    positions.add(position);
    const spec = definition.window;
    const { rows } = await queryIndex(index, condition);
    const candidates: WindowCandidate<number>[] = [];
    for (const row of rows) {
      const get = (field: WindowField) => index.text(row, field);
      const key = windowKey(spec, get);
      if (key === null) continue;
      candidates.push({
        time: index.numbers[NUM.time]!.data[row]!,
        file: index.fileOf(row, 'primary'),
        offset: index.numbers[NUM.primaryOffset]!.data[row]!,
        auditID: index.auditID(row),
        key,
        distinct: windowDistinct(spec, get),
        item: row,
      });
    }
    const hits = runWindow(spec, candidates);
    for (const row of hits) {
      const list = hitsByRow.get(row);
      if (list) list.push(position);
      else hitsByRow.set(row, [position]);
    }
    bursts.set(definition.id, burstsOf(candidates, new Set(hits)));
  }
  const touched = new Set([...entry.state.rows, ...hitsByRow.keys()]);
  let changed = false;
  for (const row of touched) {
    const current = index.detectorsOf(row);
    const kept = [...current].filter((e) => !positions.has(e >> 1));
    const next = [...kept, ...(hitsByRow.get(row) ?? []).map((p) => packDetector(p, false))];
    if (next.length === current.length && next.every((e, i) => e === current[i])) continue;
    index.detectorStart.data[row] = index.detectorEntries.length;
    index.detectorEntries.append(next);
    index.detectorCount.data[row] = next.length;
    changed = true;
  }
  entry.state = { rows: new Set(hitsByRow.keys()), bursts };
  if (changed) index.version++;
}

/**
 * Runs of hits per key, in the key's own sequence of candidates. Every candidate of the key whose
 * time is within a run's [first, last] is a hit (a burst takes in its whole window, and a request at
 * the time of the last hit is in that window too), so key + time range select exactly the hits.
 */
function burstsOf(candidates: WindowCandidate<number>[], hits: ReadonlySet<number>): Burst[] {
  const open = new Map<string, Burst>();
  const all: Burst[] = [];
  const ordered = candidates.filter((c) => !Number.isNaN(c.time)).sort(compareWindowCandidates);
  for (const c of ordered) {
    if (!hits.has(c.item)) {
      open.delete(c.key);
      continue;
    }
    const burst = open.get(c.key);
    if (burst) {
      burst.last = c.time;
    } else {
      const created = { key: c.key, first: c.time, last: c.time };
      open.set(c.key, created);
      all.push(created);
    }
  }
  return all;
}

/** Bursts kept in a filter query; beyond, one time range per key. */
const MAX_QUERY_BURSTS = 200;

/**
 * A query that selects the rows a window detector hit, for the viewer's "filter by this detector"
 * (a window is not expressible in the query language): the detector's condition AND, per burst, its
 * key and time range. Null for an id that is not a window detector of this index.
 */
export function windowHitQuery(index: LogIndex, id: string): string | null {
  const entry = states.get(index);
  const definition = entry?.detectors.find((d) => d.definition.id === id)?.definition;
  if (!entry || !definition) return null;
  const bursts = entry.state.bursts.get(id) ?? [];
  const condition = definition.condition.trim() === '' ? '' : `(${definition.condition}) `;
  if (bursts.length === 0) return `${condition}time<1970-01-01 time>=1970-01-01`; // no burst: no row
  let ranges = bursts;
  if (ranges.length > MAX_QUERY_BURSTS) {
    // Many bursts: one range per key, from its first burst to its last (a superset: quiet stretches in between).
    const perKey = new Map<string, Burst>();
    for (const b of bursts) {
      const seen = perKey.get(b.key);
      if (seen) seen.last = Math.max(seen.last, b.last);
      else perKey.set(b.key, { ...b });
    }
    ranges = [...perKey.values()];
  }
  const fields = definition.window.key;
  const terms = ranges.map((b) => {
    const values = b.key.split('\u0000');
    const key = fields.map((field, i) => `${field}:${quoteValue(values[i]!)}`).join(' ');
    return `(${key} time>=${new Date(b.first).toISOString()} time<=${new Date(b.last).toISOString()})`;
  });
  return `${condition}(${terms.join(' OR ')})`;
}
