// Completion of JSON path keys in the query bar (`requestObject.spec.co` -> `containers[]`): the keys
// found at that path in sample events of the current result, most common first. The path before the
// last "." is read by the query parser itself, so what is offered is what a query can say.
import type { ViewerCompletionItem } from '../../protocol/logViewer';
import { QuerySyntaxError } from '../query/ast';
import { valuesAtPath } from '../query/evaluate';
import { parseQuery } from '../query/parser';
import { counted } from '../../protocol/wording';

/** Keys offered at most. */
const MAX_KEYS = 50;
/** A key written as is after "."; any other key is written ["quoted"]. */
const PLAIN_KEY = /^[A-Za-z0-9_\-/@$]+$/;

/** Whether the word being typed is a JSON path into the event past its first key (`requestObject.sp`). */
export function isPathPrefix(typed: string): boolean {
  return /^[A-Za-z]\w*(\.|\[)/.test(typed) && !/[\s:()"]/.test(typed.replace(/\["[^"]*"\]/g, ''));
}

/**
 * Keys that may follow the typed path, from `samples` (decoded events): `requestObject.spec.co`
 * offers `requestObject.spec.containers[]`. Objects end with "." (more keys follow), arrays with
 * "[]" (every element), other values with ":" (a value follows).
 */
export function pathKeyItems(typed: string, samples: readonly Record<string, unknown>[]): ViewerCompletionItem[] {
  const dot = typed.lastIndexOf('.');
  if (dot <= 0) return [];
  const base = typed.slice(0, dot);
  const partial = typed.slice(dot + 1).toLowerCase();
  let path;
  try {
    const node = parseQuery(`${base}:x`);
    if (node.kind !== 'match' || node.field.kind !== 'path') return [];
    path = node.field.path;
  } catch (error) {
    if (error instanceof QuerySyntaxError) return [];
    throw error;
  }
  const keys = new Map<string, { count: number; kinds: Set<'object' | 'array' | 'value'> }>();
  for (const sample of samples) {
    for (const value of valuesAtPath(sample, path)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (!key.toLowerCase().startsWith(partial)) continue;
        const entry = keys.get(key) ?? { count: 0, kinds: new Set() };
        entry.count++;
        entry.kinds.add(Array.isArray(child) ? 'array' : child !== null && typeof child === 'object' ? 'object' : 'value');
        keys.set(key, entry);
      }
    }
  }
  return [...keys]
    .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_KEYS)
    .map(([key, { count, kinds }]) => {
      // One suffix when the samples agree on what the key holds; none when they do not.
      const suffix = kinds.size !== 1 ? '' : kinds.has('array') ? '[]' : kinds.has('object') ? '.' : ':';
      const step = PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
      const insert = `${base}${step}${suffix}`;
      return { label: insert, insert, detail: `in ${counted(count, 'sampled request')}`, kind: 'field' as const };
    });
}
