import type { ComparisonOperator, FieldRef, JsonPath, QueryNode, ValuePattern } from '../auditlog/query/ast';
import { FREE_TEXT_FIELDS } from '../auditlog/query/evaluate';
import { indexField } from '../auditlog/query/fields';
import { freeTextPattern, isExistencePattern } from '../auditlog/query/pattern';
import { re2Literal, sqlNumber, sqlString } from './sqlText';

/**
 * A query as SQL conditions on the events table. `exact` terms decide in SQL exactly as the file
 * engine does. JSON path terms cannot (18.16 has no JSON paths): for them `upper` is a necessary
 * condition (the raw event contains the keys and the literal text) and `lower` a sufficient one
 * (false), so `upper` prefilters the rows and the product's own evaluator decides on the raw events
 * of the rows where `upper` holds and `lower` does not. With `exact`, `upper` and `lower` are equal.
 */
export interface SqlCondition {
  upper: string;
  lower: string;
  exact: boolean;
}

const TRUE = '1';
const FALSE = '0';

/** Index fields whose column has another name (the rest are columns of the same name). */
const COLUMN_OF: Record<string, string> = { latency: 'latencyMs', time: 'timeMs' };

export function compileSql(node: QueryNode): SqlCondition {
  switch (node.kind) {
    case 'all':
      return exact(TRUE);
    case 'and': {
      const items = node.items.map(compileSql);
      return { upper: and(items.map((i) => i.upper)), lower: and(items.map((i) => i.lower)), exact: items.every((i) => i.exact) };
    }
    case 'or': {
      const items = node.items.map(compileSql);
      return { upper: or(items.map((i) => i.upper)), lower: or(items.map((i) => i.lower)), exact: items.every((i) => i.exact) };
    }
    case 'not': {
      const item = compileSql(node.item);
      return { upper: not(item.lower), lower: not(item.upper), exact: item.exact };
    }
    case 'match':
      return node.field.kind === 'path' ? { upper: pathPrefilter(node.field.path, node.values), lower: FALSE, exact: false } : exact(matchIndexField(node.field, node.values));
    case 'compare':
      return node.field.kind === 'path' ? { upper: pathPrefilter(node.field.path, []), lower: FALSE, exact: false } : exact(compareIndexField(node.field.name, node.op, node.value));
    case 'text':
      return exact(freeText(node.value));
    case 'every':
      // "Every value the path reaches matches" holds for a row whose event lacks the path too, so no
      // text in the raw event is necessary: every row is a candidate and the evaluator decides.
      return { upper: TRUE, lower: FALSE, exact: false };
  }
}

function exact(sql: string): SqlCondition {
  return { upper: sql, lower: sql, exact: true };
}

function and(items: string[]): string {
  if (items.includes(FALSE)) return FALSE;
  const kept = items.filter((item) => item !== TRUE);
  return kept.length === 0 ? TRUE : kept.length === 1 ? kept[0]! : `(${kept.join(' AND ')})`;
}

function or(items: string[]): string {
  if (items.includes(TRUE)) return TRUE;
  const kept = items.filter((item) => item !== FALSE);
  return kept.length === 0 ? FALSE : kept.length === 1 ? kept[0]! : `(${kept.join(' OR ')})`;
}

function not(item: string): string {
  return item === TRUE ? FALSE : item === FALSE ? TRUE : `NOT ${item}`;
}

/**
 * `value` matched as compilePattern does (whole value, case-sensitive, `*` any text): the same
 * shapes, as plain comparisons where possible (RE2 only for several wildcards).
 */
export function patternSql(value: string, pattern: ValuePattern): string {
  const parts = pattern.parts;
  if (isExistencePattern(pattern)) return `(${value} != '')`;
  if (parts.length === 1) return `(${value} = ${sqlString(parts[0]!)})`;
  if (parts.length === 2 && parts[1] === '') return `startsWith(${value}, ${sqlString(parts[0]!)})`;
  if (parts.length === 2 && parts[0] === '') return `endsWith(${value}, ${sqlString(parts[1]!)})`;
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') return `(position(${value}, ${sqlString(parts[1]!)}) > 0)`;
  return `match(${value}, ${sqlString(`(?s)^${parts.map(re2Literal).join('.*')}$`)})`;
}

function anyPattern(value: string, values: readonly ValuePattern[]): string {
  return or(values.map((pattern) => patternSql(value, pattern)));
}

function matchIndexField(field: Extract<FieldRef, { kind: 'index' }>, values: readonly ValuePattern[]): string {
  const definition = indexField(field.name);
  const name = definition.name;
  if (name === 'resource') {
    // `resource:pods/exec` is about resource/subresource; `resource:pods` about the resource alone.
    return or(values.map((pattern) => patternSql(pattern.parts.some((part) => part.includes('/')) ? "if(subresource != '', concat(resource, '/', subresource), resource)" : 'resource', pattern)));
  }
  if (definition.type === 'strings') return `arrayExists(item -> ${anyPattern('item', values)}, ${name})`;
  // Numbers match as the text the file engine makes of them ('' when absent).
  if (name === 'code') return anyPattern('codeText', values);
  if (definition.type === 'number') return anyPattern(`ifNull(toString(${COLUMN_OF[name] ?? name}), '')`, values);
  return anyPattern(name, values);
}

const MAX_DATETIME_S = 4294967295;

function compareIndexField(name: string, op: ComparisonOperator, limit: number): string {
  const column = COLUMN_OF[name] ?? name;
  // A missing value compares false, also under NOT (NULL would make NOT unknown too).
  const exactTest = `ifNull(${column} ${op} ${sqlNumber(limit)}, 0)`;
  if (name !== 'time') return exactTest;
  // The partition and sort key is the second (clamped like the stored value), so a time range prunes.
  const second = Math.min(MAX_DATETIME_S, Math.max(0, Math.floor(limit / 1000)));
  const coarse = op === '>' || op === '>=' ? `ts >= toDateTime(${second})` : `ts <= toDateTime(${second})`;
  return `(${coarse} AND ${exactTest})`;
}

function freeText(value: ValuePattern): string {
  const pattern = freeTextPattern(value);
  // lower() changes A-Z only, as asciiLower does.
  return or(FREE_TEXT_FIELDS.map((name) => patternSql(`lower(${name})`, pattern)));
}

/**
 * What a raw event must contain for a JSON path term to hold on it: each key of the path as
 * `"key":` (the raw event is our own JSON.stringify, so keys are written exactly so), and each
 * literal part of the value (as written in a JSON string, or as is for numbers, booleans and
 * objects, whose text the value test sees as JSON). Any of the path's alternatives.
 */
function pathPrefilter(path: JsonPath, values: readonly ValuePattern[]): string {
  const valueNeedles = values.length === 0 ? TRUE : or(values.map((pattern) => and(pattern.parts.filter((part) => part !== '' && !LONE_SURROGATE.test(part)).map(literalNeedle))));
  return or(path.map((steps) => and([...steps.flatMap((step) => ('key' in step ? [contains(`${JSON.stringify(step.key)}:`)] : [])), valueNeedles])));
}

const LONE_SURROGATE = /[\ud800-\udfff]/;

function literalNeedle(part: string): string {
  const escaped = JSON.stringify(part).slice(1, -1);
  return escaped === part ? contains(part) : or([contains(part), contains(escaped)]);
}

function contains(needle: string): string {
  return `(position(raw, ${sqlString(needle)}) > 0)`;
}
