import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { VIEWER_ROW_FIELDS, type ViewerExportResult, type ViewerRow } from '../../protocol/logViewer';
import type { DetectorDefinitions } from '../detectors';
import { readRow, visitPrimaryEvents, type LogIndex } from '../index';
import { viewerRow } from './viewerRow';

const CSV_COLUMNS = ['time', ...VIEWER_ROW_FIELDS, 'stages', 'detectors', 'line'] as const;
/**
 * Rows whose records are read again per pass when exporting JSON lines: read in file order, written
 * in the result's order. (A gzip or pretty-printed file is streamed once per pass.)
 */
const ROWS_PER_READ = 16_384;

/**
 * Writes the rows of a result to a file: CSV of the table's columns (from the index alone), or JSON
 * lines of each request's primary event as logged (re-read from the log; secrets are not redacted: an
 * export is the user's explicit copy of the data).
 */
export async function exportRows(index: LogIndex, rows: Uint32Array, format: 'jsonl' | 'csv', path: string, definitions: DetectorDefinitions): Promise<ViewerExportResult> {
  const bytes = await writeExport(path, async (write) => {
    if (format === 'csv') {
      await write(CSV_HEADER);
      for (let i = 0; i < rows.length; i++) await write(csvLine(viewerRow(readRow(index, rows[i]!), i, definitions)));
    } else {
      for (let from = 0; from < rows.length; from += ROWS_PER_READ) {
        const chunk = rows.subarray(from, from + ROWS_PER_READ);
        const events: (Record<string, unknown> | undefined)[] = new Array(chunk.length);
        await visitPrimaryEvents(index, chunk, (position, event) => (events[position] = event.event));
        for (const event of events) if (event) await write(`${JSON.stringify(event)}\n`);
      }
    }
  });
  return { rows: rows.length, bytes };
}

/** Writes a file with what `produce` writes (waiting while the disk is behind); returns the bytes written. */
export async function writeExport(path: string, produce: (write: (text: string) => Promise<void>) => Promise<void>): Promise<number> {
  const out = createWriteStream(path);
  let bytes = 0;
  try {
    await produce(async (text) => {
      bytes += Buffer.byteLength(text);
      if (!out.write(text)) await once(out, 'drain');
    });
  } finally {
    out.end();
    await once(out, 'close');
  }
  return bytes;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

/** A table row as a CSV line of the table's columns. */
export function csvLine(row: ViewerRow): string {
  return `${CSV_COLUMNS.map((column) => csvCell(column === 'detectors' ? row.detectors.join('; ') : row[column])).join(',')}\n`;
}

/** RFC 4180 quoting; a leading = + - @ is prefixed with ' so that spreadsheets do not run log content as formulas. */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
