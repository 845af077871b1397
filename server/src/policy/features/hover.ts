import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { groupRemoval, isKnownGroup, resourceFacts, resourceNames, userRemoval } from '../catalog/catalog';
import { kindOf } from '../catalog/kinds';
import { isCatchAll, ruleCovers, witnessesOf } from '../coverage';
import { KEY_DOCS, LEVEL_DOCS, NEVER_VERBS, STAGE_DOCS, urlDoc, VERB_DOCS, WELL_KNOWN_GROUPS, WELL_KNOWN_USERS, type DocObject } from './docs';
import { ruleTarget, unionStages } from '../match';
import { ruleLabel, type PolicyModel } from '../yaml/model';
import { loadPolicy, type PolicyCheckOptions } from '../checks/policyDiagnostics';
import { offsetOf, rangeOf } from '../yaml/parse';
import { locate, nodeAtPath } from '../yaml/locate';
import { levelRank, type Policy, type PolicyRule } from '../types';
import { FEATURE_MINOR } from '../version';

/** Hover over a policy: what a key or value means to kube-apiserver, and what a whole rule does. */
export function policyHover(uri: string, text: string, position: Position, options: PolicyCheckOptions = {}): Hover | undefined {
  const loaded = loadPolicy(uri, text, options);
  if (!loaded) return undefined;
  const { model, minor } = loaded;
  const root = model.decoded.root;
  if (!root) return undefined;
  const offset = offsetOf(model.parsed, position);
  const found = locate(text, root, offset, []);
  if (!found) return undefined;
  const markdown = (value: string, start: number, end: number): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(model.parsed, start, end) });

  if (found.kind === 'item' && found.path.join('.') === 'rules') {
    const located = model.rules[found.index];
    if (!located) return undefined;
    return markdown(ruleSummary(model, found.index), found.dash, found.dash + 1);
  }
  if (found.kind === 'key') {
    const object = objectOf(found.path.slice(0, -1));
    const key = found.path[found.path.length - 1]!;
    if (object === 'rule' && key === 'level') {
      const index = Number(found.path[1]);
      return markdown(`${KEY_DOCS.rule.level}\n\n---\n\n${ruleSummary(model, index)}`, found.entry.keyStart, found.entry.keyEnd);
    }
    const text = object ? KEY_DOCS[object][key] : undefined;
    if (!text) return undefined;
    return markdown(`**${key}**${object === 'groupResources' ? ' (resources[] entry)' : object === 'rule' ? ' (rule)' : ''}: ${text}`, found.entry.keyStart, found.entry.keyEnd);
  }
  if (found.kind === 'value' && found.node.kind === 'scalar') {
    const value = found.node.value;
    const valueText = typeof value === 'string' ? value : value === null ? '' : String(value);
    const body = valueDoc(model, found.path, valueText, minor);
    return body ? markdown(body, found.node.start, found.node.end) : undefined;
  }
  return undefined;
}

function objectOf(path: string[]): DocObject | undefined {
  const shape = path.map((s) => (/^\d+$/.test(s) ? '[]' : s)).join('.');
  if (shape === '') return 'policy';
  if (shape === 'rules.[]') return 'rule';
  if (shape === 'rules.[].resources.[]') return 'groupResources';
  return undefined;
}

