import { Dictionary } from './dictionary';
import { GrowableFloat64, GrowableIds, GrowableUint16, GrowableUint32, GrowableUint8 } from './growable';
import type { RowBatch } from './rowBatch';
import type { RowColumns } from './rowColumns';
import { rowsWithAuditIdContaining } from './auditIdSearch';
import { FLAG_DEAD, FLAG_INCOMPLETE, PRIMARY_FLAGS, NUMBER_COLUMN_COUNT, stageRank, STRING_COLUMN_COUNT, STRING_COLUMN_INDEX, STRING_COLUMNS, type NumberColumn, type StringColumn, NUM } from './schema';
import type { SkippedRecord } from '../reader/auditStreamParser';
import type { SourceFormat } from '../normalizedEvent';
import type { Framing } from '../reader/auditStreamParser';

/** A file of the index and how it was read. */
export interface IndexedFile {
  path: string;
  gzip: boolean;
  /** Size on disk when it was (last) read. */
  size: number;
  framing: Framing;
  formats: Partial<Record<SourceFormat, number>>;
  events: number;
  /** Lines the field scanner read, and lines that took the JSON.parse path (absent without the scanner). */
  lines?: { scanned: number; fallback: number };
}

/** One stretch of a file read by one reader (a worker, or this thread). */
export interface SegmentInfo {
  file: number;
  start: number;
  /** Line number base: lines before the segment in its file; null until the segment before it is done. */
  lineBase: number | null;
  done: boolean;
  newlines: number;
  skippedCount: number;
  /** Of skippedCount, records lost to damaged input (see SkippedRecord.damage). */
  damagedCount: number;
  /** Lines relative to the segment. */
  skipped: SkippedRecord[];
}

/** What a finished segment could not read. */
export type SegmentSkips = Pick<SegmentInfo, 'skippedCount' | 'damagedCount' | 'skipped'>;

/** A file of the index that could not be read (or stopped being readable), in plain words. */
export interface ReadError {
  file: string;
  message: string;
}

const decoder = new TextDecoder();
// Local copies for the append loop (imported bindings are getters under tsx's CommonJS output).
const STRIDE = STRING_COLUMN_COUNT;
const NUMBERS = NUMBER_COLUMN_COUNT;

/**
 * The columnar index: one row per request, columns of typed arrays, text dictionary-encoded. Rows are
 * only appended (batches from segment readers) and, when a request straddles two segments, merged
 * into the row of its first part (the later part's row is flagged dead). Holds no event objects:
 * bodies stay on disk at the stored offsets.
 */
export class LogIndex {
  readonly files: IndexedFile[] = [];
  readonly segments: SegmentInfo[] = [];
  /** Files (or stretches of them) that could not be read, as they happen: the rows are partial or missing. */
  readonly readErrors: ReadError[] = [];
  readonly detectorIds: string[];
  readonly dictionaries: Dictionary[] = STRING_COLUMNS.map(() => new Dictionary());
  readonly strings: GrowableIds[] = STRING_COLUMNS.map(() => new GrowableIds());
  readonly numbers: GrowableFloat64[] = Array.from({ length: NUMBER_COLUMN_COUNT }, () => new GrowableFloat64());
  readonly firstLine = new GrowableUint32();
  readonly primaryLine = new GrowableUint32();
  readonly firstSegment = new GrowableUint16();
  readonly primarySegment = new GrowableUint16();
  readonly stageMask = new GrowableUint8();
  readonly flags = new GrowableUint8();
  readonly auditIdStart = new GrowableUint32();
  readonly auditIdLength = new GrowableUint16();
  readonly auditIdBytes = new GrowableUint8(64 * 1024);
  /** Some stored auditID has an A-Z letter (a byte search then differs from free text's case folding). */
  auditIdsHaveUppercase = false;
  readonly detectorStart = new GrowableUint32();
  readonly detectorCount = new GrowableUint16();
  readonly detectorEntries = new GrowableUint16();
  /** Rows stored, dead ones included (row ids run from 0 to this). */
  rowCount = 0;
  deadRows = 0;
  /** Bumped on every change, so caches (time order) know when to rebuild. */
  version = 0;
  /** local id -> global id, per segment and string column, while a segment's batches arrive. */
  private readonly remaps = new Map<number, number[][]>();
  /** Incomplete rows (auditID -> row) of the segments merged so far, waiting for their later stages. */
  private readonly open = new Map<string, number>();
  private mergedSegments = 0;

