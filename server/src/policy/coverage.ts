import { ruleTarget, targetMatches, userMatches, verbMatches } from './match';
import type { PolicyRule, RequestAttributes, RequestUser } from './types';

/**
 * "Does rule i match every request rule j can match?", answered with the evaluator's own predicates.
 *
 * The checker compares request values with the literals of a rule (equality, or a string prefix for
 * URLs), and its dimensions are independent (user AND verb AND target). So rule j's request set can be
 * described by a few witness values per dimension: j's own literals, plus a FRESH value standing for
 * "anything j does not name". A FRESH value is equal to no literal of any rule, so if rule i accepts it,
 * i accepts every value it stands for. Rule i covers j exactly when i's predicate accepts every witness
 * of every dimension.
 */

/** Equal to no literal anyone writes in a policy (YAML cannot even carry a NUL in a plain scalar). */
export const FRESH = '\u0000any';
/** A non-resource path standing for "any path": real paths start with '/'. */
const FRESH_PATH = `/${FRESH}`;

export interface RuleWitnesses {
  /** undefined stands for a request with no user (failed authentication). */
  users: (RequestUser | undefined)[];
  verbs: string[];
  /** Request targets without user and verb. Empty: the rule can match nothing. */
  targets: RequestAttributes[];
}

/** Above this many target witnesses, coverage is not attempted (the rule is simply not reported). */
const MAX_TARGETS = 2_000;

export function witnessesOf(rule: PolicyRule): RuleWitnesses {
  const users: (RequestUser | undefined)[] = [];
  const names = rule.users?.length ? rule.users : [FRESH];
  const groups = rule.userGroups?.length ? rule.userGroups : [FRESH];
  // userMatches checks the name and the groups independently (an AND), so every name and every group
  // appearing in some witness covers all their combinations: pair them up instead of multiplying.
  for (let k = 0; k < Math.max(names.length, groups.length); k++) {
    users.push({ name: names[Math.min(k, names.length - 1)]!, groups: [groups[Math.min(k, groups.length - 1)]!] });
  }
  if (!rule.users?.length && !rule.userGroups?.length) users.push(undefined);
  const verbs = rule.verbs?.length ? [...rule.verbs] : [FRESH];
  return { users, verbs, targets: targetWitnesses(rule) };
}

function targetWitnesses(rule: PolicyRule): RequestAttributes[] {
  const kind = ruleTarget(rule);
  if (kind === 'nonResource') return rule.nonResourceURLs!.flatMap(pathWitnesses).map((path) => ({ verb: '', resourceRequest: false, path }));
  const anyResource = withNamespaces(resourceTargets(FRESH, [], []), rule.namespaces);
  if (kind === 'any') return [...anyResource, { verb: '', resourceRequest: false, path: FRESH_PATH }];
  if (!rule.resources?.length) return anyResource;
  const targets: RequestAttributes[] = [];
  for (const gr of rule.resources) {
    const group = gr.group === '*' ? FRESH : (gr.group ?? '');
    const more = resourceTargets(group, gr.resources ?? [], gr.resourceNames ?? []);
    // An empty answer for a non-empty entry means "too many to enumerate": give up on the whole rule.
    if (more.length === 0 && !(gr.resources?.length && gr.resources.every((p) => p === '*/*'))) return [];
    targets.push(...more);
    if (targets.length > MAX_TARGETS) return [];
  }
  return targets.length ? withNamespaces(targets, rule.namespaces) : [];
}

/**
 * The namespace test is its own conjunct (not tied to a resources[] entry), so each namespace only has
 * to appear in one witness: spread them over the targets instead of multiplying.
 */