function valueDoc(model: PolicyModel, path: string[], value: string, minor: number): string | undefined {
  const shape = path.map((s) => (/^\d+$/.test(s) ? '[]' : s)).join('.');
  switch (shape) {
    case 'apiVersion':
      return value === 'audit.k8s.io/v1'
        ? '`audit.k8s.io/v1`: the only policy version kube-apiserver loads (since 1.24; GA since 1.12).'
        : `\`${value}\`: kube-apiserver only loads \`audit.k8s.io/v1\`${/v1(alpha|beta)1$/.test(value) ? ' (v1alpha1 and v1beta1 were removed in 1.24; the fields are the same)' : ''}.`;
    case 'kind':
      return KEY_DOCS.policy.kind;
    case 'rules.[].level':
      return LEVEL_DOCS[value] ?? `\`${value}\` is not a level: kube-apiserver refuses to start. Levels are None, Metadata, Request and RequestResponse (case-sensitive).`;
    case 'omitStages.[]':
    case 'rules.[].omitStages.[]':
      return STAGE_DOCS[value] ?? `\`${value}\` is not a stage: kube-apiserver refuses to start. Stages are RequestReceived, ResponseStarted, ResponseComplete and Panic.`;
    case 'rules.[].verbs.[]':
      if (value === '*') return '`"*"` is **not** a wildcard in verbs: it only matches a request whose verb is literally `*`, which never happens. Remove `verbs` to match every verb.';
      if (NEVER_VERBS.includes(value)) return `\`${value}\` is an RBAC authorization verb: no request ever has it, so it never matches.`;
      return VERB_DOCS[value] ? `**${value}**: ${VERB_DOCS[value]}` : `No request has the verb \`${value}\`: verbs are lower case (get, list, watch, create, update, patch, delete, deletecollection, proxy; or the HTTP method for URLs).`;
    case 'rules.[].users.[]': {
      if (value === '*') return '`"*"` is a literal user name here, not a wildcard. Remove `users` to match every user.';
      const removal = userRemoval(value);
      if (removal && removal.removedIn <= minor) return `\`${value}\`: no request is made as this user since 1.${removal.removedIn} (${removal.note}).`;
      const known = WELL_KNOWN_USERS[value];
      const node = /^system:node:/.test(value) ? 'The kubelet of one node. Match all kubelets with userGroups: [system:nodes].' : undefined;
      const sa = /^system:serviceaccount:([^:]+):(.+)$/.exec(value);
      const about = known ?? node ?? (sa ? `Service account \`${sa[2]}\` of namespace \`${sa[1]}\`.` : undefined);
      return `User \`${value}\`${about ? `: ${about}` : ''}\n\nCompared exactly with the authenticated (original, not impersonated) user name.`;
    }
    case 'rules.[].userGroups.[]': {
      if (value === '*') return '`"*"` is a literal group name here, not a wildcard. Remove `userGroups` to match every group.';
      const known = WELL_KNOWN_GROUPS[value];
      const sa = /^system:serviceaccounts:(.+)$/.exec(value);
      const about = known ?? (sa ? `Every service account of namespace \`${sa[1]}\`.` : undefined);
      return `Group \`${value}\`${about ? `: ${about}` : ''}\n\nThe rule applies when the user belongs to any listed group.`;
    }
    case 'rules.[].namespaces.[]':
      if (value === '') return '`""`: cluster-scoped requests, and cluster-wide list/watch/create of namespaced resources (no namespace in the URL). It does not match get/update of a Namespace object.';
      if (value === '*') return '`"*"` is a literal namespace name here, not a wildcard. Remove `namespaces` to match every namespace.';
      return `Namespace \`${value}\`, compared exactly. Only resource requests have a namespace.`;
    case 'rules.[].nonResourceURLs.[]':
      return urlDoc(value);
    case 'rules.[].resources.[].group': {
      if (value === '') return `The core group \`""\`: ${resourceNames('', minor).join(', ')}.`;
      if (value === '*') return `\`"*"\`: every API group, built-in or custom. ${minor >= FEATURE_MINOR.groupWildcard ? 'Supported since Kubernetes 1.36.' : `Needs Kubernetes 1.36; kube-apiserver 1.${minor} refuses to start.`}`;
      const removal = groupRemoval(value);
      if (removal && removal.removedIn <= minor) return `\`${value}\` is not served since Kubernetes 1.${removal.removedIn}: ${removal.note}.`;
      if (!isKnownGroup(value, minor)) return `\`${value}\`: not a built-in group (a custom resource group, or a typo). The group is compared exactly, without version.`;
      return `API group \`${value}\`: ${resourceNames(value, minor).join(', ')}.`;
    }
    case 'rules.[].resources.[].resources.[]': {
      const item = nodeAtPath(model, path.slice(0, -2));
      const groupNode = item?.kind === 'map' ? item.byKey.get('group')?.value : undefined;
      const group = groupNode?.kind === 'scalar' && typeof groupNode.value === 'string' ? groupNode.value : '';
      return resourceDoc(group, value, minor);
    }
    case 'rules.[].resources.[].resourceNames.[]':
      return `Object name \`${value}\`, compared exactly. create, list, watch and deletecollection requests carry no name and never match it.`;
    case 'omitManagedFields':
    case 'rules.[].omitManagedFields':
      return shape === 'omitManagedFields' ? KEY_DOCS.policy.omitManagedFields : KEY_DOCS.rule.omitManagedFields;
    default:
      return undefined;
  }
}

function groupLabel(group: string): string {
  return group === '' ? 'the core group `""`' : `group \`${group}\``;
}

