import { QuerySyntaxError, type ValuePattern } from './ast';

export type FieldOperator = ':' | '=' | '!=' | '>' | '>=' | '<' | '<=';

export type Token =
  | { type: '(' | ')' | 'AND' | 'OR' | 'NOT' | '-' | 'eof'; offset: number }
  /** `all` or `any` written right before "(": a quantifier over the values of one JSON path term. */
  | { type: 'quantifier'; name: 'all' | 'any'; offset: number }
  | { type: 'field'; name: string; op: FieldOperator; offset: number }
  | { type: 'value'; value: ValuePattern; quoted: boolean; offset: number };

const KEYWORDS = new Set(['AND', 'OR', 'NOT']);
const OPERATORS: FieldOperator[] = ['!=', '>=', '<=', ':', '=', '>', '<'];

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isFieldChar(c: string): boolean {
  return /[A-Za-z0-9_.\-/@$]/.test(c);
}

/**
 * Splits a query into tokens. `field:value` is one field token followed by its value; inside
 * `field:( … )` every word is a value, so `user:(system:* OR eks:*)` needs no quotes.
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let valueList = false;
  while (i < query.length) {
    const c = query[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      if (c === ')') valueList = false;
      tokens.push({ type: c, offset: i++ });
      continue;
    }
    if (c === '-' && !valueList && i + 1 < query.length && !isSpace(query[i + 1]!)) {
      tokens.push({ type: '-', offset: i++ });
      continue;
    }
    if (!valueList && (query.startsWith('all(', i) || query.startsWith('any(', i))) {
      tokens.push({ type: 'quantifier', name: query.slice(i, i + 3) as 'all' | 'any', offset: i });
      i += 3;
      continue;
    }
    if (c === '"') {
      const value = readValue(query, i);
      tokens.push({ type: 'value', value: value.pattern, quoted: true, offset: i });
      i = value.end;
      continue;
    }
    const field = valueList ? null : readFieldPrefix(query, i);
    if (field) {
      tokens.push({ type: 'field', name: field.name, op: field.op, offset: i });
      i = field.end;
      if (query[i] === '(' && (field.op === ':' || field.op === '=' || field.op === '!=')) {
        valueList = true;
        continue;
      }
      if (i >= query.length || isSpace(query[i]!) || query[i] === ')') {
        throw new QuerySyntaxError(`missing value after "${field.name}${field.op}"`, field.end - field.op.length, field.op.length);
      }
      const value = readValue(query, i);
      tokens.push({ type: 'value', value: value.pattern, quoted: query[i] === '"', offset: i });
      i = value.end;
      continue;
    }
    const value = readValue(query, i);
    const word = query.slice(i, value.end);
    if (KEYWORDS.has(word)) tokens.push({ type: word as 'AND' | 'OR' | 'NOT', offset: i });
    else tokens.push({ type: 'value', value: value.pattern, quoted: false, offset: i });
    i = value.end;
  }
  tokens.push({ type: 'eof', offset: query.length });
  return tokens;
}

/** `name` + operator at `start`, where a name is path characters and bracketed keys (`a["b.c"]`, `x[]`). */
function readFieldPrefix(query: string, start: number): { name: string; op: FieldOperator; end: number } | null {
  if (!/[A-Za-z_$]/.test(query[start]!)) return null;
  let i = start;
  while (i < query.length) {
    const c = query[i]!;
    if (isFieldChar(c)) {
      i++;
    } else if (c === '[') {
      const close = query[i + 1] === '"' ? query.indexOf('"]', i + 2) : query.indexOf(']', i);
      if (close < 0) return null;
      i = query[i + 1] === '"' ? close + 2 : close + 1;
    } else {
      break;
    }
  }
  for (const op of OPERATORS) {
    if (query.startsWith(op, i)) return { name: query.slice(start, i), op, end: i + op.length };
  }
  return null;
}

/**
 * A bare word (up to a space or `)`) or a "quoted string". `*` is a wildcard in both; a backslash
 * makes the next character literal (`\*` is a star, `\"` a quote).
 */
function readValue(query: string, start: number): { pattern: ValuePattern; end: number } {
  const quoted = query[start] === '"';
  const parts: string[] = [];
  let current = '';
  let i = quoted ? start + 1 : start;
  for (;;) {
    if (i >= query.length) {
      if (quoted) throw new QuerySyntaxError('missing closing quote', start, query.length - start);
      break;
    }
    const c = query[i]!;
    if (quoted ? c === '"' : isSpace(c) || c === ')') {
      if (quoted) i++;
      break;
    }
    if (c === '\\' && i + 1 < query.length) {
      current += query[i + 1];
      i += 2;
      continue;
    }
    if (c === '*') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
    i++;
  }
  parts.push(current);
  return { pattern: { parts, source: query.slice(start, i), offset: start }, end: i };
}
