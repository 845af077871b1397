import { visitPrimaryEvents, type IndexRow, type LogIndex } from '../index';
import type { NormalizedEvent } from '../normalizedEvent';

/**
 * The primary events of several rows (a page of the table), in the same order; undefined where a
 * record cannot be read again. Each file is opened once (see visitPrimaryEvents).
 */
export async function readPrimaryEvents(index: LogIndex, rows: readonly IndexRow[]): Promise<(NormalizedEvent | undefined)[]> {
  const found: (NormalizedEvent | undefined)[] = new Array(rows.length).fill(undefined);
  await visitPrimaryEvents(
    index,
    rows.map((row) => row.id),
    (position, event) => (found[position] = event),
  );
  return found;
}