  constructor(detectorIds: readonly string[]) {
    this.detectorIds = [...detectorIds];
  }

  /** Requests indexed (rows not merged away). */
  get requestCount(): number {
    return this.rowCount - this.deadRows;
  }

  /**
   * Makes room for `rows` more rows in every per-row column at once, so a build whose size can be
   * estimated does not leave a trail of outgrown buffers (peak memory) or copy columns repeatedly.
   */
  reserveRows(rows: number): void {
    const columns = [...this.strings, ...this.numbers, this.firstLine, this.primaryLine, this.firstSegment, this.primarySegment, this.stageMask, this.flags, this.auditIdStart, this.auditIdLength, this.detectorStart, this.detectorCount];
    // Exactly that: growth steps of 1.5x from a small start would leave up to half of it unused.
    for (const column of columns) column.reserve(rows, true);
    if (this.rowCount > 0) this.auditIdBytes.reserve(Math.ceil((rows * this.auditIdBytes.length) / this.rowCount), true);
  }

  addSegment(file: number, start: number, lineBase: number | null): number {
    this.segments.push({ file, start, lineBase, done: false, newlines: 0, skippedCount: 0, damagedCount: 0, skipped: [] });
    this.remaps.set(this.segments.length - 1, STRING_COLUMNS.map(() => []));
    return this.segments.length - 1;
  }

  append(batch: RowBatch): void {
    const remap = this.remaps.get(batch.segment);
    if (!remap) throw new Error(`batch for unknown or finished segment ${batch.segment}`);
    for (let c = 0; c < STRING_COLUMN_COUNT; c++) {
      const dictionary = this.dictionaries[c]!;
      for (const value of batch.newStrings[c]!) remap[c]!.push(dictionary.id(value));
    }
    // Straight into the typed arrays (one reserve per column, no per-value push): on a 1 GB log the
    // main thread appends 750,000 rows while the workers read.
    const n = batch.rows;
    for (let c = 0; c < STRING_COLUMN_COUNT; c++) {
      const column = this.strings[c]!;
      const map = remap[c]!;
      column.reserve(n);
      column.fit(this.dictionaries[c]!.size - 1);
      const data = column.data;
      const source = batch.strings;
      const at = column.length;
      for (let r = 0; r < n; r++) data[at + r] = map[source[r * STRIDE + c]!]!;
      column.length = at + n;
    }
    for (let c = 0; c < NUMBER_COLUMN_COUNT; c++) {
      const column = this.numbers[c]!;
      column.reserve(n);
      const data = column.data;
      const at = column.length;
      for (let r = 0; r < n; r++) data[at + r] = batch.numbers[r * NUMBERS + c]!;
      column.length = at + n;
    }
    let idAt = this.auditIdBytes.length;
    this.auditIdBytes.append(batch.auditIdBytes);
    if (batch.auditIdUppercase) this.auditIdsHaveUppercase = true;
    let detectorAt = this.detectorEntries.length;
    this.detectorEntries.append(batch.detectorEntries);
    const at = this.rowCount;
    const perRow = [this.firstLine, this.primaryLine, this.firstSegment, this.primarySegment, this.stageMask, this.flags, this.auditIdStart, this.auditIdLength, this.detectorStart, this.detectorCount];
    for (const column of perRow) column.reserve(n);
    const firstLine = this.firstLine.data;
    const primaryLine = this.primaryLine.data;
    const stageMask = this.stageMask.data;
    const flags = this.flags.data;
    const auditIdStart = this.auditIdStart.data;
    const detectorStart = this.detectorStart.data;
    this.firstSegment.data.fill(batch.segment, at, at + n);
    this.primarySegment.data.fill(batch.segment, at, at + n);
    this.auditIdLength.data.set(batch.auditIdLengths, at);
    this.detectorCount.data.set(batch.detectorCounts, at);
    for (let r = 0; r < n; r++) {
      firstLine[at + r] = batch.lines[r * 2]!;
      primaryLine[at + r] = batch.lines[r * 2 + 1]!;
      stageMask[at + r] = batch.masks[r * 2]!;
      flags[at + r] = batch.masks[r * 2 + 1]!;
      auditIdStart[at + r] = idAt;
      idAt += batch.auditIdLengths[r]!;
      detectorStart[at + r] = detectorAt;
      detectorAt += batch.detectorCounts[r]!;
    }
    for (const column of perRow) column.length = at + n;
    this.rowCount += n;
    this.version++;
  }

