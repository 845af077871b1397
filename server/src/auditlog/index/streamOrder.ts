import type { LogIndex } from './logIndex';
import { FLAG_INCOMPLETE, NUM } from './schema';

/**
 * Rows in the order a streaming read of the files hands requests over (readLogSet): a request when
 * its final stage is read, i.e. in the file order of its primary record; requests that never got
 * one at the end, in the order of their first stage. Rows of one line keep their order. The CLI lists
 * requests in this order whether it streamed or indexed the files.
 */
export function streamOrder(index: LogIndex, rows: ArrayLike<number>): Uint32Array {
  return Uint32Array.from(rows as ArrayLike<number>).sort(streamComparator(index));
}

/** Compares two rows in stream order (see streamOrder): negative when `a` comes first. */
export function streamComparator(index: LogIndex): (a: number, b: number) => number {
  const fileOfSegment = index.segments.map((s) => s.file);
  const primarySegment = index.primarySegment.data;
  const firstSegment = index.firstSegment.data;
  const primaryOffset = index.numbers[NUM.primaryOffset]!.data;
  const firstOffset = index.numbers[NUM.firstOffset]!.data;
  const flags = index.flags.data;
  const open = (row: number) => (flags[row]! & FLAG_INCOMPLETE) !== 0;
  return (a, b) => {
    const aOpen = open(a);
    if (aOpen !== open(b)) return aOpen ? 1 : -1;
    const segments = aOpen ? firstSegment : primarySegment;
    const offsets = aOpen ? firstOffset : primaryOffset;
    return fileOfSegment[segments[a]!]! - fileOfSegment[segments[b]!]! || offsets[a]! - offsets[b]! || a - b;
  };
}
