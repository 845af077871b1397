// Requests: stages grouped by auditID as requests.ts RequestGrouper groups them, inside the scanner,
// so that the log index's reader makes no JavaScript object per line. A request is written as a row
// when its final stage (ResponseComplete or Panic) arrives; finish() writes the ones still open, in
// the order their first stage came. The primary stage is the last one of the highest rank.
//
// Stages come from scanned lines (their record) or from JavaScript (events JSON.parse read, "held"
// there by number: a row says which held event is its primary, and released() which ones are no
// longer needed). A row also says where its primary line's bytes are, for detectors that decode it.

import { newHashTable, rehash } from './hashTable';

// Row layout (bytes). The first 128 are the primary stage's record (see fieldScanner.ts).
export const ROW_BYTES: usize = 192;
const W_FIRST_LINE = 128;
const W_PRIMARY_LINE = 132;
const W_FIRST_OFFSET = 136; // f64
const W_PRIMARY_OFFSET = 144; // f64
const W_MASK = 152;
const W_INCOMPLETE = 156;
const W_ID_AT = 160;
const W_ID_LENGTH = 164;
const W_SOURCE = 168; // SOURCE_*
const W_SOURCE_A = 172; // input start / held number / bytes pointer
const W_SOURCE_B = 176; // input end / 0 / bytes length

const SOURCE_INPUT: u32 = 0;
const SOURCE_HELD: u32 = 1;
const SOURCE_BYTES: u32 = 2;

const RECORD_BYTES: usize = 128;
const R_STAGE_BIT: usize = 16;

// Slot layout (bytes): one open request.
const SLOT_BYTES: usize = 256;
const S_SEQUENCE = 0;
const S_MASK = 4;
const S_FIRST_LINE = 8;
const S_BEST_LINE = 12;
const S_FIRST_OFFSET = 16; // f64
const S_BEST_OFFSET = 24; // f64
const S_BEST_RANK = 32; // i32
const S_BEST_SOURCE = 36;
const S_BEST_A = 40;
const S_BEST_B = 44;
const S_ID_AT = 48; // the auditID's bytes (a buffer of the slot, reused)
const S_ID_LENGTH = 52;
const S_ID_CAPACITY = 56;
const S_LINE_AT = 60; // the best line's bytes once its input is reused
const S_LINE_CAPACITY = 64;
const S_OPEN = 68;
const S_BEST_RECORD = 128;

let slots: usize = 0;
let slotCapacity: u32 = 0;
let slotsUsed: u32 = 0;
let freeSlots: usize = 0; // stack of free slot numbers
let freeCount: u32 = 0;
let sequence: u32 = 0;
let table: usize = 0; // (hash, slot + 1) pairs
let tableMask: u32 = 0;
let tableUsed: u32 = 0;

// Rows written since the last drain, their bytes, released held numbers, slots whose best line is in the input.
let rows: usize = 0;
let rowCapacity: u32 = 0;
export let rowCount: u32 = 0;
let bytes: usize = 0;
let bytesCapacity: usize = 0;
let bytesUsed: usize = 0;
let released: usize = 0;
let releasedCapacity: u32 = 0;
export let releasedCount: u32 = 0;
let inInput: usize = 0;
let inInputCapacity: u32 = 0;
let inInputCount: u32 = 0;

export function setupRequests(maxRows: u32): void {
  rowCapacity = maxRows;
  rows = heap.alloc(<usize>maxRows * ROW_BYTES);
  slotCapacity = 256;
  slots = heap.alloc(<usize>slotCapacity * SLOT_BYTES);
  freeSlots = heap.alloc(<usize>slotCapacity << 2);
  newTable(1024);
  bytesCapacity = 64 * 1024;
  bytes = heap.alloc(bytesCapacity + 16);
  releasedCapacity = 1024;
  released = heap.alloc(<usize>releasedCapacity << 2);
  inInputCapacity = 1024;
  inInput = heap.alloc(<usize>inInputCapacity << 2);
}

export function rowsPointer(): usize {
  return rows;
}

export function releasedPointer(): usize {
  return released;
}

