import { CLOUDWATCH_TRUNCATION } from '../formats/embeddedJson';
import { LEGACY_MARKER, LegacyTextConverter } from '../formats/legacyText';
import type { RecordSink } from '../formats/recordSink';
import { unwrapRecord } from '../formats/unwrapRecord';
import { normalizeEvent, type NormalizedEvent, type RecordLocation, type SourceFormat } from '../normalizedEvent';
import { JsonDocumentScanner } from './jsonDocumentScanner';
import { LineSplitter } from './lineSplitter';

/** A record that could not be read as an audit event, and why. Never fatal. */
export interface SkippedRecord {
  file: number;
  /** 1-based line where the record starts. */
  line: number;
  offset: number;
  reason: string;
}

/** How the bytes are framed: one record per line, or pretty-printed JSON documents. */
export type Framing = 'lines' | 'documents' | 'empty';

export interface ParseSummary {
  framing: Framing;
  /** Events per source format; the file's format is the most frequent one. */
  formats: Partial<Record<SourceFormat, number>>;
  events: number;
  /** Every skipped record counts here, even when `skipped` keeps only the first few. */
  skippedCount: number;
  skipped: SkippedRecord[];
}

export interface ParseOptions {
  /** Index of this file in the caller's file list; stored in every event and skip. */
  file?: number;
  /** A longer line or document is skipped (and reported) without being held in memory. */
  maxRecordBytes?: number;
  /** How many skipped records keep their details; the rest are only counted. */
  maxSkippedDetails?: number;
}

const DEFAULT_MAX_RECORD = 64 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
const SIXTEEN_KIB = 16 * 1024;

/**
 * Turns audit log bytes (already decompressed) into normalised events, chunk by chunk. The framing
 * is sniffed from the first line; the record shape is recognised per record. Bad records are counted
 * and described, never thrown.
 */
export class AuditStreamParser implements RecordSink {
  private readonly file: number;
  private readonly maxRecordBytes: number;
  private readonly maxSkippedDetails: number;
  private readonly legacy = new LegacyTextConverter();
  private readonly summary: ParseSummary = { framing: 'empty', formats: {}, events: 0, skippedCount: 0, skipped: [] };
  private sniffed: Buffer[] | null = [];
  private sniffedBytes = 0;
  private bias = 0;
  private splitter: LineSplitter | null = null;
  private scanner: JsonDocumentScanner | null = null;
  /** The value decoded from the current line, and the line's bytes: an event that is this value is the whole line. */
  private lineValue: unknown = undefined;
  private lineBytes = -1;

  constructor(
    private readonly onEvent: (event: NormalizedEvent) => void,
    options: ParseOptions = {},
  ) {
    this.file = options.file ?? 0;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD;
    this.maxSkippedDetails = options.maxSkippedDetails ?? 1000;
  }

  push(chunk: Buffer): void {
    if (this.sniffed === null) {
      this.feed(chunk);
      return;
    }
    this.sniffed.push(chunk);
    this.sniffedBytes += chunk.length;
    const head = this.sniffed.length === 1 ? chunk : Buffer.concat(this.sniffed);
    const framing = sniffFraming(head, this.sniffedBytes >= SNIFF_BYTES);
    if (framing !== null) this.start(framing, head);
  }

  /** Records a problem found outside the parser (a damaged gzip stream) at the current position. */
  reportDamage(reason: string): void {
    // Kept even past maxSkippedDetails: it explains why the rest of the file is missing.
    this.summary.skippedCount++;
    this.summary.skipped.push({ file: this.file, line: this.splitter?.currentLine ?? 1, offset: -1, reason });
  }

  end(): ParseSummary {
    if (this.sniffed !== null) {
      const head = Buffer.concat(this.sniffed);
      this.start(sniffFraming(head, true) ?? 'empty', head);
    }
    this.splitter?.end();
    this.scanner?.end();
    return this.summary;
  }

  event(event: Record<string, unknown>, format: SourceFormat, at: RecordLocation): void {
    this.summary.events++;
    this.summary.formats[format] = (this.summary.formats[format] ?? 0) + 1;
    const normalized = normalizeEvent(event, format, at);
    if (event === this.lineValue || format === 'legacy-text') normalized.recordBytes = this.lineBytes;
    this.onEvent(normalized);
  }

  skip(at: RecordLocation, reason: string): void {
    this.summary.skippedCount++;
    if (this.summary.skipped.length < this.maxSkippedDetails) this.summary.skipped.push({ file: at.file, line: at.line, offset: at.offset, reason });
  }

