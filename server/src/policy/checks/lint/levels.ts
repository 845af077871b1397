import type { Diagnostic } from 'vscode-languageserver-types';
import { FRESH, isCatchAll } from '../../coverage';
import { diagnostic } from '../diagnostic';
import { resourcePatternMatches, ruleMatches, ruleTarget } from '../../match';
import { entryOf, keyRange, ruleAnchorRange, spanRange, stringItems, type LocatedRule, type PolicyModel } from '../../yaml/model';
import type { TreeEntry } from '../../yaml/tree';
import { levelRank, STAGES, type Policy, type PolicyRule, type RequestAttributes } from '../../types';
import { firstKnownMatch, type RuleKnowledge } from './knowledge';

/**
 * What the policy logs overall: nothing at all, no catch-all (the default is None), stages that
 * suppress every event, secrets with bodies, and response bodies of broad read traffic. Which rule
 * really handles a request is always asked of the first-match evaluator.
 */
export function levelDiagnostics(model: PolicyModel, knowledge: RuleKnowledge): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (model.policy.rules.length === 0) return out;
  // About the whole list: while a rule is unknown, it could be the catch-all or the one that logs.
  if (knowledge.complete) wholeListDiagnostics(model, out);
  stageDiagnostics(model, knowledge, out);
  sensitiveData(model, knowledge, out);
  broadResponseBodies(model, knowledge, out);
  return out;
}

function wholeListDiagnostics(model: PolicyModel, out: Diagnostic[]): void {
  const rules = model.policy.rules;
  const rulesEntry = model.root?.byKey.get('rules');
  if (rules.every((rule) => rule.level === 'None') && rulesEntry) {
    out.push(
      diagnostic(
        'policy-logs-nothing',
        'warning',
        keyRange(model, rulesEntry),
        'Every rule has level None, so kube-apiserver writes no audit events at all. Add rules at Metadata or higher, for example a final catch-all "- level: Metadata".',
        { append: { level: 'Metadata' } },
      ),
    );
  } else if (!rules.some(isCatchAll)) {
    const last = model.rules[model.rules.length - 1]!;
    out.push(
      diagnostic(
        'no-catch-all',
        'warning',
        ruleAnchorRange(model, last),
        'No rule matches every request, and requests that match no rule are not logged at all (the default level is None, not Metadata). End the rules with a catch-all such as "- level: Metadata".',
        { append: { level: 'Metadata' } },
      ),
    );
  }
}

function stageDiagnostics(model: PolicyModel, knowledge: RuleKnowledge, out: Diagnostic[]): void {
  const policyStages = new Set(model.policy.omitStages ?? []);
  const policyItems = stringItems(model.root, 'omitStages');
  const check = (stages: Set<string>, items: { value: string; node: { start: number; end: number } }[], listEntry: TreeEntry | undefined, who: string) => {
    if (STAGES.every((s) => stages.has(s)) && listEntry) {
      out.push(
        diagnostic('all-stages-omitted', 'warning', keyRange(model, listEntry), `${who} omits all four stages, so no audit event is ever written${who === 'The policy' ? '' : ' for the requests it matches'}. Omit only RequestReceived (the usual choice) or nothing.`),
      );
      return;
    }
    const responseComplete = items.find((i) => i.value === 'ResponseComplete');
    if (responseComplete) {
      out.push(
        diagnostic(
          'response-complete-omitted',
          'warning',
          spanRange(model, responseComplete.node),
          `${who} omits ResponseComplete, the only event that carries the response status of ordinary requests: you lose whether they succeeded. Usually only RequestReceived is omitted.`,
          { removeItem: true },
        ),
      );
    }
  };
  check(policyStages, policyItems, model.root?.byKey.get('omitStages'), 'The policy');
  for (const located of model.rules) {
    if (located.node.kind !== 'map' || knowledge.unknown[located.index] || located.rule.level === 'None' || !located.rule.omitStages?.length) continue;
    const union = new Set([...policyStages, ...located.rule.omitStages]);
    const own = stringItems(located.node, 'omitStages').filter((i) => !policyStages.has(i.value));
    if (STAGES.every((s) => policyStages.has(s))) continue;
    check(union, own, entryOf(located.node, 'omitStages'), policyStages.size ? "This rule (with the policy's omitStages)" : 'This rule');
  }
}

// ---- bodies of sensitive objects ------------------------------------------------------------------

interface SensitiveTarget {
  label: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  clusterScoped?: boolean;
  /** Verbs whose request body holds the sensitive data (logged from Request up). */
  inRequest: string[];
  /** Verbs whose response body holds it (logged at RequestResponse). */
  inResponse: string[];
}

