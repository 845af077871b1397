// JSON primitives of the field scanner: a validating, allocation-free reader over the bytes of one
// line, as strict as JSON.parse. A line break ends every token (the scanner puts one after the last
// byte of its input), so no function here ever steps over one: the reader cannot leave its line.

/** Where the reader is. */
export let pos: usize = 0;
/** The last string read: its raw content [sStart, sEnd), whether it had escapes or bytes >= 0x80. */
export let sStart: usize = 0;
export let sEnd: usize = 0;
export let sEscaped: bool = false;
export let sHigh: bool = false;
/** Set when an object or array ended with something other than its closing bracket. */
let memberError: bool = false;

const MAX_DEPTH = 256;

export function moveTo(at: usize): void {
  pos = at;
}

// @ts-ignore: decorator
@inline export function peek(): u32 {
  return <u32>load<u8>(pos);
}

/** JSON whitespace within a line (the line break is not skipped). */
export function skipSpace(): void {
  let c = peek();
  while (c == 0x20 || c == 0x09 || c == 0x0d) {
    pos++;
    c = peek();
  }
}

// @ts-ignore: decorator
@inline function isHex(c: u8): bool {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

// @ts-ignore: decorator
@inline export function isDigit(c: u32): bool {
  return c - 0x30 < 10;
}

/** Scans the JSON string at pos (on its opening quote); sets sStart/sEnd, sEscaped, sHigh. */
export function scanString(): bool {
  pos++;
  sStart = pos;
  let escaped = false;
  let high = 0;
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  const space = i8x16.splat(0x20);
  while (true) {
    // 16 bytes at a time: the next quote, backslash or control character (every buffer has padding).
    const v = v128.load(pos);
    const special = i8x16.bitmask(v128.or(v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)), i8x16.lt_u(v, space)));
    const top = i8x16.bitmask(v);
    if (special == 0) {
      high |= top;
      pos += 16;
      continue;
    }
    const at = ctz(special);
    high |= top & ((1 << at) - 1);
    pos += <usize>at;
    const c = peek();
    if (c == 0x22) {
      sEnd = pos;
      pos++;
      sEscaped = escaped;
      sHigh = high != 0;
      return true;
    }
    // A control character (the line break among them) cannot be in a JSON string.
    if (c != 0x5c) return false;
    escaped = true;
    const e = <u32>load<u8>(pos + 1);
    if (e == 0x75 /* u */) {
      if (!isHex(load<u8>(pos + 2)) || !isHex(load<u8>(pos + 3)) || !isHex(load<u8>(pos + 4)) || !isHex(load<u8>(pos + 5))) return false;
      pos += 6;
    } else if (e == 0x22 || e == 0x5c || e == 0x2f || e == 0x62 || e == 0x66 || e == 0x6e || e == 0x72 || e == 0x74) {
      pos += 2;
    } else {
      return false;
    }
  }
  return false;
}

export function skipNumber(): bool {
  if (peek() == 0x2d) pos++;
  let c = peek();
  if (c == 0x30) pos++;
  else if (c - 0x31 < 9) {
    pos++;
    while (isDigit(peek())) pos++;
  } else return false;
  if (peek() == 0x2e) {
    pos++;
    if (!isDigit(peek())) return false;
    while (isDigit(peek())) pos++;
  }
  c = peek();
  if (c == 0x65 || c == 0x45) {
    pos++;
    c = peek();
    if (c == 0x2b || c == 0x2d) pos++;
    if (!isDigit(peek())) return false;
    while (isDigit(peek())) pos++;
  }
  return true;
}

export function skipLiteral(): bool {
  const word = load<u32>(pos);
  if (word == 0x65757274 /* true */ || word == 0x6c6c756e /* null */) {
    pos += 4;
    return true;
  }
  if (word == 0x736c6166 /* fals */ && load<u8>(pos + 4) == 0x65) {
    pos += 5;
    return true;
  }
  return false;
}

/** Any JSON value, validated and skipped. */
export function skipValue(depth: i32): bool {
  const c = peek();
  if (c == 0x22) return scanString();
  if (c == 0x7b) return skipObject(depth + 1);
  if (c == 0x5b) return skipArray(depth + 1);
  if (c == 0x2d || isDigit(c)) return skipNumber();
  return skipLiteral();
}

function skipObject(depth: i32): bool {
  if (depth > MAX_DEPTH) return false;
  if (!openObject()) return true;
  do {
    if (peek() != 0x22 || !scanString() || !colon()) return false;
    if (!skipValue(depth)) return false;
  } while (nextMember());
  return !memberError;
}

function skipArray(depth: i32): bool {
  if (depth > MAX_DEPTH) return false;
  if (!openArray()) return true;
  do {
    if (!skipValue(depth)) return false;
  } while (nextElement());
  return !memberError;
}

function colon(): bool {
  skipSpace();
  if (peek() != 0x3a) return false;
  pos++;
  skipSpace();
  return true;
}

/**
 * The key of a member of an object whose keys matter (the Event, user, objectRef...), and its colon.
 * False for an escaped or non-ASCII key: JSON.parse would decode it, and it might then name a key we read.
 */
