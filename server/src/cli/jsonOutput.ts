// Large JSON reports (scan's detections, its SARIF results) written in pieces: the same bytes as
// `${JSON.stringify(value, null, 2)}\n`, without building the whole text as one string (for a scan of
// a few GB that string alone was hundreds of MB).

import { LazyList } from '../lazyList';

type Writable = { write(text: string): unknown };

/** Arrays longer than this are written element by element (and the containers holding them, key by key). */
const BIG_ARRAY = 64;
const FLUSH_CHARS = 64 * 1024;
/** Items stringified at once when none of them is big. */
const SLICE = 256;

/** Writes `${JSON.stringify(value, null, 2)}\n` to `out` in pieces of about 64 KiB. */
export function writeJson(value: unknown, out: Writable): void {
  const writer = new PieceWriter(out);
  writeValue(value, '', writer);
  writer.add('\n');
  writer.flush();
}

class PieceWriter {
  private pending: string[] = [];
  private chars = 0;

  constructor(private readonly out: Writable) {}

  add(text: string): void {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= FLUSH_CHARS) this.flush();
  }

  flush(): void {
    if (this.pending.length > 0) this.out.write(this.pending.join(''));
    this.pending = [];
    this.chars = 0;
  }
}

/** Plain arrays and objects (no toJSON) that hold a big array somewhere in their first levels. */
function isBig(value: unknown, depth = 3): boolean {
  if (value instanceof LazyList) return value.length > BIG_ARRAY;
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return value.length > BIG_ARRAY || (depth > 0 && value.some((item) => isBig(item, depth - 1)));
  if (depth === 0) return false;
  for (const key in value) if (Object.hasOwn(value, key) && isBig((value as Record<string, unknown>)[key], depth - 1)) return true;
  return false;
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function writeValue(value: unknown, indent: string, writer: PieceWriter): void {
  if (value instanceof LazyList && value.length > 0) {
    writeItems(value, indent, writer);
    return;
  }
  if (!isBig(value)) {
    const text = JSON.stringify(value, null, 2);
    // A JSON string never holds a raw line break: every one is between values, where the indent goes.
    writer.add(indent === '' ? text : text.replace(/\n/g, `\n${indent}`));
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    writeItems(value, indent, writer);
    return;
  }
  writer.add('{');
  let first = true;
  for (const key of Object.keys(value as object)) {
    const item = (value as Record<string, unknown>)[key];
    if (omitted(item)) continue;
    writer.add(`${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `);
    writeValue(item, inner, writer);
    first = false;
  }
  writer.add(`\n${indent}}`);
}

/** The items of a non-empty array (or lazy list), a slice at a time; items that are big themselves one by one. */
function writeItems(list: { length: number; slice(start: number, end: number): unknown[] }, indent: string, writer: PieceWriter): void {
  const inner = `${indent}  `;
  writer.add('[');
  for (let at = 0; at < list.length; at += SLICE) {
    const slice = list.slice(at, at + SLICE);
    writer.add(at === 0 ? '' : ',');
    if (slice.some((item) => isBig(item))) {
      slice.forEach((item, i) => {
        writer.add(`${i === 0 ? '' : ','}\n${inner}`);
        writeValue(omitted(item) ? null : item, inner, writer);
      });
      continue;
    }
    // Small items a slice at a time: "[\n  a,\n  b\n]" is the items at one level in, with the brackets around.
    const text = JSON.stringify(slice, null, 2);
    writer.add((indent === '' ? text : text.replace(/\n/g, `\n${indent}`)).slice(1, -(indent.length + 2)));
  }
  writer.add(`\n${indent}]`);
}
