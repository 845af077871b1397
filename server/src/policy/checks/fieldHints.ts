/**
 * What an unknown key in a policy was probably meant to be. kube-apiserver drops unknown keys (with a
 * log line since 1.26), so a misspelt or mis-indented key silently widens a rule: `verbs` indented
 * under `resources[]` makes the rule match every verb (kubernetes#110116).
 */
import type { MoveTarget } from './fixData';

export type ObjectKind = 'policy' | 'rule' | 'groupResources';

export const KNOWN_KEYS: Record<ObjectKind, readonly string[]> = {
  policy: ['apiVersion', 'kind', 'metadata', 'rules', 'omitStages', 'omitManagedFields'],
  rule: ['level', 'users', 'userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields'],
  groupResources: ['group', 'resources', 'resourceNames'],
};

/** Habits from other APIs (RBAC, singular names) and the key they stand for, per object. */
const ALIASES: Record<ObjectKind, Record<string, string>> = {
  policy: { rule: 'rules', omitStage: 'omitStages' },
  rule: {
    verb: 'verbs',
    user: 'users',
    groups: 'userGroups',
    userGroup: 'userGroups',
    namespace: 'namespaces',
    resource: 'resources',
    nonResourceURL: 'nonResourceURLs',
    nonResourceUrl: 'nonResourceURLs',
    omitStage: 'omitStages',
  },
  groupResources: { resource: 'resources', apiGroup: 'group', apiGroups: 'group', groups: 'group', resourceName: 'resourceNames', name: 'resourceNames', names: 'resourceNames' },
};

/** Where a key that belongs to another object should go, from the object it was found in. */
const MOVES: Record<ObjectKind, Partial<Record<ObjectKind, string>>> = {
  policy: { rule: 'rules[]' },
  rule: { groupResources: 'resources[]', policy: 'the top level of the policy' },
  groupResources: { rule: 'the rule' },
};

const MOVE_TARGET: Record<string, MoveTarget> = { 'rules[]': 'rule', 'resources[]': 'resources[]', 'the rule': 'rule', 'the top level of the policy': 'policy' };

export interface FieldHint {
  /** The key to write instead (a typo or wrong case). */
  replacement?: string;
  /** The object this key belongs to instead. */
  moveTo?: MoveTarget;
  /** Human explanation, starting with a capital letter. */
  explanation: string;
}

export function fieldHint(kind: ObjectKind, key: string): FieldHint {
  const known = KNOWN_KEYS[kind];
  const sameExceptCase = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameExceptCase) return { replacement: sameExceptCase, explanation: `Field names are case-sensitive: did you mean "${sameExceptCase}"?` };
  for (const [otherKind, where] of Object.entries(MOVES[kind]) as [ObjectKind, string][]) {
    if (KNOWN_KEYS[otherKind].includes(key)) {
      return { moveTo: MOVE_TARGET[where], explanation: `"${key}" belongs to ${where}, not here; ${consequence(kind, key)}` };
    }
  }
  const alias = ALIASES[kind][key] ?? ALIASES[kind][Object.keys(ALIASES[kind]).find((a) => a.toLowerCase() === key.toLowerCase()) ?? ''];
  if (alias) return { replacement: alias, explanation: `Did you mean "${alias}"?` };
  const close = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (close) return { replacement: close, explanation: `Did you mean "${close}"?` };
  return { explanation: `Known fields here: ${known.join(', ')}.` };
}

function consequence(kind: ObjectKind, key: string): string {
  if (kind === 'groupResources') return `here it is dropped, so the rule does not restrict ${key} at all.`;
  if (kind === 'policy') return 'at the top level it is dropped.';
  return 'here it is dropped.';
}

/** Levenshtein distance, for keys of at most a few dozen characters. */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