/** Forgets the rows and released numbers JavaScript has taken. */
export function drained(): void {
  rowCount = 0;
  bytesUsed = 0;
  releasedCount = 0;
}

/** Whether the row area has room for `n` more rows (scan stops before it fills). */
export function rowRoom(n: u32): bool {
  return rowCount + n <= rowCapacity;
}

function rankOf(stageBit: u32): i32 {
  if (stageBit == 4) return 4; // ResponseComplete
  if (stageBit == 8) return 3; // Panic
  if (stageBit == 2) return 2; // ResponseStarted
  if (stageBit == 1) return 1; // RequestReceived
  return 0;
}

function hashBytes(p: usize, n: usize): u32 {
  let h: u32 = 2166136261;
  for (let i: usize = 0; i < n; i++) h = (h ^ <u32>load<u8>(p + i)) * 16777619;
  return h | 1;
}

function newTable(capacity: u32): void {
  table = newHashTable(capacity);
  tableMask = capacity - 1;
  tableUsed = 0;
}

// @ts-ignore: decorator
@inline function slotAt(slot: u32): usize {
  return slots + <usize>slot * SLOT_BYTES;
}

function slotHasId(slot: u32, p: usize, n: usize): bool {
  const s = slotAt(slot);
  return <usize>load<u32>(s + S_ID_LENGTH) == n && memory.compare(<usize>load<u32>(s + S_ID_AT), p, n) == 0;
}

/** The entry of the table where this auditID is, or the empty entry where it would go. */
function findEntry(h: u32, p: usize, n: usize): usize {
  let i = h & tableMask;
  while (true) {
    const entry = table + (<usize>i << 3);
    const eh = load<u32>(entry);
    if (eh == 0 || (eh == h && slotHasId(load<u32>(entry, 4) - 1, p, n))) return entry;
    i = (i + 1) & tableMask;
  }
  return 0;
}

function growTable(): void {
  const old = table;
  const oldCapacity = tableMask + 1;
  newTable(oldCapacity << 1);
  tableUsed = rehash(old, oldCapacity, table, tableMask);
}

/** Removes an entry (linear probing: later entries of the run move back, so lookups never stop early). */
function removeEntry(entry: usize): void {
  let i = <u32>((entry - table) >> 3);
  let j = i;
  while (true) {
    j = (j + 1) & tableMask;
    const next = table + (<usize>j << 3);
    const h = load<u32>(next);
    if (h == 0) break;
    const home = h & tableMask;
    // Move it back unless its home lies cyclically in (i, j].
    const stays = i <= j ? home > i && home <= j : home > i || home <= j;
    if (stays) continue;
    store<u64>(table + (<usize>i << 3), load<u64>(next));
    i = j;
  }
  store<u64>(table + (<usize>i << 3), 0);
  tableUsed--;
}

function allocateSlot(): u32 {
  if (freeCount > 0) {
    freeCount--;
    return load<u32>(freeSlots + (<usize>freeCount << 2));
  }
  if (slotsUsed == slotCapacity) {
    const capacity = slotCapacity << 1;
    const grown = heap.alloc(<usize>capacity * SLOT_BYTES);
    memory.copy(grown, slots, <usize>slotCapacity * SLOT_BYTES);
    slots = grown;
    freeSlots = heap.alloc(<usize>capacity << 2);
    slotCapacity = capacity;
  }
  const slot = slotsUsed++;
  memory.fill(slotAt(slot), 0, SLOT_BYTES);
  return slot;
}

/** Copies n bytes into a growable buffer of the slot (pointer and capacity at the given fields). */
function keepBytes(s: usize, atField: usize, capacityField: usize, from: usize, n: usize): void {
  if (<usize>load<u32>(s + capacityField) < n) {
    const capacity: usize = n < 64 ? 64 : n;
    store<u32>(s + atField, <u32>heap.alloc(capacity + 16));
    store<u32>(s + capacityField, <u32>capacity);
  }
  memory.copy(<usize>load<u32>(s + atField), from, n);
}

function release(held: u32): void {
  if (releasedCount == releasedCapacity) {
    releasedCapacity <<= 1;
    released = heap.realloc(released, <usize>releasedCapacity << 2);
  }
  store<u32>(released + (<usize>releasedCount << 2), held);
  releasedCount++;
}

