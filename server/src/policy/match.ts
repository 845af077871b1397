import type { GroupResources, Policy, PolicyRule, RequestAttributes, RequestUser } from './types';

/**
 * The single implementation of kube-apiserver's first-match audit checker (pkg/audit/policy/checker.go,
 * spec §4). Lint (shadowing, sensitive data, CIS coverage), hover and log simulation all call these
 * functions; nothing else in the engine decides whether a rule matches a request.
 *
 * A rule matches when every condition it sets holds (a logical AND of independent dimensions: user,
 * verb, target). The dimension predicates are exported so that coverage reasoning can test one
 * dimension at a time with exactly the same semantics.
 */

export interface MatchResult {
  /** Index of the first matching rule, or undefined when none matches (level None). */
  ruleIndex: number | undefined;
  level: string;
  /** Union of the policy's and the rule's omitStages, without duplicates, policy stages first. */
  omitStages: string[];
  /** The rule's value when set, else the policy's. */
  omitManagedFields: boolean;
}

function nonEmpty<T>(list: readonly T[] | undefined): list is readonly T[] {
  return list !== undefined && list.length > 0;
}

/** users and userGroups: exact names, no wildcards; a request with no user matches neither. */
export function userMatches(rule: PolicyRule, user: RequestUser | undefined): boolean {
  if (nonEmpty(rule.users) && (user === undefined || !rule.users.includes(user.name))) return false;
  if (nonEmpty(rule.userGroups)) {
    if (user === undefined) return false;
    const groups = rule.userGroups;
    if (!user.groups.some((group) => groups.includes(group))) return false;
  }
  return true;
}

/** verbs: exact, so "*" matches nothing. */
export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return !nonEmpty(rule.verbs) || rule.verbs.includes(verb);
}

/** How a rule selects requests once users and verbs match (checker.go ruleMatches, steps 4-6). */
export type RuleTarget = 'resource' | 'nonResource' | 'any';

export function ruleTarget(rule: PolicyRule): RuleTarget {
  // namespaces or resources make it a resource rule, and nonResourceURLs are then never looked at.
  if (nonEmpty(rule.namespaces) || nonEmpty(rule.resources)) return 'resource';
  if (nonEmpty(rule.nonResourceURLs)) return 'nonResource';
  return 'any';
}

/** The request kind and object part of the match: resources/namespaces or nonResourceURLs. */
export function targetMatches(rule: PolicyRule, attrs: RequestAttributes): boolean {
  switch (ruleTarget(rule)) {
    case 'any':
      return true;
    case 'nonResource':
      return !attrs.resourceRequest && rule.nonResourceURLs!.some((spec) => pathMatches(spec, attrs.path ?? ''));
    case 'resource':
      return resourceRuleMatches(rule, attrs);
  }
}

function resourceRuleMatches(rule: PolicyRule, attrs: RequestAttributes): boolean {
  if (!attrs.resourceRequest) return false;
  if (nonEmpty(rule.namespaces) && !rule.namespaces.includes(attrs.namespace ?? '')) return false;
  if (!nonEmpty(rule.resources)) return true;
  return rule.resources.some((gr) => groupResourcesMatch(gr, attrs));
}

export function groupResourcesMatch(gr: GroupResources, attrs: RequestAttributes): boolean {
  const group = gr.group ?? '';
  // The API version is never considered. "*" is every group (1.36+; older releases refuse to load it).
  if (group !== '*' && group !== (attrs.apiGroup ?? '')) return false;
  if (!nonEmpty(gr.resources)) return true;
  const names = gr.resourceNames;
  if (nonEmpty(names) && !names.includes(attrs.name ?? '')) return false;
  const resource = attrs.resource ?? '';
  const subresource = attrs.subresource ?? '';
  return gr.resources.some((pattern) => resourcePatternMatches(pattern, resource, subresource));
}

/**
 * One entry of resources[].resources against a request's resource and subresource:
 * `pods` (not its subresources), `pods/log`, `*` (everything), `*\/scale` (that subresource of anything),
 * `pods/*` (pods subresources, and, as the code does not require a subresource, plain pods too).
 */
export function resourcePatternMatches(pattern: string, resource: string, subresource: string): boolean {
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  if (pattern === '*' || pattern === combined) return true;
  if (subresource !== '' && pattern.startsWith('*/') && pattern.slice(2) === subresource) return true;
  return pattern.endsWith('/*') && pattern.slice(0, -2) === resource;
}

/** nonResourceURLs: "*" is everything, a trailing "*" is a plain string prefix, anything else exact. */
export function pathMatches(spec: string, path: string): boolean {
  if (spec === '*' || spec === path) return true;
  if (!spec.endsWith('*')) return false;
  let end = spec.length;
  while (end > 0 && spec[end - 1] === '*') end--;
  return path.startsWith(spec.slice(0, end));
}

export function ruleMatches(rule: PolicyRule, attrs: RequestAttributes): boolean {
  return userMatches(rule, attrs.user) && verbMatches(rule, attrs.verb) && targetMatches(rule, attrs);
}

export function unionStages(policyStages: readonly string[] | undefined, ruleStages: readonly string[] | undefined): string[] {
  return [...new Set([...(policyStages ?? []), ...(ruleStages ?? [])])];
}

/**
 * The first rule that matches decides; with no match the level is None (DefaultAuditLevel).
 * `before` limits the search to the rules before that index ("would an earlier rule take it?").
 */
export function firstMatchingRule(policy: Policy, attrs: RequestAttributes, before = policy.rules.length): MatchResult {
  const end = Math.min(before, policy.rules.length);
  for (let index = 0; index < end; index++) {
    const rule = policy.rules[index]!;
    if (ruleMatches(rule, attrs)) {
      return {
        ruleIndex: index,
        level: rule.level,
        omitStages: unionStages(policy.omitStages, rule.omitStages),
        omitManagedFields: rule.omitManagedFields ?? policy.omitManagedFields ?? false,
      };
    }
  }
  return { ruleIndex: undefined, level: 'None', omitStages: unionStages(policy.omitStages, undefined), omitManagedFields: policy.omitManagedFields ?? false };
}
