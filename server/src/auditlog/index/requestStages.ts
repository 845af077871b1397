import type { NormalizedEvent } from '../normalizedEvent';
import { parseAuditText, readAuditLog } from '../reader/readAuditLog';
import { RecordReader } from '../readRecord';
import type { LogIndex } from './logIndex';
import { readableByOffset } from './primaryEvents';
import { NUM } from './schema';

/**
 * Stages further apart than this (a watch or exec session that lasted) are not searched for the ones
 * in between: the first and the primary stage are still read.
 */
export const MAX_STAGE_SPAN_BYTES = 4 * 1024 * 1024;

export interface RequestStages {
  /** Every stage found, in file order (the primary one included). */
  events: NormalizedEvent[];
  /** Stages between the first and the primary one were not searched (too far apart, or in another file). */
  partial: boolean;
}

/**
 * All logged stages of one request (row), read again from disk: the details pane shows each. In a
 * plain JSON-lines file the stages lie between the first stage's record and the primary one's, so
 * only lines of that stretch holding the auditID's bytes are parsed; other files are streamed until
 * the primary stage.
 */
export async function readRequestStages(index: LogIndex, row: number): Promise<RequestStages> {
  const auditID = index.auditID(row);
  const primaryStage = index.text(row, 'stage');
  const fileNumber = index.fileOf(row, 'primary');
  const info = index.files[fileNumber];
  if (!info) return { events: [], partial: false };
  const first = index.numbers[NUM.firstOffset]!.data[row]!;
  const primary = index.numbers[NUM.primaryOffset]!.data[row]!;
  const belongs = (event: NormalizedEvent) => event.auditID === auditID;
  if (!readableByOffset(info)) {
    const events: NormalizedEvent[] = [];
    let done = false;
    await readAuditLog(
      info.path,
      (event) => {
        if (done || !belongs(event)) return;
        events.push(event);
        if (event.offset === primary && event.stage === primaryStage) done = true;
      },
      { file: fileNumber, stop: () => done },
    );
    return { events, partial: false };
  }
  const reader = new RecordReader(info.path);
  try {
    const sameFile = index.fileOf(row, 'first') === fileNumber;
    if (!sameFile || primary - first > MAX_STAGE_SPAN_BYTES || primary < first) {
      const events = eventsOf(reader.recordAt(primary), belongs);
      return { events, partial: sameFile && primary !== first };
    }
    // The stretch before the primary record, searched by the auditID's bytes (an ID that JSON escapes
    // is not found there: then only the primary stage shows), and the primary record itself.
    const before = linesHolding(reader.bytesBetween(first, primary), auditID).flatMap((line) => eventsOf(line, belongs));
    return { events: [...before, ...eventsOf(reader.recordAt(primary), belongs)], partial: false };
  } finally {
    reader.close();
  }
}

function eventsOf(record: Buffer | null, belongs: (event: NormalizedEvent) => boolean): NormalizedEvent[] {
  if (record === null) return [];
  const events: NormalizedEvent[] = [];
  parseAuditText(record, (event) => {
    if (belongs(event)) events.push(event);
  });
  return events;
}

/** The lines of `bytes` (each with its line break) that contain `text`, in order, each once. */
function linesHolding(bytes: Buffer, text: string): Buffer[] {
  const needle = Buffer.from(text, 'utf8');
  const lines: Buffer[] = [];
  if (needle.length === 0) return lines;
  let searchFrom = 0;
  for (let at = bytes.indexOf(needle, searchFrom); at >= 0; at = bytes.indexOf(needle, searchFrom)) {
    const start = bytes.lastIndexOf(10, at) + 1;
    const newline = bytes.indexOf(10, at);
    const end = newline < 0 ? bytes.length : newline + 1;
    lines.push(newline < 0 ? Buffer.concat([bytes.subarray(start, end), Buffer.of(10)]) : bytes.subarray(start, end));
    searchFrom = end;
  }
  return lines;
}
