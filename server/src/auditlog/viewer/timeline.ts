import type { ViewerTimeline } from '../../protocol/logViewer';
import type { LogIndex } from '../index';
import { NUM } from '../index/schema';

/** Round bucket widths, so that bucket edges fall on readable times. */
const STEPS_MS = [1, 10, 100, 1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 600_000, 1_800_000, 3_600_000, 21_600_000, 86_400_000];

/** At most `buckets` buckets of a round width covering [min, max] (epoch ms). */
export function bucketLayout(min: number, max: number, buckets: number): { start: number; bucketMs: number; count: number } {
  const span = Math.max(1, max - min + 1);
  const bucketMs = STEPS_MS.find((step) => span / step <= buckets) ?? Math.ceil(span / buckets / 86_400_000) * 86_400_000;
  const start = Math.floor(min / bucketMs) * bucketMs;
  return { start, bucketMs, count: Math.floor((max - start) / bucketMs) + 1 };
}

/** Counts the rows of a result per time bucket: requests, errors (code >= 400), status classes and detector hits. */
export function timeline(index: LogIndex, rows: Uint32Array, buckets: number): ViewerTimeline {
  // Straight from the typed columns: this runs over every row of a result, often a million.
  const times = index.numbers[NUM.time]!.data;
  const codes = index.numbers[NUM.code]!.data;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const time = times[rows[i]!]!;
    if (Number.isNaN(time)) continue;
    if (time < min) min = time;
    if (time > max) max = time;
  }
  if (min === Infinity) return emptyTimeline();
  const layout = bucketLayout(min, max, buckets);
  const result = emptyTimeline(layout);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const time = times[row]!;
    if (Number.isNaN(time)) continue;
    const detectors = index.detectorsOf(row);
    let hit = false;
    // Even entries are hits, odd ones "unknown (needs a body)": only hits are marked.
    for (let d = 0; d < detectors.length && !hit; d++) hit = (detectors[d]! & 1) === 0;
    addToTimeline(result, Math.floor((time - layout.start) / layout.bucketMs), codes[row]!, hit);
  }
  return result;
}

/** A timeline of `count` empty buckets from `start`; no buckets at all when no request has a time. */
export function emptyTimeline(layout: { start: number; bucketMs: number; count: number } = { start: 0, bucketMs: 0, count: 0 }): ViewerTimeline {
  const zeros = () => new Array<number>(layout.count).fill(0);
  return { start: layout.start, bucketMs: layout.bucketMs, requests: zeros(), errors: zeros(), detections: zeros(), status: { ok: zeros(), other: zeros(), clientError: zeros(), serverError: zeros() } };
}

/** Counts `n` requests with `code` (NaN or null when none) into a bucket: errors are 400 and up, status classes 2xx, 4xx, 5xx and the rest. */
export function addToTimeline(result: ViewerTimeline, bucket: number, code: number | null, hit: boolean, n = 1): void {
  result.requests[bucket]! += n;
  // A missing code fails every comparison and counts as "other".
  const known = code ?? NaN;
  if (known >= 400) result.errors[bucket]! += n;
  if (known >= 200 && known < 300) result.status.ok[bucket]! += n;
  else if (known >= 400 && known < 500) result.status.clientError[bucket]! += n;
  else if (known >= 500 && known < 600) result.status.serverError[bucket]! += n;
  else result.status.other[bucket]! += n;
  if (hit) result.detections[bucket]! += n;
}
