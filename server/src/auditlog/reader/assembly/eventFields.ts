// The audit.k8s.io Event reader: which members of the Event (and of user, objectRef, responseStatus,
// the bodies' metadata, annotations) the index needs, read from the raw line into a field table.
// Semantics follow normalizeEvent.ts: a string field of another JSON type reads as "", a container
// that is not an object as empty. Anything else unusual makes the line fall back to JSON.parse.

import {
  isDigit, N_CODE, N_DECISION, N_EVENT_KEYS, N_GROUPS, N_METADATA, N_NAME, N_REASON, N_RESOURCE, N_SUBRESOURCE, N_USERNAME,
  nextElement, objectDone, openArray, peek, pos, readObject, sEnd, sEscaped, scanString, sHigh, skipLiteral, skipNumber, skipValue, sStart,
} from './json';
import { unescape } from './unescape';

// Fields: start, end (raw JSON string content) and flags, per line.
export const F_KIND = 0;
export const F_LEVEL = 1;
export const F_AUDIT_ID = 2;
export const F_STAGE = 3;
export const F_URI = 4;
export const F_VERB = 5;
export const F_USER_AGENT = 6;
export const F_RECEIVED = 7;
export const F_STAGE_TIME = 8;
export const F_TIMESTAMP = 9;
export const F_USER = 10;
export const F_IMPERSONATED = 11;
export const F_SOURCE_IP = 12;
export const F_RESOURCE = 13;
export const F_NAMESPACE = 14;
export const F_NAME = 15;
export const F_API_GROUP = 16;
export const F_SUBRESOURCE = 17;
export const F_DECISION = 18;
export const F_REASON = 19;
export const F_REQUEST_NAME = 20;
export const F_RESPONSE_NAME = 21;
const FIELDS = 22;
export const FIELD_PRESENT: u32 = 1;
export const FIELD_ESCAPED: u32 = 2;
const fields: usize = memory.data(FIELDS * 12);

// Row flags (schema.ts): what a path into the event can walk into.
const FLAG_REQUEST_OBJECT: u32 = 4;
const FLAG_RESPONSE_OBJECT: u32 = 8;
const FLAG_IMPERSONATED_USER: u32 = 16;
const FLAG_OTHER_ANNOTATIONS: u32 = 32;

// Event keys, in NAMES (and kube-apiserver's) order.
const K_KIND = 0;
const K_LEVEL = 2;
const K_AUDIT_ID = 3;
const K_STAGE = 4;
const K_URI = 5;
const K_VERB = 6;
const K_USER = 7;
const K_IMPERSONATED = 8;
const K_SOURCE_IPS = 9;
const K_USER_AGENT = 10;
const K_OBJECT_REF = 11;
const K_STATUS = 12;
const K_REQUEST_OBJECT = 13;
const K_RESPONSE_OBJECT = 14;
const K_RECEIVED = 15;
const K_STAGE_TIME = 16;
const K_ANNOTATIONS = 17;
const K_TIMESTAMP = 19;
const EVENT_KEYS = 20;

/** The current line's row flags, its response code (NaN: none), and its group list (each group after a NUL). */
export let lineFlags: u32 = 0;
export let code: f64 = NaN;
export let groupBytes: usize = 0;
export let groupLength: usize = 0;

export function setGroupBuffer(at: usize): void {
  groupBytes = at;
}

// @ts-ignore: decorator
@inline export function fieldFlags(field: i32): u32 {
  return load<u32>(fields + <usize>field * 12, 8);
}

// @ts-ignore: decorator
@inline export function fieldStart(field: i32): usize {
  return <usize>load<u32>(fields + <usize>field * 12);
}

// @ts-ignore: decorator
@inline export function fieldEnd(field: i32): usize {
  return <usize>load<u32>(fields + <usize>field * 12, 4);
}

/** Reads the Event object at pos into the field table. False: not sure (JSON.parse decides). */
export function readEvent(): bool {
  memory.fill(fields, 0, FIELDS * 12);
  lineFlags = 0;
  code = NaN;
  groupLength = 0;
  // An object with a key an Event does not have is for JSON.parse (and unwrapRecord).
  return readObject(N_EVENT_KEYS, N_EVENT_KEYS + EVENT_KEYS, eventMember, 0);
}

function eventMember(k: i32): bool {
  switch (k) {
    case K_KIND:
      return readText(F_KIND);
    case K_LEVEL:
      return readText(F_LEVEL);
    case K_AUDIT_ID:
      return readText(F_AUDIT_ID);
    case K_STAGE:
      return readText(F_STAGE);
    case K_URI:
      return readText(F_URI);
    case K_VERB:
      return readText(F_VERB);
    case K_USER_AGENT:
      return readText(F_USER_AGENT);
    case K_RECEIVED:
      return readText(F_RECEIVED);
    case K_STAGE_TIME:
      return readText(F_STAGE_TIME);
    case K_TIMESTAMP:
      return readText(F_TIMESTAMP);
    case K_USER:
      return readObject(N_USERNAME, N_GROUPS + 1, userMember, 1);
    case K_IMPERSONATED:
      if (peek() == 0x7b || peek() == 0x5b) lineFlags |= FLAG_IMPERSONATED_USER;
      return readObject(N_USERNAME, N_USERNAME + 1, impersonatedMember, 1);
    case K_SOURCE_IPS:
      return readSourceIPs();
    case K_OBJECT_REF:
      return readObject(N_RESOURCE, N_SUBRESOURCE + 1, objectRefMember, 1);
    case K_STATUS:
      return readObject(N_CODE, N_CODE + 1, statusMember, 1);
    case K_REQUEST_OBJECT:
      return readBody(FLAG_REQUEST_OBJECT);
    case K_RESPONSE_OBJECT:
      return readBody(FLAG_RESPONSE_OBJECT);
    case K_ANNOTATIONS:
      if (peek() == 0x5b) lineFlags |= FLAG_OTHER_ANNOTATIONS;
      return readObject(N_DECISION, N_REASON + 1, annotationMember, 1);
    case -1:
      return false; // not an Event key
    default:
      return skipValue(1); // apiVersion, metadata
  }
}

