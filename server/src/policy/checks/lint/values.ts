import type { Diagnostic } from 'vscode-languageserver-types';
import { diagnostic } from '../diagnostic';
import { ruleTarget } from '../../match';
import { entryOf, groupResourceNodes, keyRange, spanRange, stringItems, type LocatedRule, type PolicyModel } from '../../yaml/model';
import { levelRank } from '../../types';
import type { RuleKnowledge } from './knowledge';

/**
 * Values that load fine but cannot mean what they say: literal "*" where the checker has no wildcard,
 * verbs no request ever has, name filters on requests that carry no name, "*\/*", group "core".
 */

const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy'];
const NON_RESOURCE_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
/** RBAC verbs that are checked by authorization but are never the verb of a request. */
const AUTHORIZATION_ONLY_VERBS = ['impersonate', 'bind', 'escalate', 'use', 'approve', 'sign', 'attest'];
/** Requests without an object name (create POSTs to the collection). */
const NAMELESS_VERBS = ['create', 'list', 'watch', 'deletecollection'];
const HTTP_TO_RESOURCE_VERB: Record<string, string> = { post: 'create', put: 'update', head: 'get' };
const RESOURCE_TO_HTTP_VERB: Record<string, string> = { create: 'post', update: 'put', list: 'get', watch: 'get' };
/** Names people give the core group, which is really "". */
const CORE_NAMES = ['core', 'v1', 'api'];
const LITERAL_STAR_ENTRIES = [
  ['users', 'user names'],
  ['userGroups', 'group names'],
  ['verbs', 'verbs'],
  ['namespaces', 'namespaces'],
] as const;

export function valueDiagnostics(model: PolicyModel, knowledge: RuleKnowledge): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const located of model.rules) {
    if (located.node.kind !== 'map') continue;
    // A value judged on its own stands even in a rule with an error; what depends on the rest of the
    // rule (its target, its level) waits until the rule is known.
    literalStars(model, located, out);
    resourcePatterns(model, located, out);
    if (knowledge.unknown[located.index]) continue;
    verbs(model, located, out);
    const rule = located.rule;
    const namespaces = entryOf(located.node, 'namespaces');
    if (namespaces && rule.namespaces?.length && !rule.resources?.length && !rule.nonResourceURLs?.length) {
      out.push(
        diagnostic(
          'namespaces-without-resources',
          'warning',
          keyRange(model, namespaces),
          'This rule has namespaces but no resources: it matches every resource of every group in these namespaces, and never matches non-resource URLs (/healthz, /metrics, ...). Add resources to say which objects you mean.',
        ),
      );
    }
    const omitManagedFields = entryOf(located.node, 'omitManagedFields');
    if (omitManagedFields && rule.omitManagedFields !== undefined && (rule.level === 'None' || rule.level === 'Metadata')) {
      out.push(
        diagnostic(
          'omit-managed-fields-no-effect',
          'hint',
          keyRange(model, omitManagedFields),
          `omitManagedFields only trims logged request and response bodies, and level ${rule.level} logs no bodies: it has no effect here.`,
          { removeEntry: true },
        ),
      );
    }
    if (ruleTarget(rule) === 'nonResource' && levelRank(rule.level) >= 2) {
      out.push(
        diagnostic(
          'body-level-non-resource',
          'information',
          spanRange(model, entryOf(located.node, 'level')!.value),
          `Level ${rule.level} records bodies, but kube-apiserver never records bodies of non-resource requests: this rule logs exactly what Metadata logs.`,
          { replacement: 'Metadata' },
        ),
      );
    }
  }
  return out;
}

function literalStars(model: PolicyModel, located: LocatedRule, out: Diagnostic[]): void {
  for (const [field, what] of LITERAL_STAR_ENTRIES) {
    if (!located.rule[field]?.includes('*')) continue;
    const items = stringItems(located.node, field);
    for (const item of items) {
      if (item.value !== '*') continue;
      const onlyItem = items.length === 1;
      out.push(
        diagnostic(
          'wildcard-literal',
          'warning',
          spanRange(model, item.node),
          `"*" is not a wildcard in ${field}: ${what} are compared exactly, so this only matches the literal "*". ${onlyItem ? `Remove ${field} to match every value.` : 'Remove it.'}`,
          onlyItem ? { removeField: field } : { removeItem: true },
        ),
      );
    }
  }
}

