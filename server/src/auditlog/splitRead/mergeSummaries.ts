import type { ParseSummary, SkippedRecord } from '../reader/auditStreamParser';
import type { FileReadSummary } from '../reader/readAuditLog';
import type { SourceFormat } from '../normalizedEvent';

/** Skipped records kept with details per file (AuditStreamParser's default). */
const MAX_SKIPPED_DETAILS = 1000;

/** One file's summary from its parts' (part-relative lines moved by `lineBases`), as a one-thread read reports it. */
export function mergeSummaries(path: string, bytes: number, parts: readonly ParseSummary[], lineBases: readonly number[]): FileReadSummary {
  const formats: Partial<Record<SourceFormat, number>> = {};
  const skipped: SkippedRecord[] = [];
  let lines: ParseSummary['lines'];
  parts.forEach((part, i) => {
    for (const [format, count] of Object.entries(part.formats) as [SourceFormat, number][]) formats[format] = (formats[format] ?? 0) + count;
    for (const skip of part.skipped) if (skipped.length < MAX_SKIPPED_DETAILS) skipped.push({ ...skip, line: skip.line + lineBases[i]! });
    if (part.lines) lines = { scanned: (lines?.scanned ?? 0) + part.lines.scanned, fallback: (lines?.fallback ?? 0) + part.lines.fallback };
  });
  return {
    path,
    bytes,
    gzip: false,
    framing: parts[0]!.framing,
    formats,
    events: parts.reduce((sum, part) => sum + part.events, 0),
    skippedCount: parts.reduce((sum, part) => sum + part.skippedCount, 0),
    skipped,
    damagedCount: parts.reduce((sum, part) => sum + part.damagedCount, 0),
    damaged: parts.some((part) => part.damaged),
    ...(lines ? { lines } : {}),
  };
}