  private start(framing: Framing, head: Buffer): void {
    this.sniffed = null;
    this.summary.framing = framing;
    if (framing === 'empty') return;
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.bias = 3;
      head = head.subarray(3);
    }
    if (framing === 'lines') {
      this.splitter = new LineSplitter(this.onLine, this.onOversizeLine, this.maxRecordBytes);
    } else {
      this.scanner = new JsonDocumentScanner(this.onDocument, this.onScanProblem, this.maxRecordBytes);
    }
    this.feed(head);
  }

  private feed(chunk: Buffer): void {
    if (this.splitter) this.splitter.push(chunk);
    else this.scanner?.push(chunk);
  }

  private readonly onLine = (bytes: Buffer, start: number, end: number, line: number, offset: number, final: boolean): void => {
    let i = start;
    while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
    if (i === end) return;
    const at: RecordLocation = { file: this.file, line, offset: offset + this.bias };
    const first = bytes[i]!;
    this.lineValue = undefined;
    // The line and its line break: what the apiserver's log backend wrote for one event.
    this.lineBytes = end - start + 1;
    if (first === 123 /* { */ || first === 91 /* [ */) {
      this.parseJson(bytes.toString('utf8', i, end), 'k8s-json', at, final, end - start, true);
      return;
    }
    if (first >= 48 && first <= 57) {
      const line = bytes.toString('utf8', i, end);
      if (line.includes(LEGACY_MARKER)) {
        this.legacy.convert(line, at, this);
        return;
      }
      // Logs Insights CSV export: <@timestamp>,"<@message with "" for ">".
      const csv = line.indexOf(',"{');
      if (csv > 0 && line.endsWith('"')) {
        this.parseJson(line.slice(csv + 2, -1).replace(/""/g, '"'), 'eks-insights-csv', at, final, end - start);
        return;
      }
      // `aws logs tail`: "<timestamp> <log stream> <Event JSON>".
      const json = line.indexOf(' {');
      if (json > 0) {
        this.parseJson(line.slice(json + 1), 'eks-tail', at, final, end - start);
        return;
      }
    }
    // The header of a Logs Insights CSV export.
    if (first === 64 /* @ */ && bytes.toString('utf8', i, Math.min(end, i + 11)) === '@timestamp,') return;
    this.skip(at, final ? 'incomplete last line (the file may still be being written)' : 'not JSON and not a known audit text format');
  };

  private parseJson(json: string, format: SourceFormat, at: RecordLocation, final: boolean, lineBytes: number, wholeLine = false): void {
    let value: unknown;
    try {
      value = JSON.parse(json);
      if (wholeLine) this.lineValue = value;
    } catch (error) {
      const values = json.includes('}{') ? splitConcatenatedJson(json) : null;
      if (values === null) {
        this.skip(at, unparsableReason(json, error as Error, final, lineBytes));
        return;
      }
      for (const item of values) unwrapRecord(item, format, at, this);
      return;
    }
    unwrapRecord(value, format, at, this);
  }

  private readonly onOversizeLine = (line: number, offset: number, bytes: number): void => {
    this.skip({ file: this.file, line, offset: offset + this.bias }, `line of ${bytes} bytes is longer than the ${this.maxRecordBytes}-byte limit, not read`);
  };

  private readonly onDocument = (json: string, line: number, offset: number, inTopArray: boolean): void => {
    this.parseJson(json, inTopArray ? 'json-array' : 'k8s-json', { file: this.file, line, offset: offset + this.bias }, false, json.length);
  };

  private readonly onScanProblem = (line: number, offset: number, reason: string): void => {
    this.skip({ file: this.file, line, offset: offset + this.bias }, reason);
  };
}

/**
 * Firehose writes CloudWatch subscription records back to back with no separator (`{…}{…}`), so a
 * gzipped S3 object is one long "line". Null unless the text is exactly a run of whole JSON values.
 */
function splitConcatenatedJson(text: string): unknown[] | null {
  const pieces: string[] = [];
  let broken = false;
  const scanner = new JsonDocumentScanner((piece) => pieces.push(piece), () => (broken = true), Number.MAX_SAFE_INTEGER);
  scanner.push(Buffer.from(text, 'utf8'));
  scanner.end();
  if (broken || pieces.length < 2) return null;
  try {
    return pieces.map((piece) => JSON.parse(piece) as unknown);
  } catch {
    return null;
  }
}

function unparsableReason(json: string, error: Error, final: boolean, lineBytes: number): string {
  if (json.endsWith(CLOUDWATCH_TRUNCATION)) return 'truncated by CloudWatch ("[Truncated...]" suffix), not valid JSON';
  if (final) return 'incomplete last line (the file may still be being written)';
  if (lineBytes === SIXTEEN_KIB) return 'line cut at 16 KiB, not valid JSON';
  return `not JSON: ${error.message}`;
}

/**
 * Pretty-printed documents start with `[`, or with a `{` line that does not close (`{`, `{"items": [`,
 * a line ending in `,`). Anything else is read line by line. Null: not enough bytes to tell yet.
 */
export function sniffFraming(head: Buffer, complete: boolean): Framing | null {
  let i = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  if (i >= head.length) return complete ? 'empty' : null;
  if (head[i] === 91 /* [ */) return 'documents';
  if (head[i] !== 123 /* { */) return 'lines';
  const newline = head.indexOf(10, i);
  // No newline in the first 64 KiB but objects back to back: a Firehose object, read as a stream of documents.
  if (newline < 0) return complete ? (head.includes('}{', i) ? 'documents' : 'lines') : null;
  let end = newline;
  while (end > i && (head[end - 1] === 32 || head[end - 1] === 13 || head[end - 1] === 9)) end--;
  const last = head[end - 1];
  return last === 123 || last === 91 || last === 44 || last === 58 ? 'documents' : 'lines';
}