function userMember(k: i32): bool {
  if (k == N_USERNAME) return readText(F_USER);
  if (k == N_GROUPS) return readGroups();
  return skipValue(2);
}

function impersonatedMember(k: i32): bool {
  return k == N_USERNAME ? readText(F_IMPERSONATED) : skipValue(2);
}

function objectRefMember(k: i32): bool {
  return k < 0 ? skipValue(2) : readText(F_RESOURCE + k - N_RESOURCE);
}

function statusMember(k: i32): bool {
  return k == N_CODE ? readCode() : skipValue(2);
}

function annotationMember(k: i32): bool {
  if (k == N_DECISION) return readText(F_DECISION);
  if (k == N_REASON) return readText(F_REASON);
  lineFlags |= FLAG_OTHER_ANNOTATIONS;
  return skipValue(2);
}

// The body being read (requestObject or responseObject) and where its metadata.name goes.
let bodyNameField = F_REQUEST_NAME;

/** requestObject / responseObject: present unless null; of an object, metadata.name is kept. */
function readBody(flag: u32): bool {
  const c = peek();
  if (c == 0x6e) return skipLiteral(); // null: as if absent
  lineFlags |= flag;
  bodyNameField = flag == FLAG_REQUEST_OBJECT ? F_REQUEST_NAME : F_RESPONSE_NAME;
  return readObject(N_METADATA, N_METADATA + 1, bodyMember, 1);
}

function bodyMember(k: i32): bool {
  return k == N_METADATA ? readObject(N_NAME, N_NAME + 1, metadataMember, 2) : skipValue(2);
}

function metadataMember(k: i32): bool {
  return k == N_NAME ? readText(bodyNameField) : skipValue(3);
}

/** A string value the index reads: kept when it is a plain ASCII string; any other JSON value reads as "". */
function readText(field: i32): bool {
  if (peek() != 0x22) return skipValue(2);
  if (!scanString() || sHigh) return false;
  const at = fields + <usize>field * 12;
  store<u32>(at, <u32>sStart);
  store<u32>(at, <u32>sEnd, 4);
  store<u32>(at, FIELD_PRESENT | (sEscaped ? FIELD_ESCAPED : 0), 8);
  return true;
}

/** The group list as the index keys it: each string element after a NUL (other elements left out, as normalizeEvent does). */
function readGroups(): bool {
  if (peek() != 0x5b) return skipValue(2);
  if (!openArray()) return true;
  do {
    if (peek() != 0x22) {
      if (!skipValue(3)) return false;
      continue;
    }
    if (!scanString() || sHigh) return false;
    store<u8>(groupBytes + groupLength, 0);
    groupLength++;
    const n = sEscaped ? unescape(groupBytes + groupLength, sStart, sEnd) : copyString(groupBytes + groupLength);
    // A NUL inside a group (\u0000) would make the list ambiguous once joined: JSON.parse reads it.
    if (n < 0 || (sEscaped && hasNul(groupBytes + groupLength, <usize>n))) return false;
    groupLength += <usize>n;
  } while (nextElement());
  return objectDone();
}

function hasNul(p: usize, n: usize): bool {
  for (let i: usize = 0; i < n; i++) if (load<u8>(p + i) == 0) return true;
  return false;
}

function copyString(to: usize): i32 {
  memory.copy(to, sStart, sEnd - sStart);
  return <i32>(sEnd - sStart);
}

/** sourceIPs: the first element, when it is a string. */
function readSourceIPs(): bool {
  if (peek() != 0x5b) return skipValue(1);
  if (!openArray()) return true;
  let first = true;
  do {
    if (!(first && peek() == 0x22 ? readText(F_SOURCE_IP) : skipValue(2))) return false;
    first = false;
  } while (nextElement());
  return objectDone();
}

/** responseStatus.code: kept when it is a plain integer; another number is for JSON.parse. */
function readCode(): bool {
  const c = peek();
  if (c != 0x2d && !isDigit(c)) return skipValue(2);
  let p = pos;
  if (!skipNumber()) return false;
  const end = pos;
  const negative = load<u8>(p) == 0x2d;
  if (negative) p++;
  if (end - p > 15) return false;
  let value: f64 = 0;
  for (; p < end; p++) {
    const d = <u32>load<u8>(p) - 0x30;
    if (d >= 10) return false; // a fraction or an exponent
    value = value * 10 + <f64>d;
  }
  code = negative ? -value : value;
  return true;
}
