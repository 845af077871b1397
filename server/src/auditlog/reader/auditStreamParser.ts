import { CLOUDWATCH_TRUNCATION } from '../formats/embeddedJson';
import { LEGACY_MARKER, LegacyTextConverter } from '../formats/legacyText';
import type { RecordSink } from '../formats/recordSink';
import { unwrapRecord } from '../formats/unwrapRecord';
import { normalizeEvent, type NormalizedEvent, type RecordLocation, type SourceFormat } from '../normalizedEvent';
import { type FieldScanner, R_LINE_END, R_LINE_START } from './fieldScanner';
import { JsonDocumentScanner } from './jsonDocumentScanner';
import { LineSplitter } from './lineSplitter';
import { binaryDataReason, firstControlByte, notTextFile } from './notText';
import { scannedEvent } from './scannedEvent';
import { ScanningLineSplitter } from './scanningLineSplitter';
import type { DamageKind } from '../../protocol/vocabulary';

/** A record that could not be read as an audit event, and why. Never fatal. */
export interface SkippedRecord {
  file: number;
  /** 1-based line where the record starts. */
  line: number;
  offset: number;
  reason: string;
  /** Set when the bytes were damaged or not text (not just an odd record): results are partial. */
  damage?: DamageKind;
}

export type { DamageKind };

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
  /** Of `skippedCount`, the records lost to damage (those with `damage`, whether kept in `skipped` or only counted). */
  damagedCount: number;
  /**
   * Some bytes were not a log at all: binary data, or a gzip stream that broke off (then the rest of
   * the file is missing). Unlike an odd record, this means the results are partial.
   */
  damaged: boolean;
  /** With a field scanner: lines it read, and lines that took the JSON.parse path. */
  lines?: { scanned: number; fallback: number };
}

/** How to read JSON lines with the WebAssembly field scanner. */
export interface ScanOptions {
  scanner: FieldScanner;
  /** Called before the scanner reuses its buffers (ScannedEvents of earlier scans are gone then). */
  beforeScan: () => void;
  /**
   * The log index's mode: the scanner groups the Event lines it reads into requests itself (take
   * them with scanner.takeRows, after each scan and after each event the parser hands over, which
   * must go to the scanner too); no event is made for those lines.
   */
  requests?: { offsetBase: number; afterScan: () => void };
}

export interface ParseOptions {
  /** Index of this file in the caller's file list; stored in every event and skip. */
  file?: number;
  /** A longer line or document is skipped (and reported) without being held in memory. */
  maxRecordBytes?: number;
  /** How many skipped records keep their details; the rest are only counted. */
  maxSkippedDetails?: number;
  /**
   * False when the bytes start somewhere inside a file (a later segment, appended data): the start
   * of a file can show the whole file is not text, the middle only that one line is not.
   */
  atFileStart?: boolean;
  /**
   * The framing, when the caller knows it (a later part of a file already sniffed at its start):
   * not sniffed from these bytes then.
   */
  framing?: Framing;
  /**
   * Read JSON lines with the field scanner: a line it reads becomes a ScannedEvent without JSON.parse;
   * any line it is not sure of takes the JSON.parse path as without it.
   */
  scan?: ScanOptions;
}