function resourceDoc(group: string, pattern: string, minor: number): string {
  if (pattern === '*') return `\`*\`: every resource and every subresource of ${group === '*' ? 'every group' : groupLabel(group)}.`;
  if (pattern === '*/*') return '`*/*` matches nothing (it needs a resource or subresource literally named `*`). Write `*`.';
  if (pattern.startsWith('*/')) return `\`${pattern}\`: the \`${pattern.slice(2)}\` subresource of every resource of ${groupLabel(group)}.`;
  const [resource = '', subresource] = pattern.split('/', 2) as [string, string | undefined];
  const facts = group === '*' ? undefined : resourceFacts(group, resource, minor);
  const lines: string[] = [];
  if (subresource === '*') lines.push(`\`${pattern}\`: \`${resource}\` **and** all its subresources (the apiserver also matches plain \`${resource}\` requests).`);
  else if (subresource !== undefined) lines.push(`\`${pattern}\`: the \`${subresource}\` subresource of \`${resource}\` only.`);
  else lines.push(`\`${resource}\`: the objects themselves, **not** their subresources${facts?.subresources.length ? ` (list \`${resource}/${facts.subresources[0]}\` or use \`${resource}/*\`)` : ''}.`);
  if (facts) {
    const kind = kindOf(group, resource);
    lines.push(`Group: ${group === '' ? '`""` (core)' : `\`${group}\``}${kind ? ` · Kind: ${kind}` : ''} · Scope: ${facts.scope}${facts.subresources.length ? ` · Subresources: ${facts.subresources.join(', ')}` : ' · No subresources'}`);
  } else if (group !== '*' && isKnownGroup(group, minor)) {
    lines.push(`${groupLabel(group).replace(/^t/, 'T')} has no resource \`${resource}\` in Kubernetes 1.${minor}: this never matches.`);
  }
  return lines.join('\n\n');
}

// ---- rules ---------------------------------------------------------------------------------------

function list(values: string[] | undefined, quote = true): string {
  return (values ?? []).map((v) => (quote ? `\`${v === '' ? '""' : v}\`` : v)).join(', ');
}

/** What a rule matches, in plain language. */
export function describeRule(rule: PolicyRule): string {
  const who = rule.users?.length
    ? `user ${list(rule.users)}${rule.userGroups?.length ? ` (also in group ${list(rule.userGroups)})` : ''}`
    : rule.userGroups?.length
      ? `users in group ${list(rule.userGroups)}`
      : 'any user';
  const verbs = rule.verbs?.length ? `${list(rule.verbs)} requests` : 'requests with any verb';
  const target = ruleTarget(rule);
  let what: string;
  if (target === 'nonResource') what = `to the non-resource URLs ${list(rule.nonResourceURLs)}`;
  else if (target === 'any') what = 'to anything (every resource and every non-resource URL)';
  else {
    const parts = (rule.resources ?? []).map((gr) => {
      const group = gr.group ?? '';
      const groupText = group === '*' ? 'every group' : group === '' ? 'the core group' : `group \`${group}\``;
      const resources = gr.resources?.length ? `${list(gr.resources)} in ${groupText}` : `everything in ${groupText}`;
      return gr.resourceNames?.length ? `${resources} named ${list(gr.resourceNames)}` : resources;
    });
    what = parts.length ? `to ${parts.join('; ')}` : 'to every resource';
    if (rule.namespaces?.length) what += ` in namespace ${list(rule.namespaces)}`;
  }
  return `${verbs} by ${who} ${what}`;
}

function ruleSummary(model: PolicyModel, index: number): string {
  const policy: Policy = model.policy;
  const rule = policy.rules[index]!;
  const lines: string[] = [];
  lines.push(`**Rule ${index + 1}**${isCatchAll(rule) ? ' (catch-all)' : ''}: matches ${describeRule(rule)}.`);
  const nonResource = ruleTarget(rule) === 'nonResource';
  const rank = levelRank(rule.level);
  const stages = unionStages(policy.omitStages, rule.omitStages);
  lines.push(`- Level: **${rule.level || '(missing)'}**${rule.level === 'None' ? ': no events' : ''}`);
  if (rule.level !== 'None') {
    const bodies = nonResource || rank < 2 ? 'no bodies' : rank === 2 ? 'request bodies (no response bodies)' : 'request and response bodies';
    lines.push(`- Bodies: ${bodies}${nonResource && rank >= 2 ? ' (never for non-resource URLs)' : ''}`);
    lines.push(`- Omitted stages: ${stages.length ? stages.join(', ') : 'none'}${policy.omitStages?.length && rule.omitStages?.length ? " (the policy's and the rule's, unioned)" : policy.omitStages?.length ? ' (from the policy)' : ''}`);
    if (rank >= 2 && !nonResource) lines.push(`- managedFields: ${(rule.omitManagedFields ?? policy.omitManagedFields ?? false) ? 'omitted' : 'kept'}${rule.omitManagedFields !== undefined ? ' (rule)' : policy.omitManagedFields !== undefined ? ' (policy)' : ''}`);
  }
  const w = witnessesOf(rule);
  for (let i = 0; i < index; i++) {
    if (ruleCovers(policy.rules[i]!, w)) {
      lines.push(`\n⚠ Never used: ${ruleLabel(model, i)} matches every request this rule matches, and the first match wins.`);
      break;
    }
  }
  return lines.join('\n');
}