function reserveBytes(n: usize): usize {
  if (bytesUsed + n > bytesCapacity) {
    const capacity = (bytesUsed + n) << 1;
    const grown = heap.alloc(capacity + 16);
    memory.copy(grown, bytes, bytesUsed);
    bytes = grown;
    bytesCapacity = capacity;
  }
  const at = bytes + bytesUsed;
  bytesUsed += n;
  return at;
}

/**
 * One stage: its record (128 bytes at `record`), line, offset, auditID bytes, and where its primary
 * data lives if it becomes the primary: the input line [a, b) (held == 0) or held event `held`.
 */
export function addStage(record: usize, line: u32, offset: f64, idAt: usize, idLength: usize, held: u32, a: u32, b: u32): void {
  const stageBit = load<u32>(record + R_STAGE_BIT);
  if (idLength == 0) {
    // No auditID: a request of its own.
    writeRow(record, line, offset, line, offset, stageBit, false, idAt, 0, held, a, b, false);
    if (held != 0) release(held);
    return;
  }
  const h = hashBytes(idAt, idLength);
  const entry = findEntry(h, idAt, idLength);
  let slot: u32;
  let s: usize;
  if (load<u32>(entry) == 0) {
    slot = allocateSlot();
    s = slotAt(slot);
    store<u32>(entry, h);
    store<u32>(entry, slot + 1, 4);
    tableUsed++;
    keepBytes(s, S_ID_AT, S_ID_CAPACITY, idAt, idLength);
    store<u32>(s + S_ID_LENGTH, <u32>idLength);
    store<u32>(s + S_SEQUENCE, sequence++);
    store<u32>(s + S_MASK, 0);
    store<u32>(s + S_FIRST_LINE, line);
    store<f64>(s + S_FIRST_OFFSET, offset);
    store<i32>(s + S_BEST_RANK, -1);
    store<u32>(s + S_OPEN, 1);
    if (tableUsed << 1 > tableMask) growTable();
  } else {
    slot = load<u32>(entry, 4) - 1;
    s = slotAt(slot);
  }
  store<u32>(s + S_MASK, load<u32>(s + S_MASK) | stageBit);
  const rank = rankOf(stageBit);
  if (rank >= load<i32>(s + S_BEST_RANK)) {
    if (load<u32>(s + S_BEST_SOURCE) == SOURCE_HELD) release(load<u32>(s + S_BEST_A));
    memory.copy(s + S_BEST_RECORD, record, RECORD_BYTES);
    store<u32>(s + S_BEST_LINE, line);
    store<f64>(s + S_BEST_OFFSET, offset);
    store<i32>(s + S_BEST_RANK, rank);
    store<u32>(s + S_BEST_SOURCE, held != 0 ? SOURCE_HELD : SOURCE_INPUT);
    store<u32>(s + S_BEST_A, held != 0 ? held : a);
    store<u32>(s + S_BEST_B, b);
    if (held == 0) noteInInput(slot);
  } else if (held != 0) release(held);
  if (stageBit == 4 || stageBit == 8) {
    emitSlot(slot, false);
    removeEntry(findEntry(h, idAt, idLength));
  }
}

function noteInInput(slot: u32): void {
  if (inInputCount == inInputCapacity) {
    inInputCapacity <<= 1;
    inInput = heap.realloc(inInput, <usize>inInputCapacity << 2);
  }
  store<u32>(inInput + (<usize>inInputCount << 2), slot);
  inInputCount++;
}

/** Before the input is reused: open requests whose primary line is in it keep a copy of the line. */
export function keepOpenLines(input: usize): void {
  for (let i: u32 = 0; i < inInputCount; i++) {
    const s = slotAt(load<u32>(inInput + (<usize>i << 2)));
    if (load<u32>(s + S_OPEN) == 0 || load<u32>(s + S_BEST_SOURCE) != SOURCE_INPUT) continue;
    const start = <usize>load<u32>(s + S_BEST_A);
    const n = <usize>load<u32>(s + S_BEST_B) - start;
    keepBytes(s, S_LINE_AT, S_LINE_CAPACITY, input + start, n);
    store<u32>(s + S_BEST_SOURCE, SOURCE_BYTES);
    store<u32>(s + S_BEST_B, <u32>n);
  }
  inInputCount = 0;
}

