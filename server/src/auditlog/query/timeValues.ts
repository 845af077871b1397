import { parseTimestampMs } from '../timestamp';
import { QuerySyntaxError, type ValuePattern } from './ast';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `15m`, `1.5h`, `2d`; a bare number uses `defaultUnit`. */
export function parseDuration(value: ValuePattern, defaultUnit?: string): number {
  const text = value.parts.join('*');
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)?$/.exec(text);
  const unit = match?.[2] ?? defaultUnit;
  if (!match || unit === undefined) {
    throw new QuerySyntaxError(`"${text}" is not a duration (examples: 90s, 15m, 2h, 7d)`, value.offset, value.source.length);
  }
  return Number(match[1]) * UNIT_MS[unit]!;
}

/**
 * A date or date-time, UTC unless a zone is given: 2026-02-22, 2026-02-22T10:00Z,
 * 2026-02-22T10:00:05.250+01:00, or epoch milliseconds.
 */
export function parseInstant(value: ValuePattern): number {
  const text = value.parts.join('*');
  if (/^\d{10,}$/.test(text)) return Number(text);
  const match = /^(\d{4}-\d\d-\d\d)(?:[T ](\d\d:\d\d)(:\d\d(?:\.\d+)?)?)?(Z|[+-]\d\d:\d\d)?$/.exec(text);
  const ms = match ? parseTimestampMs(`${match[1]}T${match[2] ?? '00:00'}${match[3] ?? ':00'}${match[4] ?? 'Z'}`) : NaN;
  if (Number.isNaN(ms)) {
    throw new QuerySyntaxError(`"${text}" is not a date (examples: 2026-02-22, 2026-02-22T10:00Z)`, value.offset, value.source.length);
  }
  return ms;
}
