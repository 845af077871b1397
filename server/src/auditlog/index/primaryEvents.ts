import type { NormalizedEvent } from '../normalizedEvent';
import { parseAuditText, readAuditLog } from '../reader/readAuditLog';
import { RecordReader } from '../readRecord';
import type { IndexedFile, LogIndex } from './logIndex';
import { NUM } from './schema';

/** Re-reading thousands of records blocks the server's event loop at most this long at a time. */
const YIELD_EVERY_MS = 10;

/**
 * Visits the decoded primary stage of each given row, read again from disk (the index keeps no
 * bodies): the one way body queries, the details pane and JSON-path columns get events back.
 * Plain JSON-lines files are read at each row's offset, in file order; gzip, pretty-printed and
 * legacy-text files cannot be entered midway and are streamed once, until every wanted record is seen.
 * `visit` gets the row's position in `rows`; a record that cannot be read again is not visited. When
 * it returns a promise (a full output pipe), reading by offset waits for it.
 */
export async function visitPrimaryEvents(index: LogIndex, rows: ArrayLike<number>, visit: (position: number, event: NormalizedEvent) => unknown): Promise<void> {
  const byFile = new Map<number, number[]>();
  for (let position = 0; position < rows.length; position++) {
    const file = index.fileOf(rows[position]!, 'primary');
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(position);
  }
  for (const [file, positions] of byFile) {
    const info = index.files[file];
    if (!info) continue;
    if (readableByOffset(info)) await visitByOffset(index, info.path, rows, positions, visit);
    else await visitByStreaming(index, info.path, file, rows, positions, visit);
  }
}

/**
 * Whether a record of this file can be read where it starts: plain JSON lines can; gzip, pretty-printed
 * documents and legacy text (whose records need what came before) must be streamed from the start.
 */
export function readableByOffset(info: IndexedFile): boolean {
  return !info.gzip && info.framing === 'lines' && !Object.keys(info.formats).some((format) => format.startsWith('legacy'));
}

/** Whether an event is the row's primary stage (a line can hold several events). */
function isPrimaryOf(index: LogIndex, row: number, event: NormalizedEvent): boolean {
  return event.auditID === index.auditID(row) && event.stage === index.text(row, 'stage');
}

async function visitByOffset(index: LogIndex, path: string, rows: ArrayLike<number>, positions: number[], visit: (position: number, event: NormalizedEvent) => unknown): Promise<void> {
  const offsets = index.numbers[NUM.primaryOffset]!.data;
  positions.sort((a, b) => offsets[rows[a]!]! - offsets[rows[b]!]!);
  const reader = new RecordReader(path);
  try {
    let slice = Date.now();
    for (const position of positions) {
      const row = rows[position]!;
      const record = reader.recordAt(offsets[row]!);
      if (record === null) continue;
      const events: NormalizedEvent[] = [];
      parseAuditText(record, (event) => events.push(event));
      const event = events.find((e) => isPrimaryOf(index, row, e)) ?? events.find((e) => e.auditID === index.auditID(row));
      const wait = event ? visit(position, event) : undefined;
      if (wait instanceof Promise) await wait;
      if (Date.now() - slice >= YIELD_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        slice = Date.now();
      }
    }
  } finally {
    reader.close();
  }
}

async function visitByStreaming(index: LogIndex, path: string, file: number, rows: ArrayLike<number>, positions: number[], visit: (position: number, event: NormalizedEvent) => unknown): Promise<void> {
  const offsets = index.numbers[NUM.primaryOffset]!.data;
  const wanted = new Map<number, number[]>();
  for (const position of positions) {
    const offset = offsets[rows[position]!]!;
    let list = wanted.get(offset);
    if (!list) wanted.set(offset, (list = []));
    list.push(position);
  }
  let missing = positions.length;
  await readAuditLog(
    path,
    (event) => {
      const list = wanted.get(event.offset);
      if (!list) return;
      for (const position of list) {
        if (isPrimaryOf(index, rows[position]!, event)) {
          visit(position, event);
          missing--;
        }
      }
    },
    { file, stop: () => missing === 0 },
  );
}
