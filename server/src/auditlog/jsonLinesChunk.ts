import { open } from 'node:fs/promises';
import { rowFromEvent, type AuditRow, type SkippedLine } from './event';

/** Rows read from one stretch of a JSON-lines audit log, and where the next read continues. */
export interface JsonLinesChunk {
  sizeBytes: number;
  rows: AuditRow[];
  skipped: SkippedLine[];
  /** True when the chunk reached the end of the file (rather than maxRows or maxBytes). */
  reachedEnd: boolean;
  /** Byte offset just after the last line consumed: where to continue (for example when the file grows). */
  endOffset: number;
  /** 1-based number the next line will have. */
  nextLine: number;
  /**
   * An unterminated last line that is not (yet) valid JSON: a file still being written. It is left
   * unconsumed, so that reading again after the file grows picks it up whole.
   */
  pendingLine?: number;
}

export interface ChunkOptions {
  fromOffset?: number;
  firstLine?: number;
  maxRows: number;
  maxBytes: number;
}

/**
 * Reads JSON-lines audit events from `fromOffset`: at most `maxRows` events and `maxBytes` bytes, so
 * opening a multi-gigabyte log costs the same as opening a small one. Every row knows the byte offset
 * of its line, to re-read the whole event on demand. Lines that are not JSON are skipped and reported.
 */
export async function readJsonLinesChunk(path: string, options: ChunkOptions): Promise<JsonLinesChunk> {
  const fromOffset = options.fromOffset ?? 0;
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, Math.min(size - fromOffset, options.maxBytes)));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, fromOffset);
    const reachedEnd = fromOffset + bytesRead >= size;
    const rows: AuditRow[] = [];
    const skipped: SkippedLine[] = [];
    let lineNumber = options.firstLine ?? 1;
    let start = fromOffset === 0 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    let pendingLine: number | undefined;
    while (start < bytesRead && rows.length < options.maxRows) {
      let end = buffer.indexOf(10, start);
      const terminated = end >= 0;
      // Without the end of the file, the last line may be cut in the middle: leave it for later.
      if (!terminated && !reachedEnd) break;
      if (!terminated) end = bytesRead;
      const line = buffer.toString('utf8', start, end).trim();
      if (line !== '') {
        try {
          rows.push(rowFromEvent(JSON.parse(line), lineNumber, fromOffset + start));
        } catch (error) {
          if (!terminated) {
            pendingLine = lineNumber;
            break;
          }
          skipped.push({ line: lineNumber, reason: `not JSON: ${(error as Error).message}` });
        }
      }
      lineNumber++;
      start = terminated ? end + 1 : end;
    }
    const result: JsonLinesChunk = { sizeBytes: size, rows, skipped, reachedEnd: (reachedEnd && start >= bytesRead) || pendingLine !== undefined, endOffset: fromOffset + start, nextLine: lineNumber };
    if (pendingLine !== undefined) result.pendingLine = pendingLine;
    return result;
  } finally {
    await handle.close();
  }
}
