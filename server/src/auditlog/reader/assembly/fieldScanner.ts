// The field scanner (AssemblyScript; scripts/build.mjs compiles it to dist/fieldScanner.wasm).
//
// Reads JSON lines of audit.k8s.io Events from a byte buffer and, per line, writes one fixed-size
// record: the index's text columns as dictionary ids (strings interned here, by their bytes), the
// timestamps and the response code as numbers, where the auditID and the line are. No JavaScript
// object is made for such a line. Every line is validated as strictly as JSON.parse validates it; a
// line this scanner is not sure of (not an Event object, an unknown or duplicate key, an escaped key,
// non-ASCII bytes in a field it reads, an unusual timestamp or number...) is marked FALLBACK and the
// JavaScript reader parses it with JSON.parse as before (reader/fieldScanner.ts is the other side).

import { addString, COLUMNS, intern as internBytes, setupDictionaries, stringCount, stringList } from './dictionary';
import {
  code, F_API_GROUP, F_AUDIT_ID, F_DECISION, F_IMPERSONATED, F_KIND, F_LEVEL, F_NAME, F_NAMESPACE, F_REASON, F_RECEIVED, F_REQUEST_NAME,
  F_RESOURCE, F_RESPONSE_NAME, F_SOURCE_IP, F_STAGE, F_STAGE_TIME, F_SUBRESOURCE, F_TIMESTAMP, F_URI, F_USER, F_USER_AGENT, F_VERB,
  FIELD_ESCAPED, fieldEnd, fieldFlags, fieldStart, groupBytes, groupLength, lineFlags, readEvent, setGroupBuffer,
} from './eventFields';
import { moveTo, N_EVENT_LIST, N_PANIC, N_REQUEST_RECEIVED, N_RESPONSE_COMPLETE, N_RESPONSE_STARTED, nameIs, peek, pos, skipSpace, storeNames } from './json';
import { addStage, drained, finishRequests, keepOpenLines, releasedCount, releasedPointer, rowCount, rowRoom, rowsPointer, setupRequests } from './requests';
import { NOT_SURE, timestampMs } from './timestamp';
import { unescape } from './unescape';

// Record layout: u32 words; the three f64 at 8-byte aligned words 26, 28, 30.
const RECORD_BYTES: usize = 128;
const R_KIND = 0; // KIND_*
const R_LINE_START = 1; // offset of the line in the input
const R_LINE_END = 2; // end of the line without its line break (and one CR before it)
const R_FLAGS = 3; // schema.ts row flags (FLAG_REQUEST_OBJECT...)
const R_STAGE_BIT = 4; // schema.ts stageBit of the stage
const R_AUDIT_ID_START = 5;
const R_AUDIT_ID_LENGTH = 6;
const R_LINE_BREAK = 7; // offset of the line break
const R_IDS = 8; // 17 dictionary ids, in schema.ts STRING_COLUMNS order (the request field table's)
const R_TIME = 26; // f64, epoch ms or NaN
const R_LATENCY = 28; // f64, ms or NaN
const R_CODE = 30; // f64 or NaN

const KIND_BLANK: u32 = 0;
const KIND_EVENT: u32 = 1;
const KIND_FALLBACK: u32 = 2;

// Text columns, in schema.ts STRING_COLUMNS order: the text fields of the request field table
// (protocol/requestFields.ts), which JavaScript derives it from. test/unit/auditlog/reader/columnOrder.test.ts
// holds the two equal: a new text field there needs its column here.
const C_USER = 0;
const C_IMPERSONATED = 1;
const C_VERB = 2;
const C_API_GROUP = 3;
const C_RESOURCE = 4;
const C_SUBRESOURCE = 5;
const C_RESOURCE_PATH = 6;
const C_NAMESPACE = 7;
const C_NAME = 8;
const C_URI = 9;
const C_SOURCE_IP = 10;
const C_USER_AGENT = 11;
const C_LEVEL = 12;
const C_STAGE = 13;
const C_DECISION = 14;
const C_REASON = 15;
const C_GROUPS = 16;

/** After the input (and the other buffers hashed from): room for the sentinel and whole-word reads. */
const PADDING: usize = 64;

