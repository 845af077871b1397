import { execCommand } from '../execCommand';
import type { FieldRef, QueryNode, ValuePattern } from '../query/ast';
import { cheapestFirst, FREE_TEXT_FIELDS } from '../query/evaluate';
import { indexField } from '../query/fields';
import { asciiLower, compilePattern, freeTextPattern, type StringTest } from '../query/pattern';
import type { RowColumns } from './rowColumns';
import { COLUMN_ANNOTATIONS, FLAG_IMPERSONATED_USER, FLAG_OTHER_ANNOTATIONS, FLAG_REQUEST_OBJECT, FLAG_RESPONSE_OBJECT, GROUP_SEPARATOR, NUM, STRING_COLUMN_INDEX, type StringColumn } from './schema';
import type { JsonPath } from '../query/ast';

/** Three-valued answer for one row: the index decides, or only the request's body can. */
export const NO = 0;
export const YES = 1;
export const BODY = 2;
export type Answer = typeof NO | typeof YES | typeof BODY;
export type RowTest = (row: number) => Answer;

/**
 * Evaluates a parsed query against the index columns, with the semantics of query/evaluate.ts: the
 * same patterns (compilePattern) applied to the same values, but tested once per distinct dictionary
 * string instead of once per row. Terms on JSON paths (bodies) answer BODY; AND/OR/NOT combine the
 * three values (Kleene logic), so a row is YES or NO whenever the index fields alone settle it, and
 * BODY rows are re-read and decided by the streaming evaluator itself (see bodyCheck.ts).
 */
export function compileIndexPredicate(node: QueryNode, index: RowColumns): RowTest {
  switch (node.kind) {
    case 'all':
      return () => YES;
    case 'and': {
      const items = cheapestFirst(node.items).map((item) => compileIndexPredicate(item, index));
      return (row) => {
        let answer: Answer = YES;
        for (const item of items) {
          const value = item(row);
          if (value === NO) return NO;
          if (value === BODY) answer = BODY;
        }
        return answer;
      };
    }
    case 'or': {
      const items = cheapestFirst(node.items).map((item) => compileIndexPredicate(item, index));
      return (row) => {
        let answer: Answer = NO;
        for (const item of items) {
          const value = item(row);
          if (value === YES) return YES;
          if (value === BODY) answer = BODY;
        }
        return answer;
      };
    }
    case 'not': {
      const item = compileIndexPredicate(node.item, index);
      return (row) => {
        const value = item(row);
        return value === BODY ? BODY : value === YES ? NO : YES;
      };
    }
    case 'match':
      return node.field.kind === 'path' ? compileBodyTerm(node.field.path, index, NO) : compileMatch(node.field, node.values, index);
    case 'compare':
      return node.field.kind === 'path' ? compileBodyTerm(node.field.path, index, NO) : compileCompare(node.field.name, node.op, node.value, index);
    case 'every':
      // A path that reaches no value makes all(…) true.
      return compileBodyTerm(node.item.field.path, index, YES);
    case 'text':
      return compileFreeText(node.value, index);
  }
}

/** True when some term of the query reads a body, so some rows may need re-reading. */
export function readsBodies(node: QueryNode): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.some(readsBodies);
    case 'not':
      return readsBodies(node.item);
    case 'match':
    case 'compare':
      return node.field.kind === 'path';
    case 'every':
      return true;
    default:
      return false;
  }
}

/**
 * A JSON-path term. Every alternative of the path starts at a top-level key; when each alternative
 * starts where the row's flags say the primary stage has nothing to walk into (no requestObject, no
 * responseObject, no impersonatedUser object, no annotation but decision and reason), the evaluator's
 * walk finds no value and the term is `withoutValues` (NO for match and compare, YES for all(…)).
 * Otherwise only the body can tell.
 */
function compileBodyTerm(path: JsonPath, index: RowColumns, withoutValues: Answer): RowTest {
  let needed = 0;
  for (const steps of path) {
    const flag = flagToWalk(steps);
    if (flag === 0) return () => BODY;
    needed |= flag;
  }
  return (row) => ((index.flags(row) & needed) !== 0 ? BODY : withoutValues);
}

/** The row flag without which a path finds nothing; 0 when no flag tells. */
function flagToWalk(steps: JsonPath[number]): number {
  const [head, next] = steps;
  const key = head && 'key' in head ? head.key : '';
  if (key === 'requestObject') return FLAG_REQUEST_OBJECT;
  if (key === 'responseObject') return FLAG_RESPONSE_OBJECT;
  if (key === 'impersonatedUser' && next !== undefined) return FLAG_IMPERSONATED_USER;
  // annotations.KEY: a plain object only has KEY when it is one of its own keys (not one every object inherits).
  if (key === 'annotations' && next && 'key' in next && !COLUMN_ANNOTATIONS.includes(next.key) && !(next.key in Object.prototype)) return FLAG_OTHER_ANNOTATIONS;
  return 0;
}

function anyOf(values: ValuePattern[], build: (value: ValuePattern) => StringTest): StringTest {
  const tests = values.map(build);
  return tests.length === 1 ? tests[0]! : (value) => tests.some((test) => test(value));
}

