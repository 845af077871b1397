import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRING_COLUMN_COUNT } from '../index/schema';

// The JavaScript side of the WebAssembly field scanner (source: assembly/, built into
// dist/fieldScanner.wasm). It owns the module's memory views, copies bytes in, runs scans, and keeps
// the text of every dictionary id the scanner hands out (decoded once per distinct string).

/** File name of the compiled scanner, next to the bundle that loads it (dist/). */
export const FIELD_SCANNER_FILE = 'fieldScanner.wasm';

/** Word offsets inside a record (see assembly/fieldScanner.ts). */
export const RECORD_WORDS = 32;
export const R_KIND = 0;
export const R_LINE_START = 1;
export const R_LINE_END = 2;
export const R_FLAGS = 3;
export const R_STAGE_BIT = 4;
export const R_AUDIT_ID_START = 5;
export const R_AUDIT_ID_LENGTH = 6;
export const R_LINE_BREAK = 7;
export const R_IDS = 8;
/** Float64 offsets inside a record. */
export const R_TIME = 13;
export const R_LATENCY = 14;
export const R_CODE = 15;

export const KIND_BLANK = 0;
export const KIND_EVENT = 1;
export const KIND_FALLBACK = 2;

/**
 * Text columns the scanner interns, in schema.ts STRING_COLUMNS order (derived from the request field
 * table; the WebAssembly has the same order baked in: test/unit/auditlog/reader/columnOrder.test.ts).
 */
export const SCANNED_COLUMNS = STRING_COLUMN_COUNT;

/** Word offsets inside a row (a request, assembly/requests.ts); its first 32 words are its primary stage's record. */
export const ROW_WORDS = 48;
export const W_FIRST_LINE = 32;
export const W_PRIMARY_LINE = 33;
/** Float64 offsets inside a row. */
export const W_FIRST_OFFSET = 17;
export const W_PRIMARY_OFFSET = 18;
export const W_MASK = 38;
export const W_INCOMPLETE = 39;
export const W_ID_AT = 40;
export const W_ID_LENGTH = 41;
export const W_SOURCE = 42;
export const W_SOURCE_A = 43;
export const W_SOURCE_B = 44;
/** Where a row's primary stage is: a line in the scanner's input, an event JavaScript holds, a copied line. */
export const SOURCE_INPUT = 0;
export const SOURCE_HELD = 1;
export const SOURCE_BYTES = 2;

interface ScannerExports {
  memory: WebAssembly.Memory;
  setup(capacity: number, records: number): void;
  inputPointer(): number;
  outputPointer(): number;
  scan(start: number, length: number, baseLine: number, baseOffset: number, grouping: boolean): number;
  consumed(): number;
  heldRecordPointer(): number;
  addHeld(line: number, offset: number, idLength: number, held: number): void;
  rows(): number;
  rowsWritten(): number;
  releasedList(): number;
  releasedWritten(): number;
  rowsTaken(): void;
  keepLines(): void;
  finish(): number;
  ensureScratch(length: number): number;
  intern(column: number, length: number): number;
  reserveId(column: number): number;
  stringCounts(): number;
  stringListOf(column: number): number;
}

let compiled: WebAssembly.Module | null | undefined;
let loadError = '';

/** Where the compiled scanner is: beside the bundle, or in dist/ when running from source. */
function scannerPath(): string {
  const beside = join(__dirname, FIELD_SCANNER_FILE);
  if (!__filename.endsWith('.ts') || existsSync(beside)) return beside;
  return join(__dirname, '..', '..', '..', '..', 'dist', FIELD_SCANNER_FILE);
}

/** The compiled module, once per thread; null (and fieldScannerUnavailable() says why) if it cannot load. */
function scannerModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const path = process.env.K8S_AUDIT_FIELD_SCANNER || scannerPath();
  try {
    compiled = new WebAssembly.Module(readFileSync(path));
  } catch (error) {
    loadError = `field scanner not loaded from ${path}: ${(error as Error).message}`;
    compiled = null;
  }
  return compiled;
}

/** Why no scanner could be made (empty when one can). */
export function fieldScannerUnavailable(): string {
  scannerModule();
  return loadError;
}

/** Node's Buffer has latin1Slice (undocumented, but what toString('latin1') calls, minus its argument checks). */
type ScannerBytes = Buffer & { latin1Slice(start: number, end: number): string };

const encoder = new TextEncoder();
/** In a u-mode pattern, \p{Surrogate} matches only unpaired surrogates. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * One scanner instance: an input buffer, an output of records, and per text column a dictionary
 * (WebAssembly side: bytes and hash table; this side: the strings, in id order).
 */
export class FieldScanner {
  /** Per column, the text of each id. */
  readonly strings: string[][] = Array.from({ length: SCANNED_COLUMNS }, () => []);
  /** Bumped by every scan: records and input bytes of earlier scans are gone. */
  generation = 0;
  words!: Uint32Array;
  numbers!: Float64Array;
  bytes!: ScannerBytes;
  readonly input: number;
  readonly output: number;
  private readonly sent: number[] = new Array<number>(SCANNED_COLUMNS).fill(0);
  private readonly exports: ScannerExports;

