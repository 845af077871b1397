// Audit timestamps are RFC 3339 with micro- or nanoseconds ("2026-02-22T10:00:00.123456Z"). Millions
// of them share the same second, so the date part is parsed once per distinct second and cached.

let cachedPrefix = '';
let cachedMs = NaN;

function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    value = value * 10 + d;
  }
  return value;
}

/** Epoch milliseconds of an RFC 3339 timestamp (fraction and zone optional); NaN if unreadable. */
export function parseTimestampMs(s: string): number {
  // Strict on purpose: Date.parse guesses (local time for "2026-02-22 10:00"), and the jq translation
  // of time filters must agree with this parser on every input.
  const separator = s.charCodeAt(10);
  if (s.length < 19 || s.charCodeAt(4) !== 45 /* - */ || (separator !== 84 /* T */ && separator !== 32)) return NaN;
  const prefix = s.slice(0, 19);
  let base: number;
  if (prefix === cachedPrefix) {
    base = cachedMs;
  } else {
    if (s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
    const [month, day, hour, minute, second] = [digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2), digits(s, 17, 2)];
    // The ranges strptime accepts (jq's fromdateiso8601), so both reject the same nonsense.
    const valid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
    base = valid ? Date.UTC(digits(s, 0, 4), month - 1, day, hour, minute, second) : NaN;
    cachedPrefix = prefix;
    cachedMs = base;
  }
  let i = 19;
  let fraction = 0;
  if (s.charCodeAt(i) === 46 /* . */) {
    i++;
    let scale = 100;
    while (i < s.length) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      fraction += d * scale;
      scale /= 10;
      i++;
    }
  }
  let zone = 0;
  if (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 43 /* + */ || c === 45 /* - */) {
      const minutes = digits(s, i + 1, 2) * 60 + digits(s, i + 4, 2);
      zone = (c === 43 ? -1 : 1) * minutes * 60_000;
      if (i + 6 !== s.length || s.charCodeAt(i + 3) !== 58 /* : */) return NaN;
    } else if (c !== 90 /* Z */ || i + 1 !== s.length) {
      return NaN;
    }
  }
  return base + Math.floor(fraction) + zone;
}
