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
  if (min === Infinity) return { start: 0, bucketMs: 0, requests: [], errors: [], detections: [], status: { ok: [], other: [], clientError: [], serverError: [] } };
  const { start, bucketMs, count } = bucketLayout(min, max, buckets);
  const zeros = () => new Array<number>(count).fill(0);
  const status = { ok: zeros(), other: zeros(), clientError: zeros(), serverError: zeros() };
  const result: ViewerTimeline = { start, bucketMs, requests: zeros(), errors: zeros(), detections: zeros(), status };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const time = times[row]!;
    if (Number.isNaN(time)) continue;
    const bucket = Math.floor((time - start) / bucketMs);
    result.requests[bucket]!++;
    // A missing code is NaN: it fails every comparison and counts as "other".
    const code = codes[row]!;
    if (code >= 400) result.errors[bucket]!++;
    if (code >= 200 && code < 300) status.ok[bucket]!++;
    else if (code >= 400 && code < 500) status.clientError[bucket]!++;
    else if (code >= 500 && code < 600) status.serverError[bucket]!++;
    else status.other[bucket]!++;
    const detectors = index.detectorsOf(row);
    for (let d = 0; d < detectors.length; d++) {
      // Even entries are hits, odd ones "unknown (needs a body)": only hits are marked.
      if ((detectors[d]! & 1) === 0) {
        result.detections[bucket]!++;
        break;
      }
    }
  }
  return result;
}