const UNSET = 255;
const SMALL_NUMBERS = 1024;
/** No auditID contains the text. */
const NONE = new Uint8Array(0);

/**
 * `test` of a column's value, computed once per distinct string and remembered by dictionary id.
 * The table fills lazily, so a predicate kept while rows arrive (detectors in a reader) sees new strings.
 */
function columnTest(index: RowColumns, column: StringColumn, test: (value: string) => boolean): RowTest {
  const c = STRING_COLUMN_INDEX[column];
  const strings = index.dictionaryStrings(c);
  let table = new Uint8Array(strings.length + 16).fill(UNSET);
  return (row) => {
    const id = index.stringId(row, c);
    if (id >= table.length) {
      const grown = new Uint8Array(Math.max(id + 1, table.length * 2)).fill(UNSET);
      grown.set(table);
      table = grown;
    }
    let answer = table[id]!;
    if (answer === UNSET) table[id] = answer = test(strings[id]!) ? YES : NO;
    return answer as Answer;
  };
}

function compileMatch(field: Extract<FieldRef, { kind: 'index' }>, values: ValuePattern[], index: RowColumns): RowTest {
  const definition = indexField(field.name);
  const name = definition.name;
  if (name === 'resource') {
    // As compileResourceMatch: a value with "/" compares with resource/subresource, others with resource.
    const combined = values.filter((value) => value.parts.some((part) => part.includes('/')));
    const plain = values.filter((value) => !combined.includes(value));
    const byResource = plain.length > 0 ? columnTest(index, 'resource', anyOf(plain, compilePattern)) : () => NO;
    const byPath = combined.length > 0 ? columnTest(index, 'resourcePath', anyOf(combined, compilePattern)) : () => NO;
    return (row) => (byResource(row) === YES || byPath(row) === YES ? YES : NO);
  }
  const test = anyOf(values, compilePattern);
  if (name === 'groups') {
    return columnTest(index, 'groups', (key) => key !== '' && key.slice(1).split(GROUP_SEPARATOR).some(test));
  }
  if (name === 'command') return columnTest(index, 'requestURI', (uri) => test(execCommand(uri)));
  if (name === 'auditID') return (row) => (test(index.auditID(row)) ? YES : NO);
  if (definition.type === 'number') {
    // code and latency: the evaluator tests the number's text ('' for null); few distinct values, so cache.
    const column = name === 'code' ? NUM.code : NUM.latency;
    const answerOf = (value: number): Answer => (test(Number.isNaN(value) ? '' : String(value)) ? YES : NO);
    // Response codes are small whole numbers: their answers sit in a table; other values in a map.
    const small = new Uint8Array(SMALL_NUMBERS).fill(UNSET);
    const seen = new Map<number, Answer>();
    return (row) => {
      const value = index.number(row, column);
      if (value >= 0 && value < SMALL_NUMBERS && Number.isInteger(value) && !Object.is(value, -0)) {
        let answer = small[value]!;
        if (answer === UNSET) small[value] = answer = answerOf(value);
        return answer as Answer;
      }
      let answer = seen.get(value);
      if (answer === undefined) seen.set(value, (answer = answerOf(value)));
      return answer;
    };
  }
  return columnTest(index, name as StringColumn, test);
}

function compileCompare(name: string, op: string, limit: number, index: RowColumns): RowTest {
  const field = indexField(name).name;
  const column = field === 'time' ? NUM.time : field === 'code' ? NUM.code : NUM.latency;
  // NaN (no value) fails every comparison, as the evaluator's typeof/isNaN check does.
  switch (op) {
    case '>':
      return (row) => (index.number(row, column) > limit ? YES : NO);
    case '>=':
      return (row) => (index.number(row, column) >= limit ? YES : NO);
    case '<':
      return (row) => (index.number(row, column) < limit ? YES : NO);
    default:
      return (row) => (index.number(row, column) <= limit ? YES : NO);
  }
}

function compileFreeText(value: ValuePattern, index: RowColumns): RowTest {
  const lowered = freeTextPattern(value);
  const pattern = compilePattern(lowered);
  const test = (text: string) => pattern(asciiLower(text));
  // A plain word ("*word*" after freeTextPattern) can be found in all auditIDs at once.
  const parts = lowered.parts;
  let auditHits = parts.length === 3 && parts[0] === '' && parts[2] === '' ? (index.auditIdsContaining?.(parts[1]!) ?? null) : null;
  if (auditHits !== null && !auditHits.includes(1)) auditHits = NONE;
  const tests: RowTest[] = [];
  let auditID = false;
  for (const name of FREE_TEXT_FIELDS) {
    if (name === 'auditID') auditID = true;
    // Over a stable index, a column none of whose strings contain the text cannot match: skip it
    // (free text is usually a name that lives in one or two columns of the twelve).
    else if (!index.stable || index.dictionaryStrings(STRING_COLUMN_INDEX[name as StringColumn]).some(test)) tests.push(columnTest(index, name as StringColumn, test));
  }
  return (row) => {
    for (const item of tests) if (item(row) === YES) return YES;
    if (!auditID || auditHits === NONE) return NO;
    if (auditHits !== null) return auditHits[row] === 1 ? YES : NO;
    return test(index.auditID(row)) ? YES : NO;
  };
}