function emitSlot(slot: u32, incomplete: bool): void {
  const s = slotAt(slot);
  const source = load<u32>(s + S_BEST_SOURCE);
  writeRow(
    s + S_BEST_RECORD,
    load<u32>(s + S_FIRST_LINE),
    load<f64>(s + S_FIRST_OFFSET),
    load<u32>(s + S_BEST_LINE),
    load<f64>(s + S_BEST_OFFSET),
    load<u32>(s + S_MASK),
    incomplete,
    <usize>load<u32>(s + S_ID_AT),
    <usize>load<u32>(s + S_ID_LENGTH),
    source == SOURCE_HELD ? load<u32>(s + S_BEST_A) : 0,
    source == SOURCE_BYTES ? load<u32>(s + S_LINE_AT) : load<u32>(s + S_BEST_A),
    load<u32>(s + S_BEST_B),
    source == SOURCE_BYTES,
  );
  if (source == SOURCE_HELD) release(load<u32>(s + S_BEST_A));
  store<u32>(s + S_OPEN, 0);
  store<u32>(s + S_BEST_SOURCE, SOURCE_INPUT);
  store<u32>(freeSlots + (<usize>freeCount << 2), slot);
  freeCount++;
}

function writeRow(record: usize, firstLine: u32, firstOffset: f64, line: u32, offset: f64, mask: u32, incomplete: bool, idAt: usize, idLength: usize, held: u32, a: u32, b: u32, copied: bool): void {
  const row = rows + <usize>rowCount * ROW_BYTES;
  rowCount++;
  memory.copy(row, record, RECORD_BYTES);
  store<u32>(row + W_FIRST_LINE, firstLine);
  store<u32>(row + W_PRIMARY_LINE, line);
  store<f64>(row + W_FIRST_OFFSET, firstOffset);
  store<f64>(row + W_PRIMARY_OFFSET, offset);
  store<u32>(row + W_MASK, mask);
  store<u32>(row + W_INCOMPLETE, incomplete ? 1 : 0);
  const id = reserveBytes(idLength);
  memory.copy(id, idAt, idLength);
  store<u32>(row + W_ID_AT, <u32>id);
  store<u32>(row + W_ID_LENGTH, <u32>idLength);
  if (held != 0) {
    store<u32>(row + W_SOURCE, SOURCE_HELD);
    store<u32>(row + W_SOURCE_A, held);
  } else if (copied) {
    // The slot's buffer is reused: the row gets its own copy of the line.
    const line = reserveBytes(<usize>b);
    memory.copy(line, <usize>a, <usize>b);
    store<u32>(row + W_SOURCE, SOURCE_BYTES);
    store<u32>(row + W_SOURCE_A, <u32>line);
    store<u32>(row + W_SOURCE_B, b);
  } else {
    store<u32>(row + W_SOURCE, SOURCE_INPUT);
    store<u32>(row + W_SOURCE_A, a);
    store<u32>(row + W_SOURCE_B, b);
  }
}

// Open slots in the order their first stage came, once finishing starts.
let finishing: Array<u32> | null = null;
let finished: i32 = 0;

/** Writes requests still open (oldest first), as many as the row area holds: returns how many are left. */
export function finishRequests(): u32 {
  let order = finishing;
  if (order === null) {
    order = new Array<u32>();
    for (let slot: u32 = 0; slot < slotsUsed; slot++) if (load<u32>(slotAt(slot) + S_OPEN) != 0) order.push(slot);
    order.sort((a: u32, b: u32): i32 => <i32>load<u32>(slotAt(a) + S_SEQUENCE) - <i32>load<u32>(slotAt(b) + S_SEQUENCE));
    finishing = order;
    finished = 0;
  }
  while (finished < order.length && rowCount < rowCapacity) emitSlot(order[finished++], true);
  return <u32>(order.length - finished);
}