  private constructor(
    module: WebAssembly.Module,
    /** Largest input a scan reads; a longer line is parsed by JSON.parse. */
    readonly capacity: number,
    /** Records one scan writes at most. */
    readonly maxRecords: number,
  ) {
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => {
          throw new Error('field scanner aborted');
        },
      },
    });
    this.exports = instance.exports as unknown as ScannerExports;
    this.exports.setup(capacity, maxRecords);
    this.input = this.exports.inputPointer();
    this.output = this.exports.outputPointer();
    this.refresh();
  }

  /** A new scanner, or null when the WebAssembly module is unavailable. */
  static create(capacity = 1024 * 1024, maxRecords = 4096): FieldScanner | null {
    const module = scannerModule();
    return module ? new FieldScanner(module, capacity, maxRecords) : null;
  }

  /** Copies bytes to the input at `at` (0 = its start). */
  write(source: Uint8Array, at: number): void {
    this.refresh();
    this.bytes.set(source, this.input + at);
  }


  /**
   * Scans input[start, length): the number of records written (consumed() is where the lines read
   * end). With `grouping`, Event lines also go to the scanner's request table (see takeRows), lines
   * numbered from `baseLine`, offsets from `baseOffset` at input[0], and a line left to JSON.parse ends the scan.
   */
  scan(length: number, start = 0, grouping = false, baseLine = 0, baseOffset = 0): number {
    this.generation++;
    const records = this.exports.scan(start, length, baseLine, baseOffset, grouping);
    this.refresh();
    this.syncStrings();
    return records;
  }

  /**
   * Adds a stage JSON.parse read to the request table: its record (ids, row flags, stage bit, time,
   * latency, code) written by `fill` into the words at the given index, its auditID, and the number
   * JavaScript keeps it under (rows name it; released() lists it once no row can).
   */
  addHeld(fill: (words: Uint32Array, numbers: Float64Array, record: number) => void, auditID: string, line: number, offset: number, held: number): void {
    const record = this.exports.heldRecordPointer() >>> 2;
    fill(this.words, this.numbers, record);
    // Grouping keys: the UTF-8 of the auditID, or (no UTF-8 form) FF and its UTF-16 units, which no UTF-8 key has.
    const wellFormed = !LONE_SURROGATE.test(auditID);
    const scratch = this.exports.ensureScratch(auditID.length * 3 + 1);
    this.refresh();
    let length: number;
    if (wellFormed) length = encoder.encodeInto(auditID, this.bytes.subarray(scratch, scratch + auditID.length * 3)).written;
    else {
      this.bytes[scratch] = 0xff;
      length = 1 + this.bytes.write(auditID, scratch + 1, 'utf16le');
    }
    this.exports.addHeld(line, offset, length, held);
    this.refresh();
  }

  /** Calls `take` with the word index of each row written since the last call, then the held numbers released. */
  takeRows(take: (row: number) => void, released: (held: number) => void): void {
    const count = this.exports.rowsWritten();
    if (count > 0) {
      const rows = this.exports.rows() >>> 2;
      for (let i = 0; i < count; i++) take(rows + i * ROW_WORDS);
    }
    const releasedCount = this.exports.releasedWritten();
    if (releasedCount > 0) {
      const list = this.exports.releasedList() >>> 2;
      const words = this.words;
      for (let i = 0; i < releasedCount; i++) released(words[list + i]!);
    }
    this.exports.rowsTaken();
  }

  /** Before the input is reused: open requests keep a copy of their primary line. */
  keepLines(): void {
    this.exports.keepLines();
    this.refresh();
  }

  /** Writes the requests still open as rows (take them with takeRows); how many are left for the next call. */
  finishRequests(): number {
    const left = this.exports.finish();
    this.refresh();
    return left;
  }

  consumed(): number {
    return this.exports.consumed();
  }

  /** The id of a string in a column (added when new), for events the JSON.parse path decoded. */
  intern(column: number, value: string): number {
    const strings = this.strings[column]!;
    let id: number;
    if (!LONE_SURROGATE.test(value)) {
      const scratch = this.exports.ensureScratch(value.length * 3);
      this.refresh();
      const { written } = encoder.encodeInto(value, this.bytes.subarray(scratch, scratch + value.length * 3));
      id = this.exports.intern(column, written);
    } else {
      // A lone surrogate has no UTF-8 form: its own id, never matched by bytes.
      id = this.exports.reserveId(column);
    }
    this.refresh();
    if (id === strings.length) strings.push(value);
    return id;
  }

  /** Strings of a column that got ids since the last call. */
  takeNew(column: number): string[] {
    const strings = this.strings[column]!;
    const taken = strings.slice(this.sent[column]);
    this.sent[column] = strings.length;
    return taken;
  }

  /** New views after the memory grew (the old ones are detached). */
  refresh(): void {
    const buffer = this.exports.memory.buffer;
    if (this.words?.buffer === buffer) return;
    this.words = new Uint32Array(buffer);
    this.numbers = new Float64Array(buffer);
    this.bytes = Buffer.from(buffer) as ScannerBytes;
  }

  private syncStrings(): void {
    const counts = this.exports.stringCounts() >>> 2;
    const words = this.words;
    for (let column = 0; column < SCANNED_COLUMNS; column++) {
      const strings = this.strings[column]!;
      const count = words[counts + column]!;
      if (strings.length === count) continue;
      const list = this.exports.stringListOf(column) >>> 2;
      for (let id = strings.length; id < count; id++) {
        const at = words[list + id * 2]!;
        strings.push(this.bytes.toString('utf8', at, at + words[list + id * 2 + 1]!));
      }
    }
  }
}