const DEFAULT_MAX_RECORD = 64 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;
const SIXTEEN_KIB = 16 * 1024;
const INCOMPLETE_LAST_LINE = 'incomplete last line (the file may still be being written)';

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
  private readonly atFileStart: boolean;
  private readonly summary: ParseSummary = { framing: 'empty', formats: {}, events: 0, skippedCount: 0, skipped: [], damagedCount: 0, damaged: false };
  /** The whole input was found not to be text: the rest is ignored. */
  private ignoring = false;
  /** The stream broke off: the unfinished record at the end is part of that damage, not a separate skip. */
  private brokenOff = false;
  private sniffed: Buffer[] | null = [];
  private sniffedBytes = 0;
  private bias = 0;
  private splitter: LineSplitter | ScanningLineSplitter | null = null;
  private readonly scan: ScanOptions | null;
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
    this.atFileStart = options.atFileStart ?? true;
    this.scan = options.scan ?? null;
    if (options.framing !== undefined) {
      this.sniffed = null;
      this.start(options.framing, Buffer.alloc(0));
    }
  }

  /** Reads a chunk; keeps no reference to it after returning (the caller may reuse its buffer). */
  push(chunk: Buffer): void {
    if (this.sniffed === null) {
      this.feed(chunk);
      return;
    }
    this.sniffed.push(Buffer.from(chunk));
    this.sniffedBytes += chunk.length;
    const head = this.sniffed.length === 1 ? chunk : Buffer.concat(this.sniffed);
    const framing = sniffFraming(head, this.sniffedBytes >= SNIFF_BYTES);
    if (framing !== null) this.start(framing, head);
  }

  /**
   * Line breaks read so far and the stream offset of the last one (-1: none), when the bytes are read
   * line by line (null for documents, or before the framing is known).
   */
  lineBreaks(): { count: number; last: number } | null {
    const splitter = this.splitter;
    if (splitter === null) return null;
    const count = splitter.currentLine - 1;
    return { count, last: count === 0 ? -1 : splitter.currentLineOffset - 1 + this.bias };
  }

  /**
   * The gzip stream broke off (`error` from zlib): reported once, at the line being read, and the
   * unfinished record there is not reported again as an incomplete line.
   */
  reportGzipDamage(error: Error): void {
    // Kept even past maxSkippedDetails: it explains why the rest of the file is missing.
    this.summary.skippedCount++;
    this.summary.damagedCount++;
    this.summary.damaged = true;
    this.brokenOff = true;
    const reason = `gzip data damaged (${error.message}): nothing after this point was read`;
    // zlib says Z_BUF_ERROR when the input stops inside the stream (a file cut short), Z_DATA_ERROR for bytes that are wrong.
    const damage = (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' ? 'gzip-ends-early' : 'gzip-corrupt';
    this.summary.skipped.push({ file: this.file, line: this.splitter?.currentLine ?? 1, offset: -1, reason, damage });
  }

  end(): ParseSummary {
    if (this.sniffed !== null) {
      const head = Buffer.concat(this.sniffed);
      this.start(sniffFraming(head, true) ?? 'empty', head);
    }
    this.splitter?.end();
    this.scanner?.end();
    if (this.splitter instanceof ScanningLineSplitter) this.summary.lines = { scanned: this.splitter.scannedLines, fallback: this.splitter.fallbackLines };
    return this.summary;
  }

  event(event: Record<string, unknown>, format: SourceFormat, at: RecordLocation): void {
    this.summary.events++;
    this.summary.formats[format] = (this.summary.formats[format] ?? 0) + 1;
    const normalized = normalizeEvent(event, format, at);
    if (event === this.lineValue || format === 'legacy-text') normalized.recordBytes = this.lineBytes;
    this.onEvent(normalized);
  }

  skip(at: RecordLocation, reason: string, damage?: DamageKind): void {
    this.summary.skippedCount++;
    if (damage) {
      this.summary.damaged = true;
      this.summary.damagedCount++;
    }
    if (this.summary.skipped.length < this.maxSkippedDetails) this.summary.skipped.push({ file: at.file, line: at.line, offset: at.offset, reason, ...(damage ? { damage } : {}) });
  }

  private start(framing: Framing, head: Buffer): void {
    this.sniffed = null;
    this.summary.framing = framing;
    if (framing === 'empty') return;
    const notText = this.atFileStart ? notTextFile(head) : null;
    if (notText !== null) {
      this.ignoring = true;
      this.skip({ file: this.file, line: 1, offset: 0 }, notText, 'not-text');
      return;
    }
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.bias = 3;
      head = head.subarray(3);
    }
    if (framing === 'lines') {
      const scan = this.scan;
      const grouping = scan?.requests ? { offsetBase: scan.requests.offsetBase + this.bias, afterScan: scan.requests.afterScan } : null;
      this.splitter = scan
        ? new ScanningLineSplitter(scan.scanner, grouping ? this.countScannedLine : this.onScannedLine, this.onLine, this.onOversizeLine, this.maxRecordBytes, scan.beforeScan, grouping)
        : new LineSplitter(this.onLine, this.onOversizeLine, this.maxRecordBytes);
    } else {
      this.scanner = new JsonDocumentScanner(this.onDocument, this.onScanProblem, this.maxRecordBytes);
    }
    this.feed(head);
  }

  private feed(chunk: Buffer): void {
    if (this.ignoring) return;
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
      const json = bytes.toString('utf8', i, end);
      const error = this.parseJson(json, 'k8s-json', at, true);
      if (error) this.skipLine(bytes, start, end, at, final, unparsableReason(json, error, final, end - start));
      return;
    }
    if (first >= 48 && first <= 57) {
      const line = bytes.toString('utf8', i, end);
      if (line.includes(LEGACY_MARKER)) {
        this.legacy.convert(line, at, this);
        return;
      }
      // Logs Insights CSV export: <@timestamp>,"<@message with "" for ">"; `aws logs tail`: "<timestamp> <log stream> <Event JSON>".
      const csv = line.indexOf(',"{');
      const tail = line.indexOf(' {');
      const embedded: [string, SourceFormat] | null =
        csv > 0 && line.endsWith('"') ? [line.slice(csv + 2, -1).replace(/""/g, '"'), 'eks-insights-csv'] : tail > 0 ? [line.slice(tail + 1), 'eks-tail'] : null;
      if (embedded) {
        const error = this.parseJson(embedded[0], embedded[1], at);
        if (error) this.skipLine(bytes, start, end, at, final, unparsableReason(embedded[0], error, final, end - start));
        return;
      }
    }
    // The header of a Logs Insights CSV export.
    if (first === 64 /* @ */ && bytes.toString('utf8', i, Math.min(end, i + 11)) === '@timestamp,') return;
    this.skipLine(bytes, start, end, at, final, final ? INCOMPLETE_LAST_LINE : 'not JSON and not a known audit text format');
  };

  /** A line the field scanner read and grouped itself (the log index's mode): only counted. */
  private readonly countScannedLine = (): void => {
    this.summary.events++;
    this.summary.formats['k8s-json'] = (this.summary.formats['k8s-json'] ?? 0) + 1;
  };

  /** A line the field scanner read: the event normalizeEvent would have made of it, without decoding it. */
  private readonly onScannedLine = (record: number, line: number, offset: number): void => {
    const scanner = this.scan!.scanner;
    const event = scannedEvent(scanner, record, scanner.input + scanner.words[record + R_LINE_START]!, scanner.input + scanner.words[record + R_LINE_END]!, this.file, line, offset + this.bias);
    this.summary.events++;
    this.summary.formats['k8s-json'] = (this.summary.formats['k8s-json'] ?? 0) + 1;
    this.onEvent(event);
  };

  /**
   * A line that could not be read. Checked for binary bytes only here, so good lines cost nothing;
   * after a gzip stream broke off, its unfinished last line is part of that one report.
   */
  private skipLine(bytes: Buffer, start: number, end: number, at: RecordLocation, final: boolean, reason: string): void {
    const control = firstControlByte(bytes, start, end);
    if (control >= 0) this.skip(at, binaryDataReason(bytes[control]!, at.offset + (control - start)), 'binary-line');
    else if (!(final && this.brokenOff)) this.skip(at, reason);
  }

  /** Hands the record(s) in `json` over; the parse error when it is not JSON. */
  private parseJson(json: string, format: SourceFormat, at: RecordLocation, wholeLine = false): Error | null {
    let value: unknown;
    try {
      value = JSON.parse(json);
      if (wholeLine) this.lineValue = value;
    } catch (error) {
      const values = json.includes('}{') ? splitConcatenatedJson(json) : null;
      if (values === null) return error as Error;
      for (const item of values) unwrapRecord(item, format, at, this);
      return null;
    }
    unwrapRecord(value, format, at, this);
    return null;
  }

  private readonly onOversizeLine = (line: number, offset: number, bytes: number): void => {
    this.skip({ file: this.file, line, offset: offset + this.bias }, `line of ${bytes} bytes is longer than the ${this.maxRecordBytes}-byte limit, not read`);
  };

  private readonly onDocument = (json: string, line: number, offset: number, inTopArray: boolean): void => {
    const at = { file: this.file, line, offset: offset + this.bias };
    const error = this.parseJson(json, inTopArray ? 'json-array' : 'k8s-json', at);
    if (error) this.skip(at, unparsableReason(json, error, false, json.length));
  };

  private readonly onScanProblem = (line: number, offset: number, reason: string, atEnd: boolean): void => {
    // The document a broken gzip stream cut off is part of that one report.
    if (atEnd && this.brokenOff) return;
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
  if (final) return INCOMPLETE_LAST_LINE;
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
