// Completion for the viewer's query bar: which word the cursor is in (found with the query lexer
// itself, so completion and parsing agree on where a field, a value or a list starts), then field
// names and keywords, or the values an index field has in this log, most frequent first.
import type { ViewerCompletion, ViewerCompletionItem } from '../../protocol/logViewer';
import { execCommand } from '../execCommand';
import { timeOrder, timeSpan, type LogIndex } from '../index';
import { GROUP_SEPARATOR, NUM, STRING_COLUMN_INDEX, type StringColumn } from '../index/schema';
import { QuerySyntaxError } from '../query/ast';
import { INDEX_FIELDS, type IndexField } from '../query/fields';
import { tokenize, type Token } from '../query/lexer';
import { compilePattern, quoteValue } from '../query/pattern';
import { isPathPrefix, pathKeyItems } from './pathKeyCompletion';

/** Values offered at most. */
export const MAX_VALUE_ITEMS = 50;

/**
 * Stands for the cursor in the text given to the lexer: a character no query contains, that is no
 * field character, space or bracket, so the word before the cursor always ends in a value token.
 */
const CURSOR = '\uE000';

const DURATIONS: [string, string][] = [
  ['15m', 'the last 15 minutes'],
  ['1h', 'the last hour'],
  ['24h', 'the last 24 hours'],
  ['7d', 'the last 7 days'],
];

const TIME_TERMS: ViewerCompletionItem[] = [
  { label: 'after:', insert: 'after:', detail: 'requests received at or after a time (2026-02-22T10:00Z)', kind: 'keyword' },
  { label: 'before:', insert: 'before:', detail: 'requests received before a time', kind: 'keyword' },
  { label: 'last:', insert: 'last:', detail: 'requests of the last 15m, 1h, 24h, 7d (before now)', kind: 'keyword' },
];

const PATH_STARTERS: [string, string][] = [
  ['requestObject.', 'JSON path into the request body'],
  ['responseObject.', 'JSON path into the response body'],
  ['annotations["authorization.k8s.io/decision"]:', 'authorization decision annotation'],
  ['annotations["authorization.k8s.io/reason"]:', 'authorization reason annotation'],
  ['annotations["pod-security.kubernetes.io/enforce-policy"]:', 'Pod Security enforcement annotation'],
  ['user.extra.', 'extra attributes of the user (JSON path)'],
  ['objectRef.', 'JSON path into objectRef'],
  ['responseStatus.', 'JSON path into responseStatus'],
  ['podSpec.', 'pod spec in the body of Pods and every workload template'],
];

const QUANTIFIERS: [string, string][] = [
  ['all(', 'every value of a JSON path term: -all(podSpec.allContainers[].image:registry.k8s.io/*) is "some image is not"'],
  ['any(', 'some value of a JSON path term (the same as the term alone)'],
];

/** Index fields whose values can be listed, and where they come from. */
export type ValueSource = StringColumn | 'code' | 'command';

/**
 * Where completion finds a log's values: the local index (indexCompletionValues), or a store that
 * answers by GROUP BY. `typedParts` (the typed value split at `*`) lets a store send back only the
 * values that can be offered; the index lists them all once and keeps the list.
 */
export interface CompletionValues {
  /** Values of a field with their request counts, most frequent first. */
  counted(source: ValueSource, typedParts: readonly string[]): readonly Counted[] | Promise<readonly Counted[]>;
  /** Epoch ms of the first and last request with a time, or null when none has one. */
  timeBounds(): TimeBounds | null | Promise<TimeBounds | null>;
}

export interface TimeBounds {
  first: number;
  last: number;
}

/** Completion of a local log's values from its index. */
export function indexCompletionValues(index: LogIndex): CompletionValues {
  return { counted: (source) => countedValues(index, source), timeBounds: () => indexTimeBounds(index) };
}