export const SENSITIVE_TARGETS: SensitiveTarget[] = [
  { label: 'secrets', apiGroup: '', resource: 'secrets', subresource: '', inRequest: ['create', 'update', 'patch'], inResponse: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
  { label: 'configmaps', apiGroup: '', resource: 'configmaps', subresource: '', inRequest: ['create', 'update', 'patch'], inResponse: ['get', 'list', 'watch', 'create', 'update', 'patch'] },
  // The reviewed bearer token is in the request (spec.token).
  { label: 'tokenreviews', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '', clusterScoped: true, inRequest: ['create'], inResponse: ['create'] },
  // A TokenRequest asks for a token; the issued token comes back in the response.
  { label: 'serviceaccounts/token', apiGroup: '', resource: 'serviceaccounts', subresource: 'token', inRequest: [], inResponse: ['create'] },
];
const NAMELESS = new Set(['create', 'list', 'watch', 'deletecollection']);

/** A request shaped by the rule's own conditions, so that the rule can match it if anything does. */
export function requestFor(rule: PolicyRule, verb: string, target: { apiGroup: string; resource: string; subresource: string; clusterScoped?: boolean }): RequestAttributes {
  const names = rule.resources?.find((gr) => gr.resourceNames?.length)?.resourceNames;
  return {
    user: { name: rule.users?.[0] ?? FRESH, groups: [rule.userGroups?.[0] ?? 'system:authenticated'] },
    verb,
    resourceRequest: true,
    apiGroup: target.apiGroup,
    resource: target.resource,
    subresource: target.subresource,
    namespace: target.clusterScoped ? '' : (rule.namespaces?.[0] ?? FRESH),
    name: NAMELESS.has(verb) ? '' : (names?.[0] ?? FRESH),
  };
}

/**
 * "Which rule matches this request first", asked many times about few targets: for each target
 * (group, resource, subresource) only the rules that can reach it at all are tried, in order, with
 * the evaluator's own ruleMatches. Exact, because every other rule fails on the target anyway.
 * Unknown rules stay candidates for every target (they may match anything once fixed).
 */
function firstMatchCache(policy: Policy, knowledge: RuleKnowledge): (request: RequestAttributes) => number | undefined {
  const byTarget = new Map<string, number[]>();
  return (request) => {
    const key = `${request.apiGroup}\n${request.resource}\n${request.subresource}`;
    let candidates = byTarget.get(key);
    if (!candidates) {
      candidates = [];
      policy.rules.forEach((rule, index) => {
        if (knowledge.unknown[index] || mayTarget(rule, request)) candidates!.push(index);
      });
      byTarget.set(key, candidates);
    }
    return firstKnownMatch(policy, request, knowledge, candidates);
  };
}

/** Whether a rule can match some request to this resource, whatever the user, verb, namespace or name. */
function mayTarget(rule: PolicyRule, request: { apiGroup?: string; resource?: string; subresource?: string }): boolean {
  const kind = ruleTarget(rule);
  if (kind !== 'resource') return kind === 'any';
  if (!rule.resources?.length) return true;
  return rule.resources.some(
    (gr) =>
      (gr.group === '*' || (gr.group ?? '') === request.apiGroup) &&
      (!gr.resources?.length || gr.resources.some((pattern) => resourcePatternMatches(pattern, request.resource ?? '', request.subresource ?? ''))),
  );
}

function sensitiveData(model: PolicyModel, knowledge: RuleKnowledge, out: Diagnostic[]): void {
  const policy = model.policy;
  const firstMatch = firstMatchCache(policy, knowledge);
  policy.rules.forEach((rule, index) => {
    const rank = levelRank(rule.level);
    if (rank < 2 || ruleTarget(rule) === 'nonResource' || knowledge.unknown[index]) return;
    const exposed = new Map<string, string[]>();
    for (const target of SENSITIVE_TARGETS) {
      if (!mayTarget(rule, target)) continue;
      for (const verb of rank >= 3 ? target.inResponse : target.inRequest) {
        const request = requestFor(rule, verb, target);
        if (!ruleMatches(rule, request)) continue;
        if (firstMatch(request) !== index) continue;
        exposed.set(target.label, [...(exposed.get(target.label) ?? []), verb]);
      }
    }
    if (exposed.size === 0) return;
    const what = [...exposed].map(([label, v]) => `${label} (${v.join(', ')})`).join('; ');
    out.push(
      diagnostic(
        'sensitive-data-logged',
        'warning',
        ruleAnchorRange(model, model.rules[index]!),
        `This rule is the first to match ${what} and logs ${rank >= 3 ? 'request and response bodies' : 'request bodies'} (${rule.level}), so secret values or tokens end up in the audit log. Add a rule that logs ${[...exposed.keys()].join(', ')} at Metadata before it.`,
        { insertRuleBefore: { level: 'Metadata', resources: [...exposed.keys()] } },
      ),
    );
  });
}

// ---- response bodies of broad reads ---------------------------------------------------------------

function broadResponseBodies(model: PolicyModel, knowledge: RuleKnowledge, out: Diagnostic[]): void {
  const firstMatch = firstMatchCache(model.policy, knowledge);
  model.rules.forEach((located: LocatedRule) => {
    const rule = located.rule;
    if (rule.level !== 'RequestResponse' || ruleTarget(rule) === 'nonResource' || knowledge.unknown[located.index]) return;
    const groups = broadGroups(rule);
    const hits: string[] = [];
    for (const group of groups) {
      for (const verb of ['list', 'watch']) {
        const request = requestFor(rule, verb, { apiGroup: group, resource: FRESH, subresource: '' });
        if (ruleMatches(rule, request) && firstMatch(request) === located.index) hits.push(verb);
      }
    }
    if (hits.length === 0) return;
    const scope = isCatchAll(rule) ? 'This catch-all' : 'This rule';
    out.push(
      diagnostic(
        'request-response-broad',
        'warning',
        spanRange(model, entryOf(located.node, 'level')?.value ?? located.node),
        `${scope} logs response bodies (RequestResponse) of ${[...new Set(hits)].join(' and ')} requests across whole API groups: each event then carries full object lists, which costs kube-apiserver latency and memory and multiplies log volume 10-50x. Log reads at Metadata (or Request) in an earlier rule, or use Request here.`,
        { replacement: 'Request' },
      ),
    );
  });
}

/** Groups in which the rule matches every resource: a whole-group entry, or every group. */
function broadGroups(rule: PolicyRule): string[] {
  if (!rule.resources?.length) return [FRESH];
  const groups: string[] = [];
  for (const gr of rule.resources) {
    if (gr.resourceNames?.length) continue;
    if (!gr.resources?.length || gr.resources.includes('*')) groups.push(gr.group === '*' ? FRESH : (gr.group ?? ''));
  }
  return groups;
}