let input: usize = 0;
let output: usize = 0;
let maxRecords: u32 = 0;
let unescaped: usize = 0; // decoded escaped values of the current line
let unescapedLength: usize = 0;
let scratch: usize = 0; // strings JavaScript asks to intern
let scratchCapacity: usize = 0;
let consumedBytes: u32 = 0;
let inputLimit: usize = 0;
let heldRecord: usize = 0; // a record JavaScript fills for an event JSON.parse read

// Each column's value for the current line: start and length of its UTF-8 bytes.
const valueStart: usize = memory.data(COLUMNS * 4);
const valueLength: usize = memory.data(COLUMNS * 4);

// @ts-ignore: decorator
@inline function setValue(column: i32, start: usize, length: usize): void {
  store<u32>(valueStart + (<usize>column << 2), <u32>start);
  store<u32>(valueLength + (<usize>column << 2), <u32>length);
}

// @ts-ignore: decorator
@inline function startOf(column: i32): usize {
  return <usize>load<u32>(valueStart + (<usize>column << 2));
}

// @ts-ignore: decorator
@inline function lengthOf(column: i32): usize {
  return <usize>load<u32>(valueLength + (<usize>column << 2));
}

/** The column's value: the field's bytes, decoded when escaped. False on a lone surrogate. */
function takeField(column: i32, field: i32): bool {
  const flags = fieldFlags(field);
  const start = fieldStart(field);
  const end = fieldEnd(field);
  if ((flags & FIELD_ESCAPED) == 0) {
    setValue(column, start, end - start); // absent: 0, 0
    return true;
  }
  const at = unescaped + unescapedLength;
  const n = unescape(at, start, end);
  if (n < 0) return false;
  unescapedLength += <usize>n;
  setValue(column, at, <usize>n);
  return true;
}

function stageBit(p: usize, n: usize): u32 {
  if (nameIs(p, n, N_RESPONSE_COMPLETE)) return 4;
  if (nameIs(p, n, N_REQUEST_RECEIVED)) return 1;
  if (nameIs(p, n, N_RESPONSE_STARTED)) return 2;
  if (nameIs(p, n, N_PANIC)) return 8;
  return 16;
}

/** A timestamp field's epoch ms: NaN when absent, NOT_SURE when escaped or unusual. */
function timeOf(field: i32): f64 {
  const flags = fieldFlags(field);
  if (flags == 0) return NaN;
  if ((flags & FIELD_ESCAPED) != 0) return NOT_SURE;
  return timestampMs(fieldStart(field), fieldEnd(field) - fieldStart(field));
}

/** The next line break at or after p (the sentinel after the input at worst). */
function lineBreakFrom(p: usize): usize {
  const newline = i8x16.splat(0x0a);
  let q = p;
  while (true) {
    const m = i8x16.bitmask(i8x16.eq(v128.load(q), newline));
    if (m != 0) return q + <usize>ctz(m);
    q += 16;
  }
  return q;
}

/** Reads the line at `start` into the record at `record`; returns the offset of its line break. */
function readLine(start: usize, record: usize): usize {
  moveTo(start);
  let c = peek();
  while (c == 0x20 || c == 0x09) {
    moveTo(pos + 1);
    c = peek();
  }
  let kind = KIND_FALLBACK;
  let newline: usize;
  if (c == 0x0a || (c == 0x0d && load<u8>(pos + 1) == 0x0a)) {
    kind = KIND_BLANK;
    newline = c == 0x0a ? pos : pos + 1;
  } else if (c == 0x7b && readEventLine(record)) {
    kind = KIND_EVENT;
    newline = pos; // readEventLine leaves pos on the line break
  } else {
    newline = lineBreakFrom(pos);
  }
  store<u32>(record, kind, R_KIND << 2);
  store<u32>(record, <u32>(start - input), R_LINE_START << 2);
  store<u32>(record, <u32>((newline > start && load<u8>(newline - 1) == 0x0d ? newline - 1 : newline) - input), R_LINE_END << 2);
  store<u32>(record, <u32>(newline - input), R_LINE_BREAK << 2);
  return newline;
}

