import type { NormalizedEvent } from '../normalizedEvent';
import { type FieldScanner, R_CODE, R_FLAGS, R_IDS, R_LATENCY, R_TIME, SOURCE_INPUT, W_FIRST_LINE, W_FIRST_OFFSET, W_ID_AT, W_ID_LENGTH, W_INCOMPLETE, W_MASK, W_PRIMARY_LINE, W_PRIMARY_OFFSET, W_SOURCE, W_SOURCE_A, W_SOURCE_B } from '../reader/fieldScanner';
import { scannedEvent } from '../reader/scannedEvent';
import type { AuditRequest } from '../requests';
import { resourcePath } from '../requestTarget';
import { AuditIdBytes } from './auditIdBytes';
import { LocalDictionaries, type ColumnDictionaries } from './columnDictionaries';
import { GrowableFloat64, GrowableUint16, GrowableUint32, GrowableUint8 } from './growable';
import type { RowColumns } from './rowColumns';
import { COLUMN_ANNOTATIONS, eventFlags, FLAG_INCOMPLETE, GROUP_SEPARATOR, NUM, NUMBER_COLUMN_COUNT, stageBit, STRING_COLUMN_COUNT, STRING_COLUMNS, type StringColumn } from './schema';

/**
 * Rows encoded by one segment reader, ready to cross a thread boundary: only typed arrays and
 * strings (structured clone copies them cheaply; the typed arrays are transferred). Text values use
 * the segment's own dictionary ids; `newStrings` carries the strings that got ids since the last
 * batch, so the index can map local ids to its global ones without ever seeing a string twice.
 */
export interface RowBatch {
  segment: number;
  rows: number;
  /** rows × STRING_COLUMNS, local ids. */
  strings: Uint32Array;
  /** Per string column, the strings whose local ids follow the ones sent before. */
  newStrings: string[][];
  /** rows × NUMBER_COLUMNS. */
  numbers: Float64Array;
  /** rows × 2: line of the first stage, line of the primary stage (1-based, relative to the segment). */
  lines: Uint32Array;
  /** rows × 2: stage mask, flags. */
  masks: Uint8Array;
  /** auditIDs, UTF-8, back to back. */
  auditIdBytes: Uint8Array;
  auditIdLengths: Uint16Array;
  /** Whether some auditID of the batch has an A-Z letter (free text then cannot search the bytes as they are). */
  auditIdUppercase: boolean;
  /** Bytes of the file read for the rows of this batch (since the batch before): rows per byte, to reserve columns. */
  readBytes: number;
  /** Per row, how many detector entries; entries back to back (see packDetector). */
  detectorCounts: Uint16Array;
  detectorEntries: Uint16Array;
}

/**
 * Decides the detectors of the row just encoded (row number within the pending batch); pushes packed
 * entries. `primary` gives the row's primary stage: only the detectors that read more than the row's
 * columns call it (a scanned line is decoded then).
 */
export type RowDecider = (row: number, primary: () => NormalizedEvent, entries: number[]) => void;

/** Rows a batch usually holds (the columns grow past it when needed). */
const PENDING_ROWS = 8192;
// Local copies: hot loops then read a constant, not an imported binding (a getter under tsx's CommonJS output).
const STRIDE = STRING_COLUMN_COUNT;
const NUMBERS = NUMBER_COLUMN_COUNT;
const bitOf = stageBit;
const INCOMPLETE = FLAG_INCOMPLETE;
const TIME = NUM.time;
const LATENCY = NUM.latency;
const CODE = NUM.code;
const FIRST_OFFSET = NUM.firstOffset;
const PRIMARY_OFFSET = NUM.primaryOffset;

/**
 * Builds row batches: from requests (events grouped in JavaScript), or from the rows the field
 * scanner grouped itself. It is also the RowColumns of its pending rows, so the detectors can be
 * decided on a row's dictionary ids right after it is encoded.
 */
export class RowEncoder implements RowColumns {
  // Pending rows in typed arrays, reused from batch to batch: no per-row array growth, and nothing
  // for the young-generation collector to copy while a batch fills (workers run with a small one).
  private readonly strings = new GrowableUint32(PENDING_ROWS * STRIDE);
  private readonly numbers = new GrowableFloat64(PENDING_ROWS * NUMBERS);
  private readonly lines = new GrowableUint32(PENDING_ROWS * 2);
  private readonly masks = new GrowableUint8(PENDING_ROWS * 2);
  private readonly auditIds = new AuditIdBytes();
  private readonly detectorCounts = new GrowableUint16(PENDING_ROWS);
  private detectorEntries: number[] = [];
  private rowCount = 0;

