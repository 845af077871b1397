import type { NormalizedEvent } from '../normalizedEvent';
import type { AuditRequest } from '../requests';
import type { ComparisonOperator, FieldRef, PathStep, PathTerm, QueryNode, ValuePattern } from './ast';
import { indexField, type IndexField } from './fields';
import { asciiLower, compilePattern, freeTextPattern, type StringTest } from './pattern';
import { resourcePath } from '../requestTarget';
import type { QueryFieldName } from '../../protocol/requestFields';

export type EventPredicate = (event: NormalizedEvent) => boolean;

/** The index fields free text looks in. */
export const FREE_TEXT_FIELDS: readonly QueryFieldName[] = ['user', 'impersonatedUser', 'verb', 'resource', 'subresource', 'namespace', 'name', 'requestURI', 'userAgent', 'sourceIP', 'auditID', 'stage'];

/** Compiles a parsed query into a predicate over one event (closures built once, not per event). */
export function compileQuery(node: QueryNode): EventPredicate {
  switch (node.kind) {
    case 'all':
      return () => true;
    case 'and': {
      const items = cheapestFirst(node.items).map(compileQuery);
      return (e) => items.every((item) => item(e));
    }
    case 'or': {
      const items = cheapestFirst(node.items).map(compileQuery);
      return (e) => items.some((item) => item(e));
    }
    case 'not': {
      const item = compileQuery(node.item);
      return (e) => !item(e);
    }
    case 'match':
      return compileMatch(node.field, node.values);
    case 'compare':
      return compileCompare(node.field, node.op, node.value);
    case 'every': {
      // Every present value satisfies the term = no present value fails it (true when there is none).
      const { path } = node.item.field;
      const holds = pathValueTest(node.item);
      return (e) => !someAtPath(e.event, path, (value) => value !== null && value !== undefined && !holds(value));
    }
    case 'text':
      return compileFreeText(node.value);
  }
}

/** Whether one present (not null) value a path reaches satisfies a path term: the value test of match and compare alike. */
function pathValueTest(term: PathTerm): (value: unknown) => boolean {
  if (term.kind === 'compare') {
    const compare = comparator(term.op, term.value);
    return (value) => typeof value === 'number' && compare(value);
  }
  const test = anyOf(term.values, compilePattern);
  return (value) => test(valueText(value));
}

/**
 * Terms have no side effects, so AND/OR can test them in any order: index fields first, then free
 * text, the decoded exec command, and JSON paths into bodies last. Detector conditions then reject
 * most requests on verb or resource before touching a body.
 */
export function cheapestFirst(items: QueryNode[]): QueryNode[] {
  return items.map((item, i) => ({ item, i, cost: cost(item) })).sort((a, b) => a.cost - b.cost || a.i - b.i).map(({ item }) => item);
}

function cost(node: QueryNode): number {
  switch (node.kind) {
    case 'all':
      return 0;
    case 'not':
      return cost(node.item);
    case 'and':
    case 'or':
      return node.items.reduce((sum, item) => sum + cost(item), 0);
    case 'text':
      return 4;
    case 'compare':
      return node.field.kind === 'path' ? 6 : 1;
    case 'every':
      return 6;
    case 'match':
      if (node.field.kind === 'path') return 6;
      return node.field.name === 'command' ? 5 : 1 + node.values.length / 8;
  }
}

/** A request matches when its most complete stage does (bodies and codes live there). */
export function requestPredicate(predicate: EventPredicate): (request: AuditRequest) => boolean {
  return (request) => predicate(request.primary);
}

function anyOf(values: ValuePattern[], build: (value: ValuePattern) => StringTest): StringTest {
  const tests = values.map(build);
  return tests.length === 1 ? tests[0]! : (value) => tests.some((test) => test(value));
}

