import { QuerySyntaxError } from './ast';
import { tokenize, type Token } from './lexer';
import { quoteValue } from './pattern';

/**
 * Edits of a query's text that the viewer asks for (a facet click, a time brush on the timeline), made
 * here with the query language's own lexer so the viewer needs no knowledge of its syntax.
 */

/** The query with `field:value` (or `-field:value` to exclude it) added, the value quoted as it needs. */
export function addFilter(query: string, field: string, value: string, exclude: boolean): string {
  return `${query.trim()} ${exclude ? '-' : ''}${field}:${quoteValue(value)}`.trim();
}

/** One time range at a time: the query without its after:/before: terms (negated ones too), then the range. */
export function setTimeRange(query: string, after: string, before: string): string {
  return `${withoutTerms(query, TIME_RANGE_FIELDS)} after:${after} before:${before}`.trim();
}

const TIME_RANGE_FIELDS = new Set(['after', 'before']);

/**
 * `query` without the terms of `fields` (each `field:value` with a `-` before it), spaces around them
 * collapsed. A text the lexer cannot read (an open quote) is kept whole: it has an error to show anyway.
 */
function withoutTerms(query: string, fields: ReadonlySet<string>): string {
  let tokens: Token[];
  try {
    tokens = tokenize(query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return query.trim();
    throw error;
  }
  const kept: string[] = [];
  let from = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type !== 'field' || token.op !== ':' || !fields.has(token.name)) continue;
    const start = tokens[i - 1]?.type === '-' ? tokens[i - 1]!.offset : token.offset;
    // The term ends with its value, or with the ")" of its list of values.
    let last = i + 1;
    if (tokens[last]?.type === '(') while (last < tokens.length - 1 && tokens[last]!.type !== ')') last++;
    const end = tokens[last]!.type === ')' ? tokens[last]!.offset + 1 : (tokens[last + 1]?.offset ?? query.length);
    kept.push(query.slice(from, start));
    from = end;
    i = last;
  }
  kept.push(query.slice(from));
  return kept
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
}
