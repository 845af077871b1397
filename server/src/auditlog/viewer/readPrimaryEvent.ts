import type { IndexRow, LogIndex } from '../index';
import type { NormalizedEvent } from '../normalizedEvent';
import { parseAuditText, readAuditLog } from '../reader/readAuditLog';
import { readLineAt } from '../readRecord';

/**
 * The decoded Event of a row's primary stage, read again from disk (the index keeps no bodies).
 * Plain JSON-lines files are entered at the record's offset; gzip, pretty-printed and legacy-text
 * files are streamed from the start until the record (they cannot be entered midway).
 */
export async function readPrimaryEvent(index: LogIndex, row: IndexRow): Promise<Record<string, unknown> | undefined> {
  const file = index.files[row.file];
  if (!file) return undefined;
  const pick = (events: readonly NormalizedEvent[]) => events.find((e) => e.auditID === row.auditID && e.stage === row.stage) ?? events.find((e) => e.auditID === row.auditID);
  const randomAccess = !file.gzip && file.framing === 'lines' && !Object.keys(file.formats).some((format) => format.startsWith('legacy'));
  if (randomAccess) {
    const events: NormalizedEvent[] = [];
    parseAuditText(`${await readLineAt(file.path, row.offset)}\n`, (event) => events.push(event));
    return pick(events)?.event;
  }
  let found: NormalizedEvent | undefined;
  await readAuditLog(file.path, (event) => {
    if (!found && event.offset === row.offset && event.auditID === row.auditID && (event.stage === row.stage || !row.stage)) found = event;
  });
  return found?.event;
}