  /** Set once the detectors are compiled against this encoder. */
  decide: RowDecider | null = null;

  constructor(
    private readonly segment: number,
    private readonly dictionaries: ColumnDictionaries = new LocalDictionaries(),
  ) {}

  stringId(row: number, column: number): number {
    return this.strings.data[row * STRIDE + column]!;
  }

  dictionaryStrings(column: number): readonly string[] {
    return this.dictionaries.strings(column);
  }

  number(row: number, column: number): number {
    return this.numbers.data[row * NUMBERS + column]!;
  }

  flags(row: number): number {
    return this.masks.data[row * 2 + 1]!;
  }

  auditID(row: number): string {
    return this.auditIds.text(row);
  }

  get rows(): number {
    return this.rowCount;
  }

  /** A request whose stages were grouped in JavaScript. */
  add(request: AuditRequest, incomplete: boolean): void {
    const p = request.primary;
    const first = request.stages[0]!;
    const strings = this.strings;
    strings.reserve(STRIDE);
    encodeColumns(p, this.dictionaries, strings.data, strings.length);
    strings.length += STRIDE;
    let mask = 0;
    for (const stage of request.stages) mask |= bitOf(stage.stage);
    const flags = (incomplete && request.auditID !== '' ? INCOMPLETE : 0) | eventFlags(p.event);
    this.addNumbers(p.time, p.latencyMs ?? NaN, p.code ?? NaN, first.offset, p.offset, first.line, p.line, mask, flags);
    this.auditIds.pushString(request.auditID);
    this.decideRow(() => p);
  }

  /**
   * A request the field scanner grouped: its row at word `row` of scanner.words; `held` is the
   * primary stage when JSON.parse read it (else it is the scanner's record and line).
   */
  addScanned(scanner: FieldScanner, row: number, held: NormalizedEvent | null, file: number): void {
    const words = scanner.words;
    const strings = this.strings;
    strings.reserve(STRIDE);
    const s = strings.data;
    const at = strings.length;
    for (let c = 0; c < STRIDE; c++) s[at + c] = words[row + R_IDS + c]!;
    strings.length = at + STRIDE;
    const numbers = scanner.numbers;
    const half = row >>> 1;
    const flags = words[row + R_FLAGS]! | (words[row + W_INCOMPLETE]! !== 0 ? INCOMPLETE : 0);
    const primaryLine = words[row + W_PRIMARY_LINE]!;
    const primaryOffset = numbers[half + W_PRIMARY_OFFSET]!;
    this.addNumbers(numbers[half + R_TIME]!, numbers[half + R_LATENCY]!, numbers[half + R_CODE]!, numbers[half + W_FIRST_OFFSET]!, primaryOffset, words[row + W_FIRST_LINE]!, primaryLine, words[row + W_MASK]!, flags);
    const idAt = words[row + W_ID_AT]!;
    const idLength = words[row + W_ID_LENGTH]!;
    if (held) this.auditIds.pushString(held.auditID);
    else this.auditIds.pushAscii(scanner.bytes, idAt, idLength);
    const pending = this.scanned;
    pending.scanner = scanner;
    pending.row = row;
    pending.held = held;
    pending.file = file;
    pending.line = primaryLine;
    pending.offset = primaryOffset;
    pending.idAt = idAt;
    pending.idLength = idLength;
    this.decideRow(this.scannedPrimary);
  }

  /** The row being decided, when the scanner grouped it (read by scannedPrimary, made once per encoder). */
  private readonly scanned = { scanner: null as FieldScanner | null, row: 0, held: null as NormalizedEvent | null, file: 0, line: 0, offset: 0, idAt: 0, idLength: 0 };

  private readonly scannedPrimary = (): NormalizedEvent => {
    const { scanner, row, held, file, line, offset, idAt, idLength } = this.scanned;
    if (held) return held;
    const words = scanner!.words;
    const a = words[row + W_SOURCE_A]!;
    const b = words[row + W_SOURCE_B]!;
    const inInput = words[row + W_SOURCE]! === SOURCE_INPUT;
    return scannedEvent(scanner!, row, inInput ? scanner!.input + a : a, inInput ? scanner!.input + b : a + b, file, line, offset, null, idAt, idLength);
  };

