import type { TextEdit } from 'vscode-languageserver-types';
import type { LineIndexed } from '../policy/yaml/parse';
import type { TreeMap, TreeNode, TreeSeq } from '../policy/yaml/tree';
import { spanRange, type Span } from './source';

/**
 * Text edits that add to or change YAML and JSON in the file's own style: block lists and maps get a
 * new line at the indentation of their siblings, flow collections (JSON) get `, item` before the
 * closing bracket. Values are plain data, written as YAML blocks or as JSON.
 */
export type PlainValue = string | number | boolean | PlainValue[] | { [key: string]: PlainValue };

export function replaceSpan(source: LineIndexed, span: Span, newText: string): TextEdit {
  return { range: spanRange(source, span), newText };
}

export function isFlow(source: LineIndexed, node: TreeNode): boolean {
  const first = source.text[node.start];
  return first === '[' || first === '{';
}

/** A string as YAML writes it: plain when that reads back as the same string, else double-quoted. */
export function yamlString(value: string): string {
  if (/^[A-Za-z0-9/._-][A-Za-z0-9/._=:-]*$/.test(value) && !/^(y|n|yes|no|on|off|true|false|null|~)$/i.test(value) && !/^[-+]?[0-9.]/.test(value) && !value.includes(': ')) return value;
  return JSON.stringify(value);
}

function scalarText(value: string | number | boolean): string {
  return typeof value === 'string' ? yamlString(value) : String(value);
}

/** Block YAML lines for a value that is a map or a list (no trailing newline, no indentation). */
export function yamlLines(value: PlainValue): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item !== 'object') return [`- ${scalarText(item)}`];
      const [first, ...rest] = yamlLines(item);
      return [`- ${first}`, ...rest.map((line) => `  ${line}`)];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => {
      if (typeof item !== 'object') return [`${key}: ${scalarText(item)}`];
      if (Array.isArray(item) && item.length === 0) return [`${key}: []`];
      return [`${key}:`, ...yamlLines(item).map((line) => `  ${line}`)];
    });
  }
  return [scalarText(value)];
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The "-" of a block list item, when the item is written on the dash's line. */
function dashOf(text: string, item: TreeNode): number | undefined {
  let at = item.start - 1;
  while (at >= 0 && text[at] === ' ') at--;
  return at >= 0 && text[at] === '-' ? at : undefined;
}

/** Appends an item to a list: `- item` lines in a block list, `, item` (JSON) in a flow list. */
export function appendToSeq(source: LineIndexed, seq: TreeSeq, item: PlainValue): TextEdit {
  const text = source.text;
  if (isFlow(source, seq)) {
    const close = text.lastIndexOf(']', seq.end);
    const last = seq.items[seq.items.length - 1];
    if (!last) return replaceSpan(source, { start: close, end: close }, JSON.stringify(item));
    const { separator, indent } = flowSeparator(source, seq, last);
    return replaceSpan(source, { start: last.end, end: last.end }, `${separator}${flowJson(source, seq, item, indent)}`);
  }
  const first = seq.items[0]!;
  const dash = dashOf(text, first) ?? first.start;
  const indent = ' '.repeat(columnOf(text, dash));
  const lines = typeof item === 'object' ? prefixFirst(yamlLines(item), '- ', '  ') : [`- ${scalarText(item)}`];
  const last = seq.items[seq.items.length - 1]!;
  return replaceSpan(source, { start: last.end, end: last.end }, lines.map((line) => `\n${indent}${line}`).join(''));
}

/** Adds `key: value` to a map, after its last entry (block) or before its closing brace (flow/JSON). */
export function addToMap(source: LineIndexed, map: TreeMap, key: string, value: PlainValue): TextEdit {
  const text = source.text;
  if (isFlow(source, map)) {
    const last = map.entries[map.entries.length - 1];
    const quoteKeys = !last || text[last.keyStart] === '"';
    const name = quoteKeys ? JSON.stringify(key) : key;
    if (!last) {
      const close = text.lastIndexOf('}', map.end);
      return replaceSpan(source, { start: close, end: close }, `${name}: ${JSON.stringify(value)}`);
    }
    const { separator, indent } = flowSeparator(source, map, { start: last.keyStart });
    const end = Math.max(last.keyEnd, last.value.end);
    return replaceSpan(source, { start: end, end }, `${separator}${name}: ${flowJson(source, map, value, indent)}`);
  }
  const first = map.entries[0]!;
  const indent = ' '.repeat(columnOf(text, first.keyStart));
  const lines = typeof value === 'object' && !(Array.isArray(value) && value.length === 0) ? [`${key}:`, ...yamlLines(value).map((line) => `  ${line}`)] : [`${key}: ${typeof value === 'object' ? '[]' : scalarText(value)}`];
  const end = lastEnd(map);
  return replaceSpan(source, { start: end, end }, lines.map((line) => `\n${indent}${line}`).join(''));
}

/** Where a block map's text ends: its last entry's value (or key, for an empty value). */
function lastEnd(map: TreeMap): number {
  let end = map.start;
  for (const entry of map.entries) end = Math.max(end, entry.keyEnd, entry.value.end);
  return end;
}

/** Creates `path[0]: {path[1]: ... value}` under a map. */
export function addPathToMap(source: LineIndexed, map: TreeMap, path: readonly string[], value: PlainValue): TextEdit {
  let nested: PlainValue = value;
  for (let i = path.length - 1; i >= 1; i--) nested = { [path[i]!]: nested };
  return addToMap(source, map, path[0]!, nested);
}

function prefixFirst(lines: string[], first: string, rest: string): string[] {
  return lines.map((line, index) => (index === 0 ? first : rest) + line);
}

/** JSON for a flow collection: compact in a one-line collection, else pretty and indented like `indent`. */
function flowJson(source: LineIndexed, collection: TreeNode, value: PlainValue, indent = ''): string {
  const oneLine = !source.text.slice(collection.start, collection.end).includes('\n');
  if (oneLine || typeof value !== 'object') return JSON.stringify(value);
  return JSON.stringify(value, null, 2).split('\n').join(`\n${indent}`);
}

/** The separator before a new item after `last` in a flow collection: `, ` on one line, `,\n  ` when items are on lines of their own. */
function flowSeparator(source: LineIndexed, collection: TreeNode, last: { start: number }): { separator: string; indent: string } {
  const multiLine = source.text.slice(collection.start, collection.end).includes('\n');
  if (!multiLine) return { separator: ', ', indent: '' };
  const indent = ' '.repeat(columnOf(source.text, last.start));
  return { separator: `,\n${indent}`, indent };
}
