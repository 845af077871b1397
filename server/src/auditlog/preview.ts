import { open } from 'node:fs/promises';
import { rowFromEvent, type AuditRow, type SkippedLine } from './event';

export interface LogPreview {
  sizeBytes: number;
  rows: AuditRow[];
  skipped: SkippedLine[];
  /** False when the preview stopped at maxRows or maxBytes before the end of the file. */
  complete: boolean;
}

const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;

/**
 * Reads the head of a JSON-lines audit log: the first `maxRows` events, never more than `maxBytes`
 * of the file, so opening a multi-gigabyte log costs the same as opening a small one.
 */
export async function previewJsonLines(path: string, maxRows: number, maxBytes = DEFAULT_MAX_BYTES): Promise<LogPreview> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const reachedEnd = bytesRead >= size;
    const rows: AuditRow[] = [];
    const skipped: SkippedLine[] = [];
    const bom = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    let lineNumber = 0;
    // Walk the bytes so that every row knows the byte offset of its line (to re-read it on demand).
    for (let start = bom; start < bytesRead; ) {
      let end = buffer.indexOf(10, start);
      // Without the end of the file, the last line may be cut in the middle: leave it for later.
      if (end < 0 || end >= bytesRead) {
        if (!reachedEnd) break;
        end = bytesRead;
      }
      lineNumber++;
      if (rows.length >= maxRows) return { sizeBytes: size, rows, skipped, complete: false };
      const line = buffer.toString('utf8', start, end).trim();
      if (line !== '') {
        try {
          rows.push(rowFromEvent(JSON.parse(line), lineNumber, start));
        } catch (error) {
          skipped.push({ line: lineNumber, reason: `not JSON: ${(error as Error).message}` });
        }
      }
      start = end + 1;
    }
    return { sizeBytes: size, rows, skipped, complete: reachedEnd };
  } finally {
    await handle.close();
  }
}