  /** Records a finished segment and merges, in segment order, requests that straddle segments. */
  finishSegment(segment: number, newlines: number, skips: SegmentSkips): void {
    const info = this.segments[segment]!;
    info.done = true;
    info.newlines = newlines;
    info.skippedCount = skips.skippedCount;
    info.damagedCount = skips.damagedCount;
    info.skipped = skips.skipped;
    this.remaps.delete(segment);
    for (let s = 1; s < this.segments.length; s++) {
      const before = this.segments[s - 1]!;
      const current = this.segments[s]!;
      if (current.lineBase === null && before.done && before.lineBase !== null) current.lineBase = current.file === before.file ? before.lineBase + before.newlines : 0;
    }
    while (this.mergedSegments < this.segments.length && this.segments[this.mergedSegments]!.done) this.mergeSegment(this.mergedSegments++);
    this.version++;
  }

  isDead(row: number): boolean {
    return (this.flags.data[row]! & FLAG_DEAD) !== 0;
  }

  auditID(row: number): string {
    const start = this.auditIdStart.data[row]!;
    return decoder.decode(this.auditIdBytes.data.subarray(start, start + this.auditIdLength.data[row]!));
  }

  text(row: number, column: StringColumn): string {
    const c = STRING_COLUMN_INDEX[column];
    return this.dictionaries[c]!.strings[this.strings[c]!.data[row]!]!;
  }

  number(row: number, column: NumberColumn): number {
    return this.numbers[NUM[column]]!.data[row]!;
  }

  /** 1-based line in its file of the first or the primary stage; null while the segments before are being read. */
  line(row: number, which: 'first' | 'primary'): number | null {
    const segment = this.segments[(which === 'first' ? this.firstSegment : this.primarySegment).data[row]!]!;
    if (segment.lineBase === null) return null;
    return segment.lineBase + (which === 'first' ? this.firstLine : this.primaryLine).data[row]!;
  }

  fileOf(row: number, which: 'first' | 'primary'): number {
    return this.segments[(which === 'first' ? this.firstSegment : this.primarySegment).data[row]!]!.file;
  }

  /** Detector entries of a row (see packDetector). */
  detectorsOf(row: number): Uint16Array {
    const start = this.detectorStart.data[row]!;
    return this.detectorEntries.data.subarray(start, start + this.detectorCount.data[row]!);
  }

  /** Skipped records with absolute line numbers, in file order (damaged input among them, marked `damage`). */
  skipped(): SkippedRecord[] {
    return this.segments.flatMap((segment) => segment.skipped.map((s) => ({ ...s, line: s.line + (segment.lineBase ?? 0) })));
  }

  skippedCount(): number {
    return this.segments.reduce((sum, segment) => sum + segment.skippedCount, 0);
  }

