import type { NormalizedEvent } from '../normalizedEvent';
import { QuerySyntaxError, type QueryNode } from '../query/ast';
import { valuesAtPath } from '../query/evaluate';
import { indexField } from '../query/fields';
import { parseQuery } from '../query/parser';
import type { ViewerPathCheck } from '../../protocol/logViewer';

/** Longest cell text sent to the viewer; longer values end with an ellipsis (the details pane has all). */
export const MAX_CELL_CHARS = 200;

/** A table column that shows the value at a JSON path (or a query field) of each request's event. */
export interface PathColumn {
  /** The path as the user wrote it (trimmed): also the column's key in rows. */
  text: string;
  value(event: NormalizedEvent): string;
}

/**
 * Parses a column path with the query language's field parser: a query field name (`user`, `decision`)
 * or a JSON path into the Event (`requestObject.spec.containers[].image`, `user.extra`,
 * `annotations.authorization.k8s.io/decision`, `podSpec.allContainers[].image`).
 */
export function pathColumn(input: string): PathColumn {
  const text = input.trim();
  if (text === '') throw new QuerySyntaxError('enter a JSON path, e.g. requestObject.spec.containers[].image', 0, 0);
  // Spaces and colons only inside ["quoted keys"]: elsewhere the text would be a query, not a path.
  const outsideQuotes = text.replace(/\["[^"]*"\]/g, (quoted) => '_'.repeat(quoted.length));
  if (/[\s:]/.test(outsideQuotes)) {
    const at = outsideQuotes.search(/[\s:]/);
    throw new QuerySyntaxError(`a path has no ${text[at] === ':' ? '":"' : 'spaces'} (quote keys with them: annotations["a b"])`, at, 1);
  }
  // The query parser reads it as the field of `path:x`: the same names, brackets and aliases as queries.
  let node: QueryNode;
  try {
    node = parseQuery(`${text}:x`);
  } catch (error) {
    // The parser's hint about free text does not apply to a column: say what a path starts with.
    if (error instanceof QuerySyntaxError && /^unknown field/.test(error.message)) {
      throw new QuerySyntaxError(`unknown field "${text}": start at a key of the event (requestObject, responseObject, annotations, user, objectRef...) or name a query field`, 0, text.length);
    }
    throw error;
  }
  if (node.kind !== 'match') {
    throw new QuerySyntaxError(`"${text}" is not a path: keys of letters, digits and . _ - / @ $, with [], [0] or ["key"] steps`, 0, text.length);
  }
  const field = node.field;
  if (field.kind === 'index') {
    const definition = indexField(field.name);
    return { text, value: (event) => cellText(fieldValues(definition.type, definition.get(event))) };
  }
  const path = field.path;
  return { text, value: (event) => cellText(valuesAtPath(event.event, path, true)) };
}

/** Parses column paths once each: text -> column, undefined for a text that is not a path (its cells stay empty). */
export function pathColumnCache(): (text: string) => PathColumn | undefined {
  const columns = new Map<string, PathColumn | undefined>();
  return (text) => {
    if (!columns.has(text)) {
      let column: PathColumn | undefined;
      try {
        column = pathColumn(text);
      } catch {
        column = undefined;
      }
      columns.set(text, column);
    }
    return columns.get(text);
  };
}

/** The answer to "can this be a column?", with the parser's message and position when not. */
export function checkPathColumn(input: string): ViewerPathCheck {
  try {
    return { ok: true, path: pathColumn(input).text };
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      const lead = input.length - input.trimStart().length;
      return { ok: false, error: { offset: error.offset + lead, length: error.length, message: error.message } };
    }
    throw error;
  }
}

function fieldValues(type: string, value: string | number | null | readonly string[]): unknown[] {
  if (value === null || value === '') return [];
  if (type === 'time' && typeof value === 'number') return [new Date(value).toISOString()];
  return [value];
}

/**
 * The text of a cell: strings as they are, arrays' items joined with ", ", objects as compact JSON,
 * nulls and missing values as nothing; cut at MAX_CELL_CHARS.
 */
export function cellText(values: readonly unknown[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === null || item === undefined) continue;
      const text = typeof item === 'string' ? item : typeof item === 'object' ? JSON.stringify(item) : String(item);
      parts.push(text);
      length += text.length + 2;
      if (length > MAX_CELL_CHARS) return truncate(parts.join(', '));
    }
  }
  return truncate(parts.join(', '));
}

function truncate(text: string): string {
  if (text.length <= MAX_CELL_CHARS) return text;
  let cut = MAX_CELL_CHARS - 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}
