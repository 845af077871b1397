// Per text column, the distinct strings of a segment: their UTF-8 bytes (in an arena, never moved),
// an id each in order of first appearance, and an open-addressing hash table from bytes to id.

import { newHashTable, rehash } from './hashTable';

export const COLUMNS = 17;

const tableAt: usize = memory.data(COLUMNS * 4);
const tableMask: usize = memory.data(COLUMNS * 4);
const tableUsed: usize = memory.data(COLUMNS * 4);
/** Per column, per id: (pointer u32, length u32) of its bytes. */
const stringsAt: usize = memory.data(COLUMNS * 4);
const stringsCapacity: usize = memory.data(COLUMNS * 4);
/** Per column, how many ids it has (read by JavaScript: stringCounts()). */
export const stringCount: usize = memory.data(COLUMNS * 4);
let arena: usize = 0;
let arenaEnd: usize = 0;
const ARENA_BLOCK: usize = 256 * 1024;

// @ts-ignore: decorator
@inline function slot(table: usize, column: i32): usize {
  return table + (<usize>column << 2);
}

export function setupDictionaries(): void {
  for (let column = 0; column < COLUMNS; column++) {
    newTable(column, 1024);
    store<u32>(slot(tableUsed, column), 0);
    store<u32>(slot(stringCount, column), 0);
    store<u32>(slot(stringsCapacity, column), 0);
    store<u32>(slot(stringsAt, column), 0);
  }
}

/** Where the column's (pointer, length) list is. */
export function stringList(column: i32): usize {
  return <usize>load<u32>(slot(stringsAt, column));
}

function hashBytes(p: usize, n: usize): u32 {
  let h: u64 = <u64>n * 0x9e3779b97f4a7c15;
  let q = p;
  let left = n;
  while (left >= 8) {
    h = (h ^ load<u64>(q)) * 0xff51afd7ed558ccd;
    h ^= h >> 32;
    q += 8;
    left -= 8;
  }
  if (left > 0) {
    // Reads up to 7 bytes past the string: every buffer hashed from has padding.
    const tail = load<u64>(q) & ((<u64>1 << (<u64>left << 3)) - 1);
    h = (h ^ tail) * 0xff51afd7ed558ccd;
  }
  h ^= h >> 29;
  h *= 0xc4ceb9fe1a85ec53;
  h ^= h >> 32;
  return <u32>h | 1;
}

/** Whether n bytes at a and b are equal; both are followed by at least 7 readable bytes. */
function sameBytes(a: usize, b: usize, n: usize): bool {
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  if (i == n) return true;
  const mask = (<u64>1 << (<u64>(n - i) << 3)) - 1;
  return ((load<u64>(a + i) ^ load<u64>(b + i)) & mask) == 0;
}

function newTable(column: i32, capacity: u32): void {
  store<u32>(slot(tableAt, column), <u32>newHashTable(capacity));
  store<u32>(slot(tableMask, column), capacity - 1);
}

function growTable(column: i32): void {
  const old = <usize>load<u32>(slot(tableAt, column));
  const oldCapacity = load<u32>(slot(tableMask, column)) + 1;
  newTable(column, oldCapacity << 1);
  rehash(old, oldCapacity, <usize>load<u32>(slot(tableAt, column)), load<u32>(slot(tableMask, column)));
  heap.free(old);
}

/** A new id for the column; its string is `length` bytes at `bytes` (0, 0: one JavaScript keeps itself). */
export function addString(column: i32, bytes: usize, length: usize): u32 {
  const id = load<u32>(slot(stringCount, column));
  let capacity = load<u32>(slot(stringsCapacity, column));
  let list = <usize>load<u32>(slot(stringsAt, column));
  if (id == capacity) {
    capacity = capacity == 0 ? 256 : capacity << 1;
    list = list == 0 ? heap.alloc(<usize>capacity << 3) : heap.realloc(list, <usize>capacity << 3);
    store<u32>(slot(stringsAt, column), <u32>list);
    store<u32>(slot(stringsCapacity, column), capacity);
  }
  let at: usize = 0;
  if (length > 0) {
    if (arena + length > arenaEnd) {
      const size = length > ARENA_BLOCK ? length : ARENA_BLOCK;
      // Padding after the last string: sameBytes reads whole words.
      arena = heap.alloc(size + 8);
      arenaEnd = arena + size;
    }
    at = arena;
    memory.copy(at, bytes, length);
    arena += length;
  }
  store<u32>(list + (<usize>id << 3), <u32>at);
  store<u32>(list + (<usize>id << 3), <u32>length, 4);
  store<u32>(slot(stringCount, column), id + 1);
  return id;
}

/** The column's id for these UTF-8 bytes (followed by 7 readable bytes), added when new. */
export function intern(column: i32, bytes: usize, length: usize): u32 {
  const h = hashBytes(bytes, length);
  const table = <usize>load<u32>(slot(tableAt, column));
  const mask = load<u32>(slot(tableMask, column));
  const list = <usize>load<u32>(slot(stringsAt, column));
  let i = h & mask;
  while (true) {
    const entry = table + (<usize>i << 3);
    const eh = load<u32>(entry);
    if (eh == 0) break;
    if (eh == h) {
      const id = load<u32>(entry, 4);
      const s = list + (<usize>id << 3);
      if (<usize>load<u32>(s, 4) == length && sameBytes(<usize>load<u32>(s), bytes, length)) return id;
    }
    i = (i + 1) & mask;
  }
  const id = addString(column, bytes, length);
  const entry = table + (<usize>i << 3);
  store<u32>(entry, h);
  store<u32>(entry, id, 4);
  const used = load<u32>(slot(tableUsed, column)) + 1;
  store<u32>(slot(tableUsed, column), used);
  if (used << 1 > mask) growTable(column);
  return id;
}
