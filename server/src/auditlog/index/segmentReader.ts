import { createReadStream } from 'node:fs';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { compileDetectors, type DetectorSelection } from '../detectors';
import type { NormalizedEvent } from '../normalizedEvent';
import { AuditStreamParser, type Framing, type SkippedRecord } from '../reader/auditStreamParser';
import type { SourceFormat } from '../normalizedEvent';
import { RequestGrouper } from '../requests';
import { RowEncoder, type RowBatch } from './rowBatch';
import { rowDetectors } from './rowDetectors';

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
}

const CHUNK_BYTES = 1024 * 1024;
const FLUSH_MS = 100;
const FIRST_ROWS_PIECE = 64 * 1024;

/**
 * Streams one segment through the same parser, request grouper and detector engine as the streaming
 * path, and encodes every request as a row. Requests still open at the end of the segment are flagged
 * incomplete: their remaining stages may be in the next segment, and the index merges them by auditID.
 */
export async function readSegment(job: SegmentJob, onBatch: (batch: RowBatch) => void, onProgress: (bytesRead: number) => void): Promise<SegmentSummary> {
  const detectors = compileDetectors(job.detectors);
  const positions = new Map(job.detectorIds.map((id, i) => [id, i]));
  const encoder = new RowEncoder(job.segment);
  encoder.decide = rowDetectors(detectors, positions, encoder);
  let finishing = false;
  const grouper = new RequestGrouper((request) => encoder.add(request, finishing));
  const base = job.gzip ? 0 : job.start;
  let lastEventOffset = -1;
  const parser = new AuditStreamParser(
    (event: NormalizedEvent) => {
      event.offset += base;
      if (event.offset > lastEventOffset) lastEventOffset = event.offset;
      grouper.add(event);
    },
    { file: job.file, atFileStart: job.start === 0, ...(job.maxSkippedDetails !== undefined ? { maxSkippedDetails: job.maxSkippedDetails } : {}) },
  );

  // An empty range (an empty file) reads nothing; createReadStream cannot express it (end is inclusive).
  const empty = job.end !== null && !job.gzip && job.end <= job.start;
  const raw = empty ? Readable.from([]) : createReadStream(job.path, { highWaterMark: CHUNK_BYTES, start: job.start, ...(job.end !== null && !job.gzip ? { end: job.end - 1 } : {}) });
  let bytesRead = 0;
  raw.on('data', (chunk: Buffer | string) => {
    bytesRead += chunk.length;
  });
  let source: Readable = raw;
  if (job.gzip) {
    const output = new PassThrough({ highWaterMark: CHUNK_BYTES });
    pipeline(raw, createGunzip(), output, () => undefined);
    source = output;
  }

  let streamed = 0;
  let newlines = 0;
  let lastNewline = -1;
  let lastFlush = 0;
  let sentRows = false;
  const flush = () => {
    const batch = encoder.flush();
    if (batch) onBatch(batch);
    lastFlush = Date.now();
  };
  try {
    for await (const data of source) {
      const chunk = data as Buffer;
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
        newlines++;
        lastNewline = streamed + i;
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
      onProgress(bytesRead);
      if (encoder.rows >= (job.batchRows ?? 8192) || (encoder.rows > 0 && Date.now() - lastFlush >= FLUSH_MS)) flush();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!job.gzip || (typeof code === 'string' && !code.startsWith('Z_'))) throw error;
    parser.reportGzipDamage(error as Error);
  }
  const summary = parser.end();
  finishing = true;
  grouper.finish();
  flush();
  onProgress(bytesRead);

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
  };
}