function valueSource(field: IndexField, typed: string): ValueSource | undefined {
  switch (field.name) {
    case 'resource':
      // A value with "/" compares with resource/subresource (as the query does).
      return typed.includes('/') ? 'resourcePath' : 'resource';
    case 'code':
    case 'command':
      return field.name;
    default:
      return field.name in STRING_COLUMN_INDEX ? (field.name as StringColumn) : undefined;
  }
}

/**
 * Completion for the word at `cursor` of a query, with the values of `index`; `samples` (decoded
 * events of the current result) give the keys of a JSON path being typed (see pathPrefixAt).
 */
export async function completeQuery(values: CompletionValues, text: string, cursor: number, samples: readonly Record<string, unknown>[] = []): Promise<ViewerCompletion> {
  cursor = Math.max(0, Math.min(cursor, text.length));
  const none = { from: cursor, to: cursor, items: [] };
  const word = wordAt(text, cursor);
  if (!word) return none;
  const { token, tokens, at, from } = word;
  const typedParts = token.value.parts.map((part) => part.replace(CURSOR, ''));
  const to = typedParts.join('') === '' && !token.quoted ? cursor : tokenEnd(text, from, cursor);
  const owner = owningField(tokens, at);
  if (owner) return { from, to, items: await valueItems(values, owner.name, owner.op, typedParts) };
  if (token.quoted) return none; // quoted free text
  const typed = text.slice(from, cursor);
  // Right after a closing ")" or quote no word is being typed (the next term needs a space first).
  if (typed === '' && (text[cursor - 1] === ')' || text[cursor - 1] === '"')) return none;
  if (isPathPrefix(typed)) return { from, to, items: pathKeyItems(typed, samples) };
  return { from, to, items: wordItems(typed, tokens[at - 1]) };
}

/** The JSON path being typed at `cursor` (`requestObject.spec.co`), whose keys need sample events; null otherwise. */
export function pathPrefixAt(text: string, cursor: number): string | null {
  const word = wordAt(text, Math.max(0, Math.min(cursor, text.length)));
  if (!word || word.token.quoted || owningField(word.tokens, word.at)) return null;
  const typed = text.slice(word.from, cursor);
  return isPathPrefix(typed) ? typed : null;
}

/** The value token that holds the cursor, with the tokens before it. */
function wordAt(text: string, cursor: number): { token: Extract<Token, { type: 'value' }>; tokens: Token[]; at: number; from: number } | null {
  const tokens = tokensBeforeCursor(text, cursor);
  if (!tokens) return null;
  const at = tokens.length - 2; // the last token before eof: the word that holds the cursor
  const token = tokens[at];
  if (!token || token.type !== 'value' || !token.value.source.includes(CURSOR)) return null;
  return { token, tokens, at, from: token.offset };
}

/** Tokens of the text up to the cursor (an open quote closed there), or null when it cannot be read. */
function tokensBeforeCursor(text: string, cursor: number): Token[] | null {
  const head = text.slice(0, cursor) + CURSOR;
  for (const tail of ['', '"']) {
    try {
      return tokenize(head + tail);
    } catch (error) {
      if (!(error instanceof QuerySyntaxError)) throw error;
    }
  }
  return null;
}

/** Where a token ends. */
function endOf(token: Token): number {
  switch (token.type) {
    case 'value':
      return token.offset + token.value.source.length;
    case 'field':
      return token.offset + token.name.length + token.op.length;
    case 'quantifier':
      return token.offset + token.name.length;
    case 'eof':
      return token.offset;
    default:
      return token.offset + token.type.length;
  }
}

/**
 * Where the word that starts at `from` ends in the whole text (the cursor can be in its middle). The
 * lexer says, unless the whole text does not lex (yet): then the word ends at a space or ")".
 */
function tokenEnd(text: string, from: number, cursor: number): number {
  try {
    const token = tokenize(text).find((t) => t.offset === from && t.type !== 'eof');
    if (token) return Math.max(cursor, endOf(token));
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
  }
  let end = cursor;
  while (end < text.length && !/[\s)]/.test(text[end]!)) end++;
  return end;
}

