import { open } from 'node:fs/promises';
import type { NormalizedEvent } from '../normalizedEvent';
import type { EventPredicate } from '../query/evaluate';
import { parseAuditText, readAuditLog } from '../reader/readAuditLog';
import { readLineBytesAt } from '../readRecord';
import type { LogIndex } from './logIndex';
import { NUM } from './schema';


/**
 * Decides rows the index cannot (body terms) with the streaming evaluator itself: re-reads the
 * primary stage of each row from disk and applies the compiled predicate to it, exactly as
 * requestPredicate does in the streaming path. Plain JSON-lines files are read by offset; gzip,
 * pretty-printed and legacy-text files are streamed again (their records cannot be entered midway).
 * Returns a flag per candidate.
 */
export async function checkBodies(index: LogIndex, candidates: Uint32Array, predicate: EventPredicate): Promise<Uint8Array> {
  const verdicts = new Uint8Array(candidates.length);
  const byFile = new Map<number, number[]>();
  for (let i = 0; i < candidates.length; i++) {
    const file = index.fileOf(candidates[i]!, 'primary');
    let list = byFile.get(file);
    if (!list) byFile.set(file, (list = []));
    list.push(i);
  }
  for (const [file, positions] of byFile) {
    const info = index.files[file]!;
    const randomAccess = !info.gzip && info.framing === 'lines' && !Object.keys(info.formats).some((format) => format.startsWith('legacy'));
    if (randomAccess) await checkByOffset(index, info.path, candidates, positions, predicate, verdicts);
    else await checkByStreaming(index, info.path, file, candidates, positions, predicate, verdicts);
  }
  return verdicts;
}

/** The event of a record that is this row's primary stage (a line can hold several events). */
function pick(index: LogIndex, row: number, events: readonly NormalizedEvent[]): NormalizedEvent | undefined {
  const auditID = index.auditID(row);
  const stage = index.text(row, 'stage');
  return events.find((e) => e.auditID === auditID && e.stage === stage) ?? events.find((e) => e.auditID === auditID);
}

async function checkByOffset(index: LogIndex, path: string, candidates: Uint32Array, positions: number[], predicate: EventPredicate, verdicts: Uint8Array): Promise<void> {
  const offsets = index.numbers[NUM.primaryOffset]!.data;
  positions.sort((a, b) => offsets[candidates[a]!]! - offsets[candidates[b]!]!);
  const handle = await open(path, 'r');
  try {
    // Reads in flight together: each is a syscall on libuv's thread pool, so a few at once overlap.
    for (let from = 0; from < positions.length; from += PARALLEL_READS) {
      const group = positions.slice(from, from + PARALLEL_READS);
      const lines = await Promise.all(group.map((position) => readLineBytesAt(handle, offsets[candidates[position]!]!)));
      group.forEach((position, i) => {
        const line = lines[i];
        if (line === null || line === undefined) return;
        const row = candidates[position]!;
        const events: NormalizedEvent[] = [];
        // The newline makes the parser read it as a line even if it contains "}{" (see sniffFraming).
        parseAuditText(Buffer.concat([line, NEWLINE]), (event) => events.push(event));
        const event = pick(index, row, events);
        if (event && predicate(event)) verdicts[position] = 1;
      });
    }
  } finally {
    await handle.close();
  }
}

const PARALLEL_READS = 32;


const NEWLINE = Buffer.from('\n');

async function checkByStreaming(index: LogIndex, path: string, file: number, candidates: Uint32Array, positions: number[], predicate: EventPredicate, verdicts: Uint8Array): Promise<void> {
  const offsets = index.numbers[NUM.primaryOffset]!.data;
  const wanted = new Map<number, number[]>();
  for (const position of positions) {
    const offset = offsets[candidates[position]!]!;
    let list = wanted.get(offset);
    if (!list) wanted.set(offset, (list = []));
    list.push(position);
  }
  await readAuditLog(
    path,
    (event) => {
      const list = wanted.get(event.offset);
      if (!list) return;
      for (const position of list) {
        const row = candidates[position]!;
        if (event.auditID === index.auditID(row) && event.stage === index.text(row, 'stage') && predicate(event)) verdicts[position] = 1;
      }
    },
    { file },
  );
}
