// Large JSON reports (scan's detections, its SARIF results) written in pieces: the same bytes as
// `${JSON.stringify(value, null, 2)}\n`, without building the whole text as one string (for a scan of
// a few GB that string alone was hundreds of MB), and no faster than the reader of the output takes it.

import { LazyList } from '../lazyList';

/** stdout, or anything with write (a test's collector); `writableNeedDrain` and events when it is a stream. */
export type Output = { write(text: string | Uint8Array): unknown; writableNeedDrain?: boolean; writableLength?: number; once?: (event: 'drain', listener: () => void) => unknown };

/**
 * An array whose items are JSON text already (scan's detections, rendered where they were found):
 * written as its bytes where its items sit at `itemIndent`; JSON.stringify writes the items toJSON gives,
 * the same text.
 */
export abstract class PrerenderedArray<T> {
  abstract readonly length: number;
  /** Where the items' text is indented: the array must be written where its items sit there. */
  abstract readonly itemIndent: string;
  /**
   * The items' UTF-8 text: each after a comma, a line break and `itemIndent`, the first without its
   * comma. `released()` says, after each piece, whether it was written out (its memory may be used again).
   */
  abstract chunks(released?: () => boolean): Iterable<Uint8Array>;
  abstract toJSON(): T[];
}

/** Arrays longer than this are written element by element (and the containers holding them, key by key). */
const BIG_ARRAY = 64;
const FLUSH_CHARS = 64 * 1024;
/** Items stringified at once when none of them is big. */
const SLICE = 256;

/**
 * Resolves when the output can take more (a pipe whose reader is slower than us is full): what was
 * written and not yet taken stays in memory until then. Null when it can take more now.
 */
export function drained(out: Output): Promise<void> | null {
  const { once } = out;
  // (A reader that goes away ends the process: cli.ts, on EPIPE.)
  return out.writableNeedDrain === true && once ? new Promise((resolve) => once.call(out, 'drain', () => resolve())) : null;
}

/** Writes `${JSON.stringify(value, null, 2)}\n` to `out` in pieces of about 64 KiB. */
export async function writeJson(value: unknown, out: Output): Promise<void> {
  let pending: string[] = [];
  let chars = 0;
  const flush = async () => {
    if (pending.length > 0) out.write(pending.join(''));
    pending = [];
    chars = 0;
    const waiting = drained(out);
    if (waiting) await waiting;
  };
  // A piece is written out when nothing is left in the stream (a file, or a pipe after it drained below).
  const released = () => out.writableLength === 0;
  for (const piece of pieces(value, '', released)) {
    if (typeof piece === 'string') {
      pending.push(piece);
      chars += piece.length;
    } else {
      // Bytes (a prerendered array's) go out as they are, after the text before them.
      if (pending.length > 0) out.write(pending.join(''));
      pending = [];
      out.write(piece);
      chars += piece.length;
    }
    if (chars >= FLUSH_CHARS) await flush();
  }
  pending.push('\n');
  await flush();
}

/** Plain arrays and objects (no toJSON) that hold a big array somewhere in their first levels. */
function isBig(value: unknown, depth = 3): boolean {
  if (value instanceof LazyList || value instanceof PrerenderedArray) return value.length > BIG_ARRAY;
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

/** The text of `value` at `indent`, in pieces. */
function* pieces(value: unknown, indent: string, released?: () => boolean): Generator<string | Uint8Array> {
  if (value instanceof PrerenderedArray && value.length > 0) {
    if (value.itemIndent !== `${indent}  `) throw new Error(`a prerendered array for items at "${value.itemIndent}" written at "${indent}  "`);
    yield '[';
    yield* value.chunks(released);
    yield `\n${indent}]`;
    return;
  }
  if ((value instanceof LazyList && value.length > 0) || (Array.isArray(value) && isBig(value))) {
    yield* itemPieces(value as { length: number; slice(start: number, end: number): unknown[] }, indent, released);
    return;
  }
  if (!isBig(value)) {
    const text = JSON.stringify(value, null, 2);
    // A JSON string never holds a raw line break: every one is between values, where the indent goes.
    yield indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
    return;
  }
  const inner = `${indent}  `;
  yield '{';
  let first = true;
  for (const key of Object.keys(value as object)) {
    const item = (value as Record<string, unknown>)[key];
    if (omitted(item)) continue;
    yield `${first ? '' : ','}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(item, inner, released);
    first = false;
  }
  yield `\n${indent}}`;
}

/** The items of a non-empty array (or lazy list), a slice at a time; items that are big themselves one by one. */
function* itemPieces(list: { length: number; slice(start: number, end: number): unknown[] }, indent: string, released?: () => boolean): Generator<string | Uint8Array> {
  const inner = `${indent}  `;
  yield '[';
  for (let at = 0; at < list.length; at += SLICE) {
    const slice = list.slice(at, at + SLICE);
    if (at > 0) yield ',';
    if (slice.some((item) => isBig(item))) {
      for (let i = 0; i < slice.length; i++) {
        yield `${i === 0 ? '' : ','}\n${inner}`;
        yield* pieces(omitted(slice[i]) ? null : slice[i], inner, released);
      }
      continue;
    }
    // Small items a slice at a time, nested as deep as `indent` so JSON.stringify indents them (no
    // second pass over the text to indent it): the items are what lies between the slice's brackets.
    const text = JSON.stringify(nested(slice, indent), null, 2);
    const { before, after } = brackets(indent);
    yield text.slice(before, text.length - after);
  }
  yield `\n${indent}]`;
}

/** `items` inside arrays, one per level of `indent` (two spaces): stringified, its items sit at `indent` and two spaces. */
function nested(items: unknown[], indent: string): unknown[] {
  let value = items;
  for (let level = 0; level < indent.length; level += 2) value = [value];
  return value;
}

/** Characters of nested(items, indent)'s text before its first item's line break, and after its last item. */
function brackets(indent: string): { before: number; after: number } {
  const text = JSON.stringify(nested([0], indent), null, 2);
  const item = `\n${indent}  0`;
  const before = text.indexOf(item);
  return { before, after: text.length - before - item.length };
}
