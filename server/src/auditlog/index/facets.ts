import type { LogIndex } from './logIndex';
import { NUM, STRING_COLUMN_INDEX, type StringColumn } from './schema';
import { timeOrder } from './timeOrder';

export type FacetField = StringColumn | 'code';

export interface FacetValue {
  /** The value; null for a request without a code. */
  value: string | number | null;
  count: number;
}

export interface Facet {
  field: FacetField;
  /** The most frequent values, most frequent first (ties: value order). */
  top: FacetValue[];
  /** How many distinct values the rows have. */
  distinct: number;
  rows: number;
}

/**
 * Counts rows per distinct value of a column by counting dictionary ids in a typed array (no string
 * is touched until the top N are named). `rows`: a query result; all live rows when omitted.
 */
export function facet(index: LogIndex, field: FacetField, rows?: Uint32Array, top = 10): Facet {
  const set = rows ?? timeOrder(index);
  if (field === 'code') return codeFacet(index, set, top);
  const c = STRING_COLUMN_INDEX[field];
  const ids = index.strings[c]!.data;
  const strings = index.dictionaries[c]!.strings;
  const counts = new Uint32Array(strings.length);
  for (let i = 0; i < set.length; i++) counts[ids[set[i]!]!]!++;
  const present: number[] = [];
  for (let id = 0; id < counts.length; id++) if (counts[id]! > 0) present.push(id);
  const best = topIds(present, (id) => counts[id]!, (a, b) => (strings[a]! < strings[b]! ? -1 : 1), top);
  return { field, top: best.map((id) => ({ value: strings[id]!, count: counts[id]! })), distinct: present.length, rows: set.length };
}

function codeFacet(index: LogIndex, set: Uint32Array, top: number): Facet {
  const codes = index.numbers[NUM.code]!.data;
  const counts = new Map<number, number>();
  for (let i = 0; i < set.length; i++) {
    const code = codes[set[i]!]!;
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const values = [...counts.keys()];
  // NaN (no code) sorts after every code on ties.
  const best = topIds(values, (v) => counts.get(v)!, (a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b), top);
  return { field: 'code', top: best.map((v) => ({ value: Number.isNaN(v) ? null : v, count: counts.get(v)! })), distinct: values.length, rows: set.length };
}

/** The `top` values by count, without sorting every distinct value when there are many. */
function topIds(values: number[], count: (v: number) => number, tie: (a: number, b: number) => number, top: number): number[] {
  const order = (a: number, b: number) => count(b) - count(a) || tie(a, b);
  if (values.length <= top * 4) return values.sort(order).slice(0, top);
  const kept: number[] = [];
  let floor = -1;
  for (const v of values) {
    if (kept.length >= top && count(v) < floor) continue;
    kept.push(v);
    if (kept.length >= top * 4) {
      kept.sort(order).length = top;
      floor = count(kept[top - 1]!);
    }
  }
  return kept.sort(order).slice(0, top);
}