/** An Event line: parsed, checked, its values interned into the record. False: not sure (nothing interned). */
function readEventLine(record: usize): bool {
  if (!readEvent()) return false;
  skipSpace();
  if (peek() != 0x0a) return false; // something after the object: JSON.parse decides
  if (pos >= inputLimit) return false; // the line goes on in the next input
  // What unwrapRecord and normalizeEvent would treat otherwise than a plain Event.
  const kindFlags = fieldFlags(F_KIND);
  if ((kindFlags & FIELD_ESCAPED) != 0) return false;
  if (kindFlags != 0 && nameIs(fieldStart(F_KIND), fieldEnd(F_KIND) - fieldStart(F_KIND), N_EVENT_LIST)) return false;
  if (fieldFlags(F_AUDIT_ID) == 0 && fieldFlags(F_VERB) == 0 && fieldFlags(F_URI) == 0 && fieldFlags(F_STAGE) == 0) return false;
  if ((fieldFlags(F_AUDIT_ID) & FIELD_ESCAPED) != 0) return false;
  const received = timeOf(F_RECEIVED);
  const stageTime = timeOf(F_STAGE_TIME);
  if (received == NOT_SURE || stageTime == NOT_SURE) return false;
  let time = received;
  if (isNaN(time)) time = isNaN(stageTime) ? timeOf(F_TIMESTAMP) : stageTime;
  if (time == NOT_SURE) return false;
  if (!takeValues()) return false;

  for (let column = 0; column < COLUMNS; column++) {
    store<u32>(record + (<usize>(R_IDS + column) << 2), internBytes(column, startOf(column), lengthOf(column)));
  }
  store<u32>(record, lineFlags, R_FLAGS << 2);
  store<u32>(record, stageBit(startOf(C_STAGE), lengthOf(C_STAGE)), R_STAGE_BIT << 2);
  store<u32>(record, <u32>(fieldStart(F_AUDIT_ID) - (fieldFlags(F_AUDIT_ID) == 0 ? 0 : input)), R_AUDIT_ID_START << 2);
  store<u32>(record, <u32>(fieldEnd(F_AUDIT_ID) - fieldStart(F_AUDIT_ID)), R_AUDIT_ID_LENGTH << 2);
  store<f64>(record, time, R_TIME << 2);
  store<f64>(record, isNaN(received) || isNaN(stageTime) ? NaN : stageTime - received, R_LATENCY << 2);
  store<f64>(record, code, R_CODE << 2);
  return true;
}