  /** Of skippedCount(), the records lost to damaged input. */
  damagedCount(): number {
    return this.segments.reduce((sum, segment) => sum + segment.damagedCount, 0);
  }

  /** Bytes held by the columns and string tables (an estimate for strings). */
  memoryBytes(): number {
    const columns = [...this.strings, ...this.numbers, this.firstLine, this.primaryLine, this.firstSegment, this.primarySegment, this.stageMask, this.flags, this.auditIdStart, this.auditIdLength, this.auditIdBytes, this.detectorStart, this.detectorCount, this.detectorEntries];
    let bytes = columns.reduce((sum, column) => sum + column.bytes, 0);
    for (const dictionary of this.dictionaries) for (const s of dictionary.strings) bytes += 2 * s.length + 48;
    return bytes;
  }

  /**
   * A request that was still open at the end of an earlier segment continues with the first row of
   * the same auditID in this one: the streaming path would have grouped those stages into one request.
   */
  private mergeSegment(segment: number): void {
    if (this.open.size > 0) {
      const continuation = new Map<string, number>();
      for (let row = 0; row < this.rowCount; row++) {
        if (this.firstSegment.data[row] !== segment || this.isDead(row)) continue;
        const id = this.auditID(row);
        if (!this.open.has(id)) continue;
        const seen = continuation.get(id);
        if (seen === undefined || this.numbers[NUM.firstOffset]!.data[row]! < this.numbers[NUM.firstOffset]!.data[seen]!) continuation.set(id, row);
      }
      for (const [id, later] of continuation) {
        const earlier = this.open.get(id)!;
        this.mergeRows(earlier, later);
        if ((this.flags.data[earlier]! & FLAG_INCOMPLETE) === 0) this.open.delete(id);
      }
    }
    for (let row = 0; row < this.rowCount; row++) {
      if (this.firstSegment.data[row] === segment && (this.flags.data[row]! & (FLAG_INCOMPLETE | FLAG_DEAD)) === FLAG_INCOMPLETE) this.open.set(this.auditID(row), row);
    }
  }

  /** Folds `later` into `earlier`: the primary stage is the last one of the highest rank, as in requests.ts. */
  private mergeRows(earlier: number, later: number): void {
    const laterWins = stageRank(this.text(later, 'stage')) >= stageRank(this.text(earlier, 'stage'));
    if (laterWins) {
      for (const column of this.strings) column.data[earlier] = column.data[later]!;
      for (let c = 0; c < NUMBER_COLUMN_COUNT; c++) if (c !== NUM.firstOffset) this.numbers[c]!.data[earlier] = this.numbers[c]!.data[later]!;
      this.primaryLine.data[earlier] = this.primaryLine.data[later]!;
      this.primarySegment.data[earlier] = this.primarySegment.data[later]!;
      this.detectorStart.data[earlier] = this.detectorStart.data[later]!;
      this.detectorCount.data[earlier] = this.detectorCount.data[later]!;
    }
    this.stageMask.data[earlier] = this.stageMask.data[earlier]! | this.stageMask.data[later]!;
    const primaryFlags = (laterWins ? this.flags.data[later]! : this.flags.data[earlier]!) & PRIMARY_FLAGS;
    this.flags.data[earlier] = (this.flags.data[later]! & FLAG_INCOMPLETE) | primaryFlags;
    this.flags.data[later] = this.flags.data[later]! | FLAG_DEAD;
    this.deadRows++;
  }
}

/** The index as the predicate reads it. */
export function columnsOf(index: LogIndex): RowColumns {
  return {
    stable: true,
    stringId: (row, column) => index.strings[column]!.data[row]!,
    dictionaryStrings: (column) => index.dictionaries[column]!.strings,
    number: (row, column) => index.numbers[column]!.data[row]!,
    flags: (row) => index.flags.data[row]!,
    auditID: (row) => index.auditID(row),
    auditIdsContaining: (needle) => rowsWithAuditIdContaining(index, needle),
  };
}