export function readKey(): bool {
  return peek() == 0x22 && scanString() && !sEscaped && !sHigh && colon();
}

/** Starts the object at pos: true when it has members (pos on the first key). */
export function openObject(): bool {
  return open(0x7d);
}

/** Starts the array at pos: true when it has elements (pos on the first). */
export function openArray(): bool {
  return open(0x5d);
}

function open(close: u32): bool {
  pos++;
  skipSpace();
  memberError = false;
  if (peek() == close) {
    pos++;
    return false;
  }
  return true;
}

/** After a member: true to read the next one; false at the end (check objectDone()). */
export function nextMember(): bool {
  return next(0x7d);
}

/** After an element: true to read the next one; false at the end (check objectDone()). */
export function nextElement(): bool {
  return next(0x5d);
}

function next(close: u32): bool {
  skipSpace();
  const c = peek();
  if (c == 0x2c) {
    pos++;
    skipSpace();
    return true;
  }
  memberError = c != close;
  if (!memberError) pos++;
  return false;
}

/** Whether the object or array just left ended with its closing bracket. */
export function objectDone(): bool {
  return !memberError;
}

// ---------------------------------------------------------------------------------------------
// Names compared with raw bytes, 8 bytes at a time: each stored once (storeNames) as its length
// and up to 32 bytes, zero-padded. The bytes compared are always followed by more readable bytes (a
// quote, the padding), so the last partial word is loaded whole and masked.

const NAMES: string[] = [
  // The Event's keys (their index is the eventFields.ts K_ constant).
  'kind', 'apiVersion', 'level', 'auditID', 'stage', 'requestURI', 'verb', 'user', 'impersonatedUser', 'sourceIPs',
  'userAgent', 'objectRef', 'responseStatus', 'requestObject', 'responseObject', 'requestReceivedTimestamp',
  'stageTimestamp', 'annotations', 'metadata', 'timestamp',
  // user
  'username', 'groups',
  // objectRef
  'resource', 'namespace', 'name', 'apiGroup', 'subresource',
  // responseStatus
  'code',
  // annotations
  'authorization.k8s.io/decision', 'authorization.k8s.io/reason',
  // values
  'ResponseComplete', 'RequestReceived', 'ResponseStarted', 'Panic', 'EventList',
];
export const N_EVENT_KEYS = 0;
export const N_METADATA = 18;
export const N_USERNAME = 20;
export const N_GROUPS = 21;
export const N_RESOURCE = 22;
export const N_SUBRESOURCE = 26;
export const N_NAME = 24;
export const N_CODE = 27;
export const N_DECISION = 28;
export const N_REASON = 29;
export const N_RESPONSE_COMPLETE = 30;
export const N_REQUEST_RECEIVED = 31;
export const N_RESPONSE_STARTED = 32;
export const N_PANIC = 33;
export const N_EVENT_LIST = 34;
const NAME_BYTES: usize = 40;
const names: usize = memory.data(35 * 40, 8);

export function storeNames(): void {
  for (let k = 0; k < NAMES.length; k++) {
    const name = NAMES[k];
    const at = names + <usize>k * NAME_BYTES;
    store<u32>(at, <u32>name.length);
    for (let i = 0; i < name.length; i++) store<u8>(at + 8 + <usize>i, <u8>name.charCodeAt(i));
  }
}

/** Whether the n bytes at p are NAMES[k]. */
export function nameIs(p: usize, n: usize, k: i32): bool {
  const at = names + <usize>k * NAME_BYTES;
  if (n != <usize>load<u32>(at)) return false;
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(p + i) != load<u64>(at + 8 + i)) return false;
    i += 8;
  }
  if (i == n) return true;
  const mask = (<u64>1 << (<u64>(n - i) << 3)) - 1;
  return (load<u64>(p + i) & mask) == load<u64>(at + 8 + i);
}

/** Which of NAMES[first, last) the key just read is (-1: none); `hint` is tried first. */
export function keyAmong(first: i32, last: i32, hint: i32): i32 {
  const n = sEnd - sStart;
  if (hint >= first && hint < last && nameIs(sStart, n, hint)) return hint;
  for (let k = first; k < last; k++) if (nameIs(sStart, n, k)) return k;
  return -1;
}

/**
 * Reads an object whose keys matter: each member named NAMES[first, last) goes to `member(k)` (at
 * most once: a duplicate key is for JSON.parse to settle), any other to `member(-1)`. The next key
 * is expected to follow the last one in NAMES order (the order kube-apiserver writes them in).
 * A value that is not an object is skipped (its fields stay empty, as normalizeEvent's record() reads it).
 */
export function readObject(first: i32, last: i32, member: (k: i32) => bool, depth: i32): bool {
  if (peek() != 0x7b) return skipValue(depth);
  if (!openObject()) return true;
  let seen: u64 = 0;
  let hint = first;
  do {
    if (!readKey()) return false;
    const k = keyAmong(first, last, hint);
    if (k >= 0) {
      const bit = <u64>1 << <u64>(k - first);
      if ((seen & bit) != 0) return false;
      seen |= bit;
      hint = k + 1;
    }
    if (!member(k)) return false;
  } while (nextMember());
  return !memberError;
}