/** The field whose value the token at `at` is: right after `field:`, or in its list `field:(a OR b`. */
function owningField(tokens: Token[], at: number): { name: string; op: string } | undefined {
  const value = tokens[at]!;
  const before = tokens[at - 1];
  if (before?.type === 'field' && endOf(before) === value.offset) return { name: before.name, op: before.op };
  let i = at - 1;
  while (i >= 0 && (tokens[i]!.type === 'value' || tokens[i]!.type === 'OR')) i--;
  const open = tokens[i];
  const field = tokens[i - 1];
  if (open?.type === '(' && field?.type === 'field' && endOf(field) === open.offset) return { name: field.name, op: field.op };
  return undefined;
}

/** Field names, time terms, JSON path starters and keywords that start with the typed word. */
function wordItems(typed: string, previous: Token | undefined): ViewerCompletionItem[] {
  const prefix = typed.toLowerCase();
  const matches = (name: string) => name.toLowerCase().startsWith(prefix);
  const items: ViewerCompletionItem[] = [];
  for (const field of INDEX_FIELDS) {
    const insert = fieldInsert(field);
    if (matches(field.name)) {
      items.push({ label: insert, insert, detail: field.description, kind: 'field' });
      continue;
    }
    // An alias only when the name itself does not match (`ns` offers `ns:`).
    const alias = prefix !== '' ? field.aliases.find(matches) : undefined;
    if (alias) items.push({ label: `${alias}:`, insert: `${alias}:`, detail: `${field.name}: ${field.description}`, kind: 'field' });
  }
  items.push(...TIME_TERMS.filter((item) => matches(item.label)));
  for (const [path, detail] of PATH_STARTERS) if (prefix !== '' && matches(path)) items.push({ label: path, insert: path, detail, kind: 'field' });
  for (const [quantifier, detail] of QUANTIFIERS) if (prefix !== '' && matches(quantifier)) items.push({ label: quantifier, insert: quantifier, detail, kind: 'keyword' });
  // AND / OR join two terms: offered after a term, not at the start, after "(", "-", NOT, AND or OR.
  const afterTerm = previous !== undefined && (previous.type === 'value' || previous.type === ')');
  if (afterTerm) {
    for (const keyword of ['AND', 'OR']) if (matches(keyword)) items.push({ label: keyword, insert: `${keyword} `, kind: 'keyword' });
  }
  return items;
}

/** `time` and `latency` are compared rather than matched. */
function fieldInsert(field: IndexField): string {
  if (field.type === 'time' || field.name === 'latency') return `${field.name}>=`;
  return `${field.name}:`;
}

async function valueItems(values: CompletionValues, name: string, op: string, typedParts: string[]): Promise<ViewerCompletionItem[]> {
  if (op !== ':' && op !== '=' && op !== '!=') return [];
  if (name === 'last') {
    const typed = typedParts.join('*');
    return DURATIONS.filter(([value]) => value.startsWith(typed)).map(([value, detail]) => ({ label: value, insert: value, detail, kind: 'value' }));
  }
  if (name === 'after' || name === 'before') return timeItems(await values.timeBounds()).filter((item) => item.insert.startsWith(typedParts.join('*')));
  const field = INDEX_FIELDS.find((f) => f.name === name || f.aliases.includes(name));
  const source = field ? valueSource(field, typedParts.join('')) : undefined;
  if (!source) return [];
  const counted = await values.counted(source, typedParts);
  return pickValues(counted, typedParts).map(({ value, count }) => ({
    label: value === '' ? '""' : value,
    insert: quoteValue(value),
    detail: count.toLocaleString('en-US'),
    kind: 'value',
  }));
}

/** The times of the log's first and last request (time order puts rows without a time last). */
function indexTimeBounds(index: LogIndex): TimeBounds | null {
  return timeSpan(index);
}