/** Every column's value for the line (decoded where escaped). False on a lone surrogate. */
function takeValues(): bool {
  unescapedLength = 0;
  if (!takeField(C_USER, F_USER) || !takeField(C_IMPERSONATED, F_IMPERSONATED) || !takeField(C_VERB, F_VERB)) return false;
  if (!takeField(C_API_GROUP, F_API_GROUP) || !takeField(C_RESOURCE, F_RESOURCE) || !takeField(C_SUBRESOURCE, F_SUBRESOURCE)) return false;
  if (!takeField(C_NAMESPACE, F_NAMESPACE) || !takeField(C_URI, F_URI) || !takeField(C_SOURCE_IP, F_SOURCE_IP)) return false;
  if (!takeField(C_USER_AGENT, F_USER_AGENT) || !takeField(C_LEVEL, F_LEVEL) || !takeField(C_STAGE, F_STAGE)) return false;
  if (!takeField(C_DECISION, F_DECISION) || !takeField(C_REASON, F_REASON)) return false;
  // objectRef.name, else the created object's name (responseObject's, then requestObject's).
  let nameField = F_NAME;
  if (fieldEnd(F_NAME) == fieldStart(F_NAME)) nameField = fieldEnd(F_RESPONSE_NAME) > fieldStart(F_RESPONSE_NAME) ? F_RESPONSE_NAME : F_REQUEST_NAME;
  if (!takeField(C_NAME, nameField)) return false;
  // resource/subresource, or the resource alone.
  const resource = lengthOf(C_RESOURCE);
  const subresource = lengthOf(C_SUBRESOURCE);
  if (subresource == 0) setValue(C_RESOURCE_PATH, startOf(C_RESOURCE), resource);
  else {
    const at = unescaped + unescapedLength;
    memory.copy(at, startOf(C_RESOURCE), resource);
    store<u8>(at + resource, 0x2f);
    memory.copy(at + resource + 1, startOf(C_SUBRESOURCE), subresource);
    unescapedLength += resource + 1 + subresource;
    setValue(C_RESOURCE_PATH, at, resource + 1 + subresource);
  }
  setValue(C_GROUPS, groupBytes, groupLength);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Exports

/** Allocates the buffers: an input of `capacity` bytes, an output of `records` records. */
export function setup(capacity: u32, records: u32): void {
  const size = <usize>capacity + PADDING;
  input = heap.alloc(size);
  memory.fill(input, 0, size);
  unescaped = heap.alloc(size);
  setGroupBuffer(heap.alloc(size));
  maxRecords = records;
  output = heap.alloc(<usize>records * RECORD_BYTES);
  heldRecord = heap.alloc(RECORD_BYTES);
  setupRequests(records + 64);
  setupDictionaries();
  storeNames();
  ensureScratch(4096);
}

export function inputPointer(): usize {
  return input;
}

export function outputPointer(): usize {
  return output;
}

/**
 * Reads the complete lines of input[start, length), a record each (at most the output's capacity).
 * Returns the number of records; consumed() is the input offset after the last line read. With
 * `grouping`, each Event line also goes to the request table (line numbers from `baseLine`, offsets
 * from `baseOffset` at input[0]), and the scan stops after a line it leaves to JSON.parse, so that
 * JavaScript adds that line's events before the lines after it.
 */
export function scan(start: u32, length: u32, baseLine: u32, baseOffset: f64, grouping: bool): u32 {
  const limit = input + <usize>length;
  inputLimit = limit;
  // The sentinel: a line break after the data ends every token of an unfinished line.
  store<u8>(limit, 0x0a);
  let at = input + <usize>start;
  let records: u32 = 0;
  while (records < maxRecords && at < limit && (!grouping || rowRoom(1))) {
    const record = output + <usize>records * RECORD_BYTES;
    const newline = readLine(at, record);
    if (newline >= limit) break; // the line is not complete yet
    records++;
    const kind = load<u32>(record, R_KIND << 2);
    if (grouping && kind == KIND_EVENT) {
      const idLength = load<u32>(record, R_AUDIT_ID_LENGTH << 2);
      addStage(record, baseLine + records - 1, baseOffset + <f64>(at - input), input + <usize>load<u32>(record, R_AUDIT_ID_START << 2), <usize>idLength, 0, <u32>(at - input), load<u32>(record, R_LINE_END << 2));
    }
    at = newline + 1;
    if (grouping && kind == KIND_FALLBACK) break;
  }
  consumedBytes = <u32>(at - input);
  return records;
}

/** The record JavaScript fills for addHeld (its auditID's bytes go to the scratch area). */
export function heldRecordPointer(): usize {
  return heldRecord;
}

/** Adds a stage JSON.parse read (JavaScript keeps it as number `held`). */
export function addHeld(line: u32, offset: f64, idLength: u32, held: u32): void {
  addStage(heldRecord, line, offset, scratch, <usize>idLength, held, 0, 0);
}

export function rows(): usize {
  return rowsPointer();
}

export function rowsWritten(): u32 {
  return rowCount;
}

export function releasedList(): usize {
  return releasedPointer();
}

export function releasedWritten(): u32 {
  return releasedCount;
}

/** JavaScript has taken the rows and released numbers. */
export function rowsTaken(): void {
  drained();
}

/** Before the input is reused: open requests keep a copy of their primary line. */
export function keepLines(): void {
  keepOpenLines(input);
}

/** Writes the requests still open; returns how many did not fit (call again after taking the rows). */
export function finish(): u32 {
  return finishRequests();
}

export function consumed(): u32 {
  return consumedBytes;
}

/** Room for JavaScript to write `length` bytes to intern; returns where. */
export function ensureScratch(length: u32): usize {
  if (<usize>length + PADDING > scratchCapacity) {
    scratchCapacity = (<usize>length + PADDING) << 1;
    scratch = heap.alloc(scratchCapacity);
  }
  return scratch;
}

/** The column's id of the `length` bytes JavaScript wrote at the scratch pointer. */
export function intern(column: i32, length: u32): u32 {
  return internBytes(column, scratch, <usize>length);
}

/** A new id for a string that has no UTF-8 form (a lone surrogate): JavaScript keeps its text. */
export function reserveId(column: i32): u32 {
  return addString(column, 0, 0);
}

/** Per column, how many strings it has (u32 each). */
export function stringCounts(): usize {
  return stringCount;
}

/** Per id of the column: (pointer, length) of its bytes, as u32 pairs. */
export function stringListOf(column: i32): usize {
  return stringList(column);
}
