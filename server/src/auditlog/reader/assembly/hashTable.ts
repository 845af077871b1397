// Open-addressing tables of (hash u32, value u32) entries, linear probing; hash 0 marks an empty entry.

/** A zeroed table of `capacity` (a power of two) entries. */
export function newHashTable(capacity: u32): usize {
  const table = heap.alloc(<usize>capacity << 3);
  memory.fill(table, 0, <usize>capacity << 3);
  return table;
}

/** Moves the entries of `old` into the empty `table` (mask: its capacity - 1); returns how many. */
export function rehash(old: usize, oldCapacity: u32, table: usize, mask: u32): u32 {
  let moved: u32 = 0;
  for (let i: u32 = 0; i < oldCapacity; i++) {
    const entry = old + (<usize>i << 3);
    const h = load<u32>(entry);
    if (h == 0) continue;
    let j = h & mask;
    while (load<u32>(table + (<usize>j << 3)) != 0) j = (j + 1) & mask;
    store<u64>(table + (<usize>j << 3), load<u64>(entry));
    moved++;
  }
  return moved;
}
