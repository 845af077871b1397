import { compileDetectors, type DetectorSelection } from '../detectors';
import type { NormalizedEvent } from '../normalizedEvent';
import { AuditStreamParser, type Framing, type SkippedRecord } from '../reader/auditStreamParser';
import type { SourceFormat } from '../normalizedEvent';
import { RequestGrouper } from '../requests';
import { FieldScanner } from '../reader/fieldScanner';
import { LocalDictionaries, ScannerDictionaries } from './columnDictionaries';
import { RowEncoder, type RowBatch } from './rowBatch';
import { ScannedRequests } from './scannedRequests';
import { segmentSource } from './segmentSource';
import { rowDetectors } from '../detectors/onIndex/rowDetectors';

/** One stretch of one file to index: a whole file, or a byte range of a plain JSON-lines file. */
export interface SegmentJob {
  path: string;
  /** Index of the file in the index's file list (stored in events and skips). */
  file: number;
  segment: number;
  /** First byte to read; always at a line start. 0 for gzip (a gzip stream cannot be entered midway). */
  start: number;
  /** Byte after the last one to read; null: to the end of the file. */
  end: number | null;
  gzip: boolean;
  /** Size of the file on disk (compressed for gzip). */
  fileBytes: number;
  detectors: DetectorSelection;
  /** Detector ids in the order the index numbers them. */
  detectorIds: readonly string[];
  /** Rows per batch handed over; smaller batches show first rows sooner. */
  batchRows?: number;
  maxSkippedDetails?: number;
  /** Read JSON lines with the WebAssembly field scanner (default true); false: JSON.parse every line. */
  fieldScanner?: boolean;
  /** Bytes the field scanner reads at once (default 1 MiB). */
  fieldScannerInputBytes?: number;
}

export interface SegmentSummary {
  segment: number;
  framing: Framing;
  formats: Partial<Record<SourceFormat, number>>;
  events: number;
  skippedCount: number;
  damagedCount: number;
  /** Lines are relative to the segment (1 = its first line); offsets are absolute. */
  skipped: SkippedRecord[];
  /** Newlines read: the line number base of the segment that follows. */
  newlines: number;
  /** Absolute offset (in the decompressed stream for gzip) just after the last newline. */
  consumedTo: number;
  /** Bytes after the last newline (an unterminated last line), and whether it gave rows. */
  tail: { offset: number; length: number; indexed: boolean } | null;
  /** Bytes of the file read (compressed bytes for gzip). */
  bytesRead: number;
  /** Lines the field scanner read, and lines that took the JSON.parse path (absent without the scanner). */
  lines?: { scanned: number; fallback: number };
}

const CHUNK_BYTES = 1024 * 1024;
const FLUSH_MS = 100;
const FIRST_ROWS_PIECE = 64 * 1024;

/**
 * Streams one segment through the same parser, request grouper and detector engine as the streaming
 * path, and encodes every request as a row. Requests still open at the end of the segment are flagged
 * incomplete: their remaining stages may be in the next segment, and the index merges them by auditID.
 */
export async function readSegment(
  job: SegmentJob,
  onBatch: (batch: RowBatch) => void,
  onProgress: (bytesRead: number) => void,
  /** Resolves when the batches handed over so far are few enough to read on (the worker's backpressure). */
  ready: () => Promise<void> | null = () => null,
): Promise<SegmentSummary> {
  const detectors = compileDetectors(job.detectors);
  const positions = new Map(job.detectorIds.map((id, i) => [id, i]));
  const scanner = job.fieldScanner === false ? null : FieldScanner.create(job.fieldScannerInputBytes);
  const encoder = new RowEncoder(job.segment, scanner ? new ScannerDictionaries(scanner) : new LocalDictionaries());
  encoder.decide = rowDetectors(detectors, positions, encoder);
  let finishing = false;
  // Stages are grouped into requests by the field scanner (events JSON.parse read join it), or here.
  const scanned = scanner ? new ScannedRequests(scanner, encoder, job.file) : null;
  const grouper = scanned ? null : new RequestGrouper((request) => encoder.add(request, finishing));
  const base = job.gzip ? 0 : job.start;
  let lastEventOffset = -1;
  const parser = new AuditStreamParser(
    (event: NormalizedEvent) => {
      event.offset += base;
      if (event.offset > lastEventOffset) lastEventOffset = event.offset;
      if (scanned) scanned.addEvent(event);
      else grouper!.add(event);
    },
    {
      file: job.file,
      atFileStart: job.start === 0,
      ...(job.maxSkippedDetails !== undefined ? { maxSkippedDetails: job.maxSkippedDetails } : {}),
      ...(scanner && scanned ? { scan: { scanner, beforeScan: () => scanner.keepLines(), requests: { offsetBase: base, afterScan: () => scanned.takeRows() } } } : {}),
    },
  );

  const source = segmentSource(job.path, job.start, job.gzip ? null : job.end, job.gzip, CHUNK_BYTES);

  let streamed = 0;
  let newlines = 0;
  let lastNewline = -1;
  let lastFlush = 0;
  let sentRows = false;
  let flushedBytes = 0;
  const flush = () => {
    const batch = encoder.flush(source.bytesRead() - flushedBytes);
    if (batch) {
      flushedBytes += batch.readBytes;
      onBatch(batch);
    }
    lastFlush = Date.now();
  };
  try {
    for await (const chunk of source.chunks) {
      // Line breaks: counted here until the parser reads lines (it counts them then, see lineBreaks).
      if (parser.lineBreaks() === null) {
        for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
          newlines++;
          lastNewline = streamed + i;
        }
      }
      streamed += chunk.length;
      if (sentRows) parser.push(chunk);
      else {
        // Until the first rows are out, parse in small pieces: the viewer shows them while the rest of
        // the first chunk (parsed by still-cold code) follows.
        for (let at = 0; at < chunk.length; at += FIRST_ROWS_PIECE) {
          parser.push(chunk.subarray(at, at + FIRST_ROWS_PIECE));
          if (encoder.rows > 0 && !sentRows) {
            sentRows = true;
            flush();
          }
        }
      }
      onProgress(source.bytesRead());
      if (encoder.rows >= (job.batchRows ?? 8192) || (encoder.rows > 0 && Date.now() - lastFlush >= FLUSH_MS)) flush();
      const waiting = ready();
      if (waiting) await waiting;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!job.gzip || (typeof code === 'string' && !code.startsWith('Z_'))) throw error;
    parser.reportGzipDamage(error as Error);
  }
  const summary = parser.end();
  finishing = true;
  if (scanned) scanned.finish();
  else grouper!.finish();
  flush();
  const bytesRead = source.bytesRead();
  onProgress(bytesRead);
  const lineBreaks = parser.lineBreaks();
  if (lineBreaks) {
    newlines = lineBreaks.count;
    lastNewline = lineBreaks.last;
  }

  const consumedTo = base + lastNewline + 1;
  const tailLength = streamed - (lastNewline + 1);
  return {
    segment: job.segment,
    framing: summary.framing,
    formats: summary.formats,
    events: summary.events,
    skippedCount: summary.skippedCount,
    damagedCount: summary.damagedCount,
    skipped: summary.skipped.map((s) => ({ ...s, offset: s.offset >= 0 ? s.offset + base : s.offset })),
    newlines,
    consumedTo,
    tail: tailLength > 0 ? { offset: consumedTo, length: tailLength, indexed: lastEventOffset >= consumedTo } : null,
    bytesRead,
    ...(summary.lines ? { lines: summary.lines } : {}),
  };
}