function timeItems(bounds: TimeBounds | null): ViewerCompletionItem[] {
  if (bounds === null) return [];
  const item = (t: number, detail: string): ViewerCompletionItem => ({ label: new Date(t).toISOString(), insert: new Date(t).toISOString(), detail, kind: 'value' });
  return [item(bounds.first, 'the first request of the log'), item(bounds.last, 'the last request of the log')];
}

/**
 * Values that start with the typed text, then values that contain it (case-insensitive), most
 * frequent first. A typed `*` is a wildcard: then values the typed pattern starts (case-sensitive).
 */
function pickValues(counted: readonly Counted[], typedParts: string[]): Counted[] {
  if (typedParts.length > 1) {
    const test = compilePattern({ parts: [...typedParts, ''], source: '', offset: 0 });
    const picked: Counted[] = [];
    for (const entry of counted) {
      if (!test(entry.value)) continue;
      picked.push(entry);
      if (picked.length >= MAX_VALUE_ITEMS) break;
    }
    return picked;
  }
  const typed = typedParts[0]!.toLowerCase();
  const starting: Counted[] = [];
  const containing: Counted[] = [];
  for (const entry of counted) {
    const lower = (entry.lower ??= entry.value.toLowerCase());
    if (lower.startsWith(typed)) {
      starting.push(entry);
      if (starting.length >= MAX_VALUE_ITEMS) break;
    } else if (containing.length < MAX_VALUE_ITEMS && lower.includes(typed)) {
      containing.push(entry);
    }
  }
  return [...starting, ...containing].slice(0, MAX_VALUE_ITEMS);
}

export interface Counted {
  value: string;
  count: number;
  /** The value in lower case, once it was needed. */
  lower?: string;
}

/** Distinct values with their row counts, most frequent first; kept until the index changes. */
const valueCache = new WeakMap<LogIndex, { version: number; lists: Map<ValueSource, Counted[]> }>();

function countedValues(index: LogIndex, source: ValueSource): Counted[] {
  let cached = valueCache.get(index);
  if (!cached || cached.version !== index.version) {
    cached = { version: index.version, lists: new Map() };
    valueCache.set(index, cached);
  }
  let list = cached.lists.get(source);
  if (!list) {
    list = countValues(index, source);
    cached.lists.set(source, list);
  }
  return list;
}

function countValues(index: LogIndex, source: ValueSource): Counted[] {
  const rows = timeOrder(index); // the live rows (merged halves of a request are not counted twice)
  const counts = new Map<string, number>();
  const add = (value: string, count: number) => counts.set(value, (counts.get(value) ?? 0) + count);
  const list: Counted[] = [];
  if (source === 'code') {
    const codes = index.numbers[NUM.code]!.data;
    const byCode = new Map<number, number>();
    for (let i = 0; i < rows.length; i++) {
      const code = codes[rows[i]!]!;
      if (!Number.isNaN(code)) byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    for (const [code, count] of byCode) add(String(code), count);
  } else {
    const column = STRING_COLUMN_INDEX[source === 'command' ? 'requestURI' : source];
    const ids = index.strings[column]!.data;
    const strings = index.dictionaries[column]!.strings;
    const byId = new Uint32Array(strings.length);
    for (let i = 0; i < rows.length; i++) byId[ids[rows[i]!]!]!++;
    for (let id = 0; id < byId.length; id++) {
      const count = byId[id]!;
      if (count === 0) continue;
      const value = strings[id]!;
      if (source === 'groups') {
        // One key per group list: each group of it counts the list's rows.
        if (value !== '') for (const group of new Set(value.slice(1).split(GROUP_SEPARATOR))) add(group, count);
      } else if (source === 'command') {
        const command = value.includes('command=') ? execCommand(value) : '';
        if (command !== '') add(command, count);
      } else {
        list.push({ value, count }); // one id per distinct string
      }
    }
  }
  for (const [value, count] of counts) list.push({ value, count });
  return list.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}
