/** Called once per line, without its terminator; `end` excludes a trailing CR so CRLF files read alike. */
export type LineHandler = (bytes: Buffer, start: number, end: number, line: number, offset: number, final: boolean) => void;
export type OversizeHandler = (line: number, offset: number, bytes: number) => void;

const NEWLINE = 10;
const CR = 13;

/**
 * Splits a byte stream into lines without decoding it: `indexOf` finds newlines, complete lines are
 * handed over as views into the chunk, and only a line that straddles chunks is copied (so the caller
 * may reuse a chunk's buffer once push returns). A line longer
 * than `maxLineBytes` is dropped while it streams past (reported once), so one huge line can never
 * exhaust memory.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private discarding = false;
  protected lineNumber = 1;
  protected lineOffset = 0;
  private consumed = 0;

  constructor(
    protected readonly onLine: LineHandler,
    protected readonly onOversize: OversizeHandler,
    protected readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    const base = this.consumed;
    this.consumed += chunk.length;
    if (this.carryBytes > 0 || this.discarding) {
      const newline = chunk.indexOf(NEWLINE);
      if (newline < 0) {
        this.keep(chunk, 0);
        return;
      }
      if (this.discarding) {
        this.onOversize(this.lineNumber, this.lineOffset, this.carryBytes + newline);
        this.discarding = false;
      } else {
        this.carry.push(chunk.subarray(0, newline));
        this.joinedLine(Buffer.concat(this.carry, this.carryBytes + newline));
      }
      this.carry = [];
      this.carryBytes = 0;
      this.nextLine(base + newline + 1);
      start = newline + 1;
    }
    start = this.splitLines(chunk, start, base);
    if (start < chunk.length) this.keep(chunk, start);
  }

  /**
   * Hands out the complete lines of chunk[start..] (`base`: the stream offset of the chunk); returns
   * where the unfinished line left at its end starts.
   */
  protected splitLines(chunk: Buffer, start: number, base: number): number {
    for (;;) {
      const newline = chunk.indexOf(NEWLINE, start);
      if (newline < 0) return start;
      this.lineAt(chunk, start, newline);
      this.nextLine(base + newline + 1);
      start = newline + 1;
    }
  }

  /** One line of a chunk, at most maxLineBytes long or reported as oversize. */
  protected lineAt(chunk: Buffer, start: number, newline: number): void {
    if (newline - start > this.maxLineBytes) this.onOversize(this.lineNumber, this.lineOffset, newline - start);
    else this.emit(chunk, start, newline, false);
  }

  /** A line that arrived in pieces, joined (it is not held to maxLineBytes once complete). */
  protected joinedLine(line: Buffer): void {
    this.emit(line, 0, line.length, false);
  }

  /** Flushes the last line when the stream ended without a newline (a file still being written). */
  end(): void {
    if (this.discarding) this.onOversize(this.lineNumber, this.lineOffset, this.carryBytes);
    else if (this.carryBytes > 0) {
      const line = Buffer.concat(this.carry, this.carryBytes);
      this.emit(line, 0, line.length, true);
    }
    this.carry = [];
    this.carryBytes = 0;
    this.discarding = false;
  }

  /** Lines seen so far (the number of the line being read). */
  get currentLine(): number {
    return this.lineNumber;
  }

  /** Stream offset where the line being read starts (just after the last line break). */
  get currentLineOffset(): number {
    return this.lineOffset;
  }

  private keep(chunk: Buffer, start: number): void {
    const length = chunk.length - start;
    if (!this.discarding && this.carryBytes + length > this.maxLineBytes) {
      this.discarding = true;
      this.carry = [];
    }
    if (!this.discarding) this.carry.push(Buffer.from(chunk.subarray(start)));
    this.carryBytes += length;
  }

  protected emit(bytes: Buffer, start: number, end: number, final: boolean): void {
    const stop = end > start && bytes[end - 1] === CR ? end - 1 : end;
    this.onLine(bytes, start, stop, this.lineNumber, this.lineOffset, final);
  }

  protected nextLine(offset: number): void {
    this.lineNumber++;
    this.lineOffset = offset;
  }
}
