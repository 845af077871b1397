/** A complete top-level value (or element of a top-level array), with where it started. */
export type ValueHandler = (text: string, line: number, offset: number, inTopArray: boolean) => void;
/** `atEnd`: found when the input ended (an unfinished document or array). */
export type ScanProblem = (line: number, offset: number, reason: string, atEnd: boolean) => void;

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/**
 * Finds JSON values in a stream of pretty-printed documents (webhook EventLists, `gcloud logging
 * read` arrays, `aws logs filter-log-events` output) without parsing: it tracks strings and bracket
 * depth byte by byte. Elements of a top-level array are handed over one by one, so a multi-gigabyte
 * array streams; a top-level object is handed over whole.
 */
export class JsonDocumentScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private topArray = false;
  private inValue = false;
  private valueIsScalar = false;
  private valueLine = 0;
  private valueOffset = 0;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private oversize = false;
  private skippingGarbage = false;
  private line = 1;
  private consumed = 0;

  constructor(
    private readonly onValue: ValueHandler,
    private readonly onProblem: ScanProblem,
    private readonly maxValueBytes: number,
  ) {}

  push(chunk: Buffer): void {
    const base = this.consumed;
    this.consumed += chunk.length;
    let valueStart = this.inValue ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === NEWLINE) {
        this.line++;
        if (this.skippingGarbage) this.skippingGarbage = false;
        if (!this.inString) continue;
      }
      if (this.skippingGarbage) continue;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) continue;
      if (!this.inValue) {
        if (!this.topArray && this.depth === 0 && c === 91 /* [ */) {
          this.topArray = true;
          this.depth = 1;
          continue;
        }
        if (this.topArray && (c === 44 /* , */ || c === 93 /* ] */)) {
          if (c === 93) {
            this.topArray = false;
            this.depth = 0;
          }
          continue;
        }
        if (!this.topArray && c !== 123 /* { */) {
          this.onProblem(this.line, base + i, 'not JSON: text outside any JSON document', false);
          this.skippingGarbage = true;
          continue;
        }
        this.inValue = true;
        this.valueIsScalar = c !== 123 && c !== 91;
        this.valueLine = this.line;
        this.valueOffset = base + i;
        valueStart = i;
        if (this.valueIsScalar) {
          if (c === QUOTE) this.inString = true;
          continue;
        }
      } else if (this.valueIsScalar) {
        if (c === 44 || c === 93) {
          this.finishValue(chunk, valueStart, i);
          valueStart = -1;
          if (c === 93) {
            this.topArray = false;
            this.depth = 0;
          }
          continue;
        }
        if (c === QUOTE) this.inString = true;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        this.depth--;
        if (this.depth === (this.topArray ? 1 : 0)) {
          this.finishValue(chunk, valueStart, i + 1);
          valueStart = -1;
        }
      }
    }
    if (this.inValue && valueStart >= 0) this.keep(chunk.subarray(valueStart));
  }

  end(): void {
    if (this.inValue) {
      this.onProblem(this.valueLine, this.valueOffset, 'incomplete JSON document at the end of the file (cut, or still being written?)', true);
    } else if (this.topArray) {
      this.onProblem(this.line, this.consumed, 'JSON array not closed at the end of the file', true);
    }
    this.reset();
  }

  private keep(piece: Buffer): void {
    if (this.oversize) return;
    if (this.pieceBytes + piece.length > this.maxValueBytes) {
      this.oversize = true;
      this.pieces = [];
      return;
    }
    // Copy: the chunk this view points into will be reused by the stream.
    this.pieces.push(Buffer.from(piece));
    this.pieceBytes += piece.length;
  }

  private finishValue(chunk: Buffer, start: number, end: number): void {
    const tail = chunk.subarray(start, end);
    if (this.oversize || this.pieceBytes + tail.length > this.maxValueBytes) {
      this.onProblem(this.valueLine, this.valueOffset, `JSON document larger than ${this.maxValueBytes} bytes, not read`, false);
    } else {
      const bytes = this.pieces.length === 0 ? tail : Buffer.concat([...this.pieces, tail]);
      this.onValue(bytes.toString('utf8'), this.valueLine, this.valueOffset, this.topArray);
    }
    this.inValue = false;
    this.oversize = false;
    this.pieces = [];
    this.pieceBytes = 0;
    if (!this.topArray) this.depth = 0;
  }

  private reset(): void {
    this.inValue = false;
    this.pieces = [];
    this.pieceBytes = 0;
    this.depth = 0;
    this.topArray = false;
  }
}