function compileMatch(field: FieldRef, values: ValuePattern[]): EventPredicate {
  if (field.kind === 'path') {
    const holds = pathValueTest({ kind: 'match', field, values, offset: 0 });
    return (e) => someAtPath(e.event, field.path, (value) => value !== null && value !== undefined && holds(value));
  }
  const definition = indexField(field.name);
  if (definition.name === 'resource') return compileResourceMatch(values);
  const test = anyOf(values, compilePattern);
  const get = definition.get;
  if (definition.type === 'strings') return (e) => (get(e) as readonly string[]).some(test);
  if (definition.type === 'number') {
    return (e) => {
      const value = get(e) as number | null;
      return test(value === null ? '' : String(value));
    };
  }
  return (e) => test(get(e) as string);
}

/** `resource:pods` matches the resource; `resource:pods/exec` matches resource/subresource. */
function compileResourceMatch(values: ValuePattern[]): EventPredicate {
  const tests = values.map((value) => ({ combined: value.parts.some((part) => part.includes('/')), test: compilePattern(value) }));
  return (e) => tests.some(({ combined, test }) => test(combined ? resourcePath(e) : e.resource));
}

function compileCompare(field: FieldRef, op: ComparisonOperator, limit: number): EventPredicate {
  const compare = comparator(op, limit);
  if (field.kind === 'path') {
    const holds = pathValueTest({ kind: 'compare', field, op, value: limit, offset: 0 });
    return (e) => someAtPath(e.event, field.path, holds);
  }
  const get = (indexField(field.name) as IndexField).get;
  return (e) => {
    const value = get(e);
    return typeof value === 'number' && !Number.isNaN(value) && compare(value);
  };
}

function comparator(op: string, limit: number): (value: number) => boolean {
  switch (op) {
    case '>':
      return (v) => v > limit;
    case '>=':
      return (v) => v >= limit;
    case '<':
      return (v) => v < limit;
    default:
      return (v) => v <= limit;
  }
}

function compileFreeText(value: ValuePattern): EventPredicate {
  const test = compilePattern(freeTextPattern(value));
  const getters = FREE_TEXT_FIELDS.map((name) => indexField(name).get);
  return (e) => getters.some((get) => test(asciiLower(get(e) as string)));
}

/** Text of a JSON value as jq's `tostring` gives it: strings as they are, the rest as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * True when `test` holds for some value reached by one of the path alternatives. With `dottedKeys`,
 * a key that an object lacks is also tried joined with the keys after it, so that
 * `annotations.authorization.k8s.io/decision` reaches the annotation named with dots (table columns
 * use this; queries spell such keys `annotations["authorization.k8s.io/decision"]`, as jq does).
 */
export function someAtPath(root: unknown, path: readonly PathStep[][], test: (value: unknown) => boolean, dottedKeys = false): boolean {
  return path.some((steps) => walk(root, steps, 0, test, dottedKeys));
}

/** Every value the path reaches, in document order (missing branches give nothing). */
export function valuesAtPath(root: unknown, path: readonly PathStep[][], dottedKeys = false): unknown[] {
  const values: unknown[] = [];
  someAtPath(
    root,
    path,
    (value) => {
      if (value !== undefined) values.push(value);
      return false;
    },
    dottedKeys,
  );
  return values;
}

function walk(value: unknown, steps: readonly PathStep[], i: number, test: (value: unknown) => boolean, dottedKeys = false): boolean {
  if (i === steps.length) return test(value);
  if (value === null || typeof value !== 'object') return false;
  const step = steps[i]!;
  if ('key' in step) {
    if (Array.isArray(value)) return false;
    const object = value as Record<string, unknown>;
    if (dottedKeys && !Object.hasOwn(object, step.key)) {
      let key = step.key;
      for (let j = i + 1; j < steps.length; j++) {
        const next = steps[j]!;
        if (!('key' in next)) break;
        key += `.${next.key}`;
        if (Object.hasOwn(object, key)) return walk(object[key], steps, j + 1, test, dottedKeys);
      }
      return false;
    }
    return walk(object[step.key], steps, i + 1, test, dottedKeys);
  }
  if ('index' in step) return Array.isArray(value) && walk(value[step.index], steps, i + 1, test, dottedKeys);
  // `[]` iterates arrays and, as jq's .[] does, the values of an object.
  const items = Array.isArray(value) ? value : Object.values(value);
  return items.some((item) => walk(item, steps, i + 1, test, dottedKeys));
}
