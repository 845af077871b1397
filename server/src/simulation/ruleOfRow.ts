import { FRESH } from '../policy/coverage';
import { firstMatchingRule } from '../policy/match';
import type { Policy } from '../policy/types';
import type { TrafficSample } from './trafficSample';

/** A row no rule matches: level None, not logged. */
export const UNMATCHED = -1;

/**
 * The first matching rule of every row, asked of the one evaluator (policy/match.ts). Each request
 * kind is matched once with a name that no rule lists (FRESH); only rows whose object name some rule's
 * resourceNames lists are matched again with their own name, once per (kind, name). That is exact:
 * a name no rule lists behaves like any other such name.
 */
export function rulesOfRows(sample: TrafficSample, policy: Policy): { ruleOfRow: Int32Array; ruleOfKind: Int32Array; namedRows: number[] } {
  const ruleOfKind = new Int32Array(sample.kinds.length);
  sample.kinds.forEach((kind, k) => {
    ruleOfKind[k] = firstMatchingRule(policy, { ...kind.attrs, ...(kind.attrs.resourceRequest ? { name: FRESH } : {}) }).ruleIndex ?? UNMATCHED;
  });
  const rows = sample.rows;
  const ruleOfRow = new Int32Array(rows);
  const kinds = sample.kind.data;
  const listedNames = new Set<number>();
  for (const rule of policy.rules) {
    for (const gr of rule.resources ?? []) {
      for (const name of gr.resourceNames ?? []) {
        const id = sample.names.find(name);
        if (id >= 0) listedNames.add(id);
      }
    }
  }
  if (listedNames.size === 0) {
    for (let row = 0; row < rows; row++) ruleOfRow[row] = ruleOfKind[kinds[row]!]!;
    return { ruleOfRow, ruleOfKind, namedRows: [] };
  }
  const names = sample.name.data;
  const nameCount = sample.names.size;
  const byName = new Map<number, number>();
  /** Rows whose name some rule lists: the ones whose rule can differ from their kind's. */
  const namedRows: number[] = [];
  for (let row = 0; row < rows; row++) {
    const k = kinds[row]!;
    const name = names[row]!;
    if (!listedNames.has(name) || !sample.kinds[k]!.attrs.resourceRequest) {
      ruleOfRow[row] = ruleOfKind[k]!;
      continue;
    }
    namedRows.push(row);
    const key = k * nameCount + name;
    let rule = byName.get(key);
    if (rule === undefined) {
      rule = firstMatchingRule(policy, { ...sample.kinds[k]!.attrs, name: sample.names.strings[name]! }).ruleIndex ?? UNMATCHED;
      byName.set(key, rule);
    }
    ruleOfRow[row] = rule;
  }
  return { ruleOfRow, ruleOfKind, namedRows };
}