  private addNumbers(time: number, latency: number, code: number, firstOffset: number, primaryOffset: number, firstLine: number, primaryLine: number, mask: number, flags: number): void {
    const numbers = this.numbers;
    numbers.reserve(NUMBERS);
    const n = numbers.data;
    const at = numbers.length;
    n[at + TIME] = time;
    n[at + LATENCY] = latency;
    n[at + CODE] = code;
    n[at + FIRST_OFFSET] = firstOffset;
    n[at + PRIMARY_OFFSET] = primaryOffset;
    numbers.length = at + NUMBERS;
    this.lines.push(firstLine);
    this.lines.push(primaryLine);
    this.masks.push(mask);
    this.masks.push(flags);
  }

  private decideRow(primary: () => NormalizedEvent): void {
    const before = this.detectorEntries.length;
    this.decide?.(this.rowCount, primary, this.detectorEntries);
    this.detectorCounts.push(this.detectorEntries.length - before);
    this.rowCount++;
  }

  /** The rows added since the last call, as a batch (null when there are none); `readBytes`: file bytes read for them. */
  flush(readBytes = 0): RowBatch | null {
    if (this.rowCount === 0) return null;
    const ids = this.auditIds.take();
    const batch: RowBatch = {
      segment: this.segment,
      rows: this.rowCount,
      strings: taken(this.strings),
      newStrings: STRING_COLUMNS.map((_, column) => this.dictionaries.takeNew(column)),
      numbers: taken(this.numbers),
      lines: taken(this.lines),
      masks: taken(this.masks),
      auditIdBytes: ids.bytes,
      auditIdLengths: ids.lengths,
      auditIdUppercase: ids.uppercase,
      detectorCounts: taken(this.detectorCounts),
      detectorEntries: Uint16Array.from(this.detectorEntries),
      readBytes,
    };
    this.detectorEntries = [];
    this.rowCount = 0;
    return batch;
  }
}

/** Text columns that are not a text field of the event as it is: each one's text, as the field scanner computes it from bytes. */
const COMPUTED_TEXT: { readonly [C in Exclude<StringColumn, keyof NormalizedEvent>]: (p: NormalizedEvent) => string } & { readonly groups: (p: NormalizedEvent) => string } = {
  resourcePath: (p) => resourcePath(p),
  decision: (p) => annotationText(p.event.annotations, COLUMN_ANNOTATIONS[0]!),
  reason: (p) => annotationText(p.event.annotations, COLUMN_ANNOTATIONS[1]!),
  groups: (p) => (p.groups.length === 0 ? '' : GROUP_SEPARATOR + p.groups.join(GROUP_SEPARATOR)),
};
type PlainTextColumn = Exclude<StringColumn, keyof typeof COMPUTED_TEXT>;
/** Per column (STRING_COLUMNS order), its text of an event. */
const TEXT_OF: readonly ((p: NormalizedEvent) => string)[] = STRING_COLUMNS.map((column) =>
  Object.hasOwn(COMPUTED_TEXT, column) ? COMPUTED_TEXT[column as keyof typeof COMPUTED_TEXT] : (p: NormalizedEvent) => p[column as PlainTextColumn],
);

/** The text columns of an event the JSON.parse path decoded, as ids at target[at...] (STRING_COLUMNS order). */
export function encodeColumns(p: NormalizedEvent, d: ColumnDictionaries, s: Uint32Array, at: number): void {
  for (let c = 0; c < STRIDE; c++) s[at + c] = d.id(c, TEXT_OF[c]!(p));
}

/** A copy of the pending values (its own buffer, to transfer), and the column emptied for the next batch. */
function taken<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(column: { data: T; length: number }): T {
  const copy = column.data.slice(0, column.length) as T;
  column.length = 0;
  return copy;
}

/** The typed arrays of a batch, to transfer rather than copy them to another thread. */
export function batchTransferList(batch: RowBatch): ArrayBuffer[] {
  return [batch.strings, batch.numbers, batch.lines, batch.masks, batch.auditIdBytes, batch.auditIdLengths, batch.detectorCounts, batch.detectorEntries].map((a) => a.buffer as ArrayBuffer);
}

function annotationText(annotations: unknown, key: string): string {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return '';
  const value = (annotations as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

