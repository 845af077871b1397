import type { RequestFields } from '../../protocol/requestFields';
import type { DetectorOutcome } from '../detectors';
import type { LogIndex } from './logIndex';
import { FLAG_INCOMPLETE, GROUP_SEPARATOR, NUM, STAGE_BITS } from './schema';

/** One request as the table and the details pane show it. Values are untrusted text from the log. */
export interface IndexRow extends RequestFields {
  id: number;
  /** Epoch ms of the request, null when unknown. */
  time: number | null;
  /** The primary stage (the most complete one). */
  stage: string;
  /** Every stage logged for the request. */
  stages: string[];
  decision: string;
  /** Where the primary stage's record is: re-read it for the JSON of the details pane. */
  file: number;
  line: number | null;
  offset: number;
  /** Where the request's first stage is. */
  firstFile: number;
  firstLine: number | null;
  firstOffset: number;
  detectors: { id: string; outcome: DetectorOutcome }[];
  /** The final stage was not seen (yet). */
  incomplete: boolean;
}

const STAGE_NAMES = Object.entries(STAGE_BITS);

/** One row as a plain object. */
export function readRow(index: LogIndex, row: number): IndexRow {
  const number = (column: keyof typeof NUM) => {
    const value = index.numbers[NUM[column]]!.data[row]!;
    return Number.isNaN(value) ? null : value;
  };
  const mask = index.stageMask.data[row]!;
  const groups = index.text(row, 'groups');
  return {
    id: row,
    auditID: index.auditID(row),
    time: number('time'),
    user: index.text(row, 'user'),
    groups: groups === '' ? [] : groups.slice(1).split(GROUP_SEPARATOR),
    impersonatedUser: index.text(row, 'impersonatedUser'),
    verb: index.text(row, 'verb'),
    apiGroup: index.text(row, 'apiGroup'),
    resource: index.text(row, 'resource'),
    subresource: index.text(row, 'subresource'),
    namespace: index.text(row, 'namespace'),
    name: index.text(row, 'name'),
    requestURI: index.text(row, 'requestURI'),
    code: number('code'),
    sourceIP: index.text(row, 'sourceIP'),
    userAgent: index.text(row, 'userAgent'),
    level: index.text(row, 'level'),
    stage: index.text(row, 'stage'),
    stages: STAGE_NAMES.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name),
    latencyMs: number('latency'),
    decision: index.text(row, 'decision'),
    file: index.fileOf(row, 'primary'),
    line: index.line(row, 'primary'),
    offset: index.numbers[NUM.primaryOffset]!.data[row]!,
    firstFile: index.fileOf(row, 'first'),
    firstLine: index.line(row, 'first'),
    firstOffset: index.numbers[NUM.firstOffset]!.data[row]!,
    detectors: [...index.detectorsOf(row)].map((entry) => ({ id: index.detectorIds[entry >> 1]!, outcome: entry & 1 ? 'unknown' : 'hit' })),
    incomplete: (index.flags.data[row]! & FLAG_INCOMPLETE) !== 0,
  };
}

/** Rows [start, start + count) of a result, for one page of the table. */
export function pageRows(index: LogIndex, rows: Uint32Array, start: number, count: number): IndexRow[] {
  const page: IndexRow[] = [];
  const end = Math.min(rows.length, start + count);
  for (let i = Math.max(0, start); i < end; i++) page.push(readRow(index, rows[i]!));
  return page;
}

export type SortKey = 'time' | 'latency' | 'code';

/**
 * A result re-ordered by a column. Stable, so equal keys keep time order; rows without the value
 * (no latency, no code) go last in either direction.
 */
export function sortRows(index: LogIndex, rows: Uint32Array, key: SortKey, direction: 'asc' | 'desc' = 'asc'): Uint32Array {
  const column = index.numbers[NUM[key]]!.data;
  const sign = direction === 'asc' ? 1 : -1;
  const ids = Array.from(rows);
  ids.sort((a, b) => {
    const va = column[a]!;
    const vb = column[b]!;
    if (va !== vb) {
      if (Number.isNaN(va)) return Number.isNaN(vb) ? 0 : 1;
      if (Number.isNaN(vb)) return -1;
      return sign * (va - vb);
    }
    return 0; // Array.prototype.sort is stable: ties keep their order.
  });
  return Uint32Array.from(ids);
}