function withNamespaces(targets: RequestAttributes[], namespaces: string[] | undefined): RequestAttributes[] {
  // The targets are fresh objects made for this call: set their namespace in place.
  const spaces = namespaces?.length ? namespaces : [FRESH];
  for (let k = 0; k < targets.length; k++) targets[k]!.namespace = spaces[Math.min(k, spaces.length - 1)]!;
  const last = targets[targets.length - 1]!;
  for (let k = targets.length; k < spaces.length; k++) {
    targets.push({ verb: '', resourceRequest: true, apiGroup: last.apiGroup, resource: last.resource, subresource: last.subresource, name: last.name, namespace: spaces[k]! });
  }
  return targets;
}

/**
 * The group and resource of the rule's first target witness (what an index lookup needs), without
 * building all witnesses; undefined when the rule can match nothing.
 */
export function firstTargetOf(rule: PolicyRule): { resourceRequest: boolean; apiGroup?: string; resource?: string } | undefined {
  const kind = ruleTarget(rule);
  if (kind === 'nonResource') return { resourceRequest: false };
  if (kind === 'any' || !rule.resources?.length) return { resourceRequest: true, apiGroup: FRESH, resource: FRESH };
  for (const gr of rule.resources) {
    const apiGroup = gr.group === '*' ? FRESH : (gr.group ?? '');
    if (!gr.resources?.length) return { resourceRequest: true, apiGroup, resource: FRESH };
    for (const pattern of gr.resources) {
      const first = patternWitnesses(pattern)[0];
      if (first) return { resourceRequest: true, apiGroup, resource: first[0] };
    }
  }
  return undefined;
}

function pathWitnesses(spec: string): string[] {
  if (spec === '*') return [FRESH_PATH];
  if (!spec.endsWith('*')) return [spec];
  const prefix = spec.replace(/\*+$/, '');
  return [prefix, prefix + FRESH];
}

/** (resource, subresource) pairs a resources[].resources pattern stands for. */
function patternWitnesses(pattern: string): [string, string][] {
  if (pattern === '*') return [[FRESH, ''], [FRESH, FRESH]];
  if (pattern === '*/*') return []; // would need the literal resource or subresource "*": matches nothing
  if (pattern.startsWith('*/')) return [[FRESH, pattern.slice(2)]];
  if (pattern.endsWith('/*')) return [[pattern.slice(0, -2), ''], [pattern.slice(0, -2), FRESH]];
  const slash = pattern.indexOf('/');
  return slash < 0 ? [[pattern, '']] : [[pattern.slice(0, slash), pattern.slice(slash + 1)]];
}

/**
 * Within one resources[] entry the names and the resource patterns are tested together against the
 * covering rule's entries (an OR over entries), so these stay a full product.
 */
function resourceTargets(group: string, patterns: string[], names: string[]): RequestAttributes[] {
  const pairs = patterns.length ? patterns.flatMap(patternWitnesses) : patternWitnesses('*');
  const objectNames = names.length ? names : [FRESH];
  if (pairs.length * objectNames.length > MAX_TARGETS) return [];
  const targets: RequestAttributes[] = [];
  for (const [resource, subresource] of pairs) {
    for (const name of objectNames) targets.push({ verb: '', resourceRequest: true, apiGroup: group, resource, subresource, name, namespace: FRESH });
  }
  return targets;
}

/** Whether `cover` matches every request that the rule with witnesses `w` matches. */
export function ruleCovers(cover: PolicyRule, w: RuleWitnesses): boolean {
  if (w.targets.length === 0) return false;
  for (const user of w.users) if (!userMatches(cover, user)) return false;
  for (const verb of w.verbs) if (!verbMatches(cover, verb)) return false;
  for (const target of w.targets) if (!targetMatches(cover, target)) return false;
  return true;
}

/** A rule with no condition at all: it matches every request. */
export function isCatchAll(rule: PolicyRule): boolean {
  return (
    !rule.users?.length &&
    !rule.userGroups?.length &&
    !rule.verbs?.length &&
    !rule.namespaces?.length &&
    !rule.resources?.length &&
    !rule.nonResourceURLs?.length
  );
}
