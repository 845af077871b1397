import { type FieldScanner, KIND_BLANK, KIND_EVENT, R_KIND, R_LINE_BREAK, R_LINE_END, R_LINE_START, RECORD_WORDS } from './fieldScanner';
import { LineSplitter, type LineHandler, type OversizeHandler } from './lineSplitter';

/** Called for a line the scanner read as an Event: its record's word index in scanner.words. */
export type ScannedLineHandler = (record: number, line: number, offset: number) => void;

/** The log index's mode: Event lines are grouped into requests inside the scanner. */
export interface ScanGrouping {
  /** Added to stream offsets (a BOM, the segment's start in the file). */
  offsetBase: number;
  /** Called after each scan: rows may be waiting. */
  afterScan: () => void;
}

const NEWLINE = 10;

/**
 * LineSplitter for the field scanner: the same lines, numbers, offsets, oversize reports and carrying
 * of unfinished lines (it is one), but the complete lines of a chunk go to the WebAssembly scanner in
 * runs of up to its capacity instead of one by one. A line it reads as an Event goes to `onScanned`;
 * every other line, and one longer than the scanner's input, to `onLine` (the JSON.parse path).
 */
export class ScanningLineSplitter extends LineSplitter {
  /** Lines read by the scanner / handed to onLine. */
  scannedLines = 0;
  fallbackLines = 0;

  constructor(
    private readonly scanner: FieldScanner,
    private readonly onScanned: ScannedLineHandler,
    onLine: LineHandler,
    onOversize: OversizeHandler,
    maxLineBytes: number,
    /** Called before the scanner's buffers are reused (its records; with grouping, its input). */
    private readonly beforeScan: () => void,
    private readonly grouping: ScanGrouping | null = null,
  ) {
    super(
      (bytes, start, end, line, offset, final) => {
        this.fallbackLines++;
        onLine(bytes, start, end, line, offset, final);
      },
      onOversize,
      maxLineBytes,
    );
  }

  protected override splitLines(chunk: Buffer, start: number, base: number): number {
    const scanner = this.scanner;
    let at = start;
    while (at < chunk.length) {
      // A run never holds a whole line longer than the limit: such a line takes the long-line path below.
      const filled = Math.min(scanner.capacity, this.maxLineBytes + 1, chunk.length - at);
      const runEnd = at + filled;
      this.beforeScan();
      scanner.write(chunk.subarray(at, runEnd), 0);
      const read = this.scanRun(filled, base + at, true);
      at += read;
      if (runEnd >= chunk.length) break; // what is left is an unfinished line
      if (read > 0) continue; // the next run starts at the unfinished line
      // No line break within a run: a long line, for JSON.parse (or too long: reported).
      const newline = chunk.indexOf(NEWLINE, at);
      if (newline < 0) break;
      this.lineAt(chunk, at, newline);
      this.nextLine(base + newline + 1);
      at = newline + 1;
    }
    return at;
  }

  protected override joinedLine(line: Buffer): void {
    if (line.length >= this.scanner.capacity) {
      super.joinedLine(line);
      return;
    }
    this.beforeScan();
    this.scanner.write(line, 0);
    this.scanner.bytes[this.scanner.input + line.length] = NEWLINE;
    this.scanRun(line.length + 1, this.lineOffset, false);
  }

  /**
   * Scans the `filled` input bytes (input[0] is at stream offset `inputBase`) until no whole line is
   * left (several scans when the output fills, or, with grouping, after each line for JSON.parse).
   * Returns the bytes of whole lines read.
   */
  private scanRun(filled: number, inputBase: number, advance: boolean): number {
    const scanner = this.scanner;
    let read = 0;
    for (;;) {
      if (read > 0) this.beforeScan();
      const records = scanner.scan(filled, read, this.grouping !== null, this.lineNumber, inputBase + (this.grouping?.offsetBase ?? 0));
      this.dispatch(records, inputBase, advance);
      this.grouping?.afterScan();
      const next = scanner.consumed();
      if (next === read || next >= filled) return next;
      read = next;
    }
  }

  private dispatch(records: number, inputBase: number, advance: boolean): void {
    const scanner = this.scanner;
    let record = scanner.output >>> 2;
    for (let r = 0; r < records; r++, record += RECORD_WORDS) {
      const words = scanner.words; // fresh each time: a handler may have grown the memory
      const kind = words[record + R_KIND]!;
      const lineBreak = words[record + R_LINE_BREAK]!;
      if (kind === KIND_EVENT) {
        this.scannedLines++;
        this.onScanned(record, this.lineNumber, this.lineOffset);
      } else if (kind !== KIND_BLANK) {
        this.onLine(scanner.bytes, scanner.input + words[record + R_LINE_START]!, scanner.input + words[record + R_LINE_END]!, this.lineNumber, this.lineOffset, false);
      }
      if (advance) this.nextLine(inputBase + lineBreak + 1);
    }
  }
}
