// Timestamps in the form kube-apiserver writes (RFC 3339, UTC, "Z", up to nanoseconds), computed as
// timestamp.ts parseTimestampMs computes them. Any other form is NOT_SURE: the line falls back.

import { isDigit } from './json';

export const NOT_SURE: f64 = -Infinity;

function digitsAt(p: usize, count: usize): i32 {
  let value = 0;
  for (let i: usize = 0; i < count; i++) {
    const d = <u32>load<u8>(p + i) - 0x30;
    if (d >= 10) return -1;
    value = value * 10 + <i32>d;
  }
  return value;
}

function daysFromCivil(year: i32, month: i32, day: i32): i64 {
  const y = month <= 2 ? year - 1 : year;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  // Linear in the day, so day 31 of a short month rolls over as Date.UTC rolls it.
  const doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return <i64>era * 146097 + <i64>doe - 719468;
}

// Millions of timestamps share their second: the date and time part is computed once per second.
let cachedHead: u64 = 0;
let cachedMiddle: u64 = 0;
let cachedTail: u32 = 0;
let cachedBase: f64 = NaN;

/** Epoch ms of the `n`-byte timestamp at p (raw, unescaped): NaN when empty or out of range (as parseTimestampMs), else NOT_SURE for another form. */
export function timestampMs(p: usize, n: usize): f64 {
  if (n == 0) return NaN;
  if (n < 20) return NOT_SURE;
  const head = load<u64>(p);
  const middle = load<u64>(p + 8);
  const tail = load<u32>(p + 15);
  let base: f64;
  if (head == cachedHead && middle == cachedMiddle && tail == cachedTail) base = cachedBase;
  else {
    base = secondsBase(p);
    if (base == NOT_SURE) return NOT_SURE;
    cachedHead = head;
    cachedMiddle = middle;
    cachedTail = tail;
    cachedBase = base;
  }
  let i: usize = 19;
  let millis = 0;
  if (load<u8>(p + i) == 0x2e) {
    i++;
    let digits = 0;
    while (i < n && isDigit(<u32>load<u8>(p + i))) {
      if (digits < 3) millis = millis * 10 + <i32>(load<u8>(p + i) - 0x30);
      digits++;
      i++;
    }
    // More digits might add up (in floating point) differently from JavaScript's sum: not sure.
    if (digits > 9) return NOT_SURE;
    for (; digits < 3; digits++) millis *= 10;
  }
  if (i + 1 != n || load<u8>(p + i) != 0x5a) return NOT_SURE;
  return base + <f64>millis;
}

/** Epoch ms of "YYYY-MM-DDTHH:MM:SS" at p (NaN out of range, as parseTimestampMs); NOT_SURE for other forms. */
function secondsBase(p: usize): f64 {
  if (load<u8>(p + 4) != 0x2d || load<u8>(p + 7) != 0x2d || load<u8>(p + 10) != 0x54 || load<u8>(p + 13) != 0x3a || load<u8>(p + 16) != 0x3a) return NOT_SURE;
  const year = digitsAt(p, 4);
  const month = digitsAt(p + 5, 2);
  const day = digitsAt(p + 8, 2);
  const hour = digitsAt(p + 11, 2);
  const minute = digitsAt(p + 14, 2);
  const second = digitsAt(p + 17, 2);
  // Years below 100 mean 19xx to Date.UTC: left to JavaScript.
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return NOT_SURE;
  const valid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60;
  if (!valid) return NaN;
  return <f64>daysFromCivil(year, month, day) * 86400000 + <f64>hour * 3600000 + <f64>minute * 60000 + <f64>second * 1000;
}