function verbs(model: PolicyModel, located: LocatedRule, out: Diagnostic[]): void {
  const rule = located.rule;
  const target = ruleTarget(rule);
  const possible = target === 'resource' ? RESOURCE_VERBS : target === 'nonResource' ? NON_RESOURCE_VERBS : [...RESOURCE_VERBS, ...NON_RESOURCE_VERBS];
  const hasNames = rule.resources?.some((gr) => gr.resourceNames?.length) ?? false;
  if (!rule.verbs?.some((verb) => (verb !== '' && !possible.includes(verb)) || (hasNames && NAMELESS_VERBS.includes(verb)))) return;
  for (const item of stringItems(located.node, 'verbs')) {
    const verb = item.value;
    if (verb === '*' || verb === '') continue; // wildcard-literal; "" is the verb of unusual HTTP methods
    if (possible.includes(verb)) {
      if (hasNames && NAMELESS_VERBS.includes(verb)) {
        out.push(
          diagnostic(
            'resource-names-verb',
            'warning',
            spanRange(model, item.node),
            `${verb} requests carry no object name (${verb === 'create' ? 'create posts to the collection' : 'they address the collection'}), so resourceNames never match them and this verb adds nothing to the rule.`,
            { removeItem: true },
          ),
        );
      }
      continue;
    }
    const lower = verb.toLowerCase();
    let fix: string | undefined;
    let why: string;
    if (possible.includes(lower)) {
      fix = lower;
      why = `verbs are lower case: write ${lower}.`;
    } else if (AUTHORIZATION_ONLY_VERBS.includes(lower)) {
      why = `"${lower}" is an RBAC authorization verb; requests never carry it${lower === 'impersonate' ? ' (an impersonated request is audited with its own verb, under the original user)' : ''}.`;
    } else if (target === 'resource' && HTTP_TO_RESOURCE_VERB[lower]) {
      fix = HTTP_TO_RESOURCE_VERB[lower];
      why = `resource requests use Kubernetes verbs: an HTTP ${lower.toUpperCase()} is "${fix}".`;
    } else if (target === 'nonResource' && RESOURCE_TO_HTTP_VERB[lower]) {
      fix = RESOURCE_TO_HTTP_VERB[lower];
      why = `non-resource requests use the lower-case HTTP method: write "${fix}".`;
    } else {
      why = `request verbs are ${target === 'nonResource' ? NON_RESOURCE_VERBS.join(', ') : RESOURCE_VERBS.join(', ')}.`;
    }
    out.push(
      diagnostic('verb-never-occurs', 'warning', spanRange(model, item.node), `No request has the verb "${verb}", so it never matches: ${why}`, fix ? { replacement: fix } : { removeItem: true }),
    );
  }
}

function resourcePatterns(model: PolicyModel, located: LocatedRule, out: Diagnostic[]): void {
  const suspicious = located.rule.resources?.some((gr) => CORE_NAMES.includes(gr.group ?? '') || gr.resources?.includes('*/*'));
  if (!suspicious) return;
  for (const gr of groupResourceNodes(located.node)) {
    for (const item of stringItems(gr, 'resources')) {
      if (item.value === '*/*') {
        out.push(
          diagnostic(
            'resource-star-star',
            'warning',
            spanRange(model, item.node),
            '"*/*" matches nothing: it would need a resource or subresource literally named "*". Write "*" for every resource and subresource.',
            { replacement: '*' },
          ),
        );
      }
    }
    const group = gr.byKey.get('group')?.value;
    if (group?.kind === 'scalar' && typeof group.value === 'string' && CORE_NAMES.includes(group.value)) {
      out.push(
        diagnostic(
          'group-core-name',
          'warning',
          spanRange(model, group),
          `The core API group is named "" (empty), not "${group.value}": this entry matches no built-in resource. Write group: "".`,
          { replacement: '' },
        ),
      );
    }
  }
}
