import type { LogIndex } from './logIndex';
import { NUM } from './schema';

const cache = new WeakMap<LogIndex, { version: number; order: Uint32Array }>();

/**
 * Live rows sorted by request time, then file, then the offset of the first stage (a total order, so
 * a one-thread and a two-thread build list rows alike); rows without a time come last. Rows arrive
 * in completion order, which is nearly time order, and V8's TimSort is linear on such runs. Cached
 * until the index changes.
 */
export function timeOrder(index: LogIndex): Uint32Array {
  const cached = cache.get(index);
  if (cached && cached.version === index.version) return cached.order;
  const time = index.numbers[NUM.time]!.data;
  const offset = index.numbers[NUM.firstOffset]!.data;
  const segment = index.firstSegment.data;
  const fileOfSegment = index.segments.map((s) => s.file);
  const ids: number[] = [];
  for (let row = 0; row < index.rowCount; row++) if (!index.isDead(row)) ids.push(row);
  ids.sort((a, b) => {
    const ta = time[a]!;
    const tb = time[b]!;
    if (ta !== tb) {
      if (Number.isNaN(ta)) return Number.isNaN(tb) ? 0 : 1;
      if (Number.isNaN(tb)) return -1;
      return ta - tb;
    }
    return fileOfSegment[segment[a]!]! - fileOfSegment[segment[b]!]! || offset[a]! - offset[b]!;
  });
  const order = Uint32Array.from(ids);
  cache.set(index, { version: index.version, order });
  return order;
}

/** The first and last request times of the index (epoch ms); null when no request has a time. */
export function timeSpan(index: LogIndex): { first: number; last: number } | null {
  const order = timeOrder(index);
  const time = index.numbers[NUM.time]!.data;
  // Rows without a time sort last.
  let last = order.length - 1;
  while (last >= 0 && Number.isNaN(time[order[last]!]!)) last--;
  return last < 0 ? null : { first: time[order[0]!]!, last: time[order[last]!]! };
}
