import type { Diagnostic } from 'vscode-languageserver-types';
import { groupRemoval, groupsServing, isKnownGroup, resourceFacts, resourceNames, resourceRemoval, userRemoval } from '../../catalog/catalog';
import { diagnostic } from '../diagnostic';
import { groupResourceNodes, spanRange, stringItems, type PolicyModel } from '../../yaml/model';
import type { PolicyRule } from '../../types';

/**
 * Names checked against the Kubernetes API catalog for the target release: resources in the wrong
 * group (deployments in core), resources and subresources that do not exist (pod, pods/logs), groups
 * and identities that are gone. Custom (CRD) groups are unknown to the catalog and left alone.
 */
export function catalogDiagnostics(model: PolicyModel, minor: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const located of model.rules) {
    if (located.node.kind !== 'map' || !mayConcernCatalog(located.rule, minor)) continue;
    for (const item of stringItems(located.node, 'users')) {
      const removal = userRemoval(item.value);
      if (removal && removal.removedIn <= minor) {
        out.push(
          diagnostic('user-removed', 'warning', spanRange(model, item.node), `No request is made as "${item.value}" since Kubernetes 1.${removal.removedIn}: ${removal.note}. This entry never matches.`, {
            removeItem: true,
          }),
        );
      }
    }
    for (const gr of groupResourceNodes(located.node)) {
      const groupNode = gr.byKey.get('group')?.value;
      const group = groupNode?.kind === 'scalar' && typeof groupNode.value === 'string' ? groupNode.value : groupNode ? undefined : '';
      if (group === undefined || group === '*') continue;
      const removal = groupRemoval(group);
      if (removal && removal.removedIn <= minor) {
        out.push(
          diagnostic(
            'group-removed',
            'warning',
            spanRange(model, groupNode ?? gr),
            `API group "${group}" is not served since Kubernetes 1.${removal.removedIn}, so this entry matches nothing on 1.${minor}: ${removal.note}.`,
          ),
        );
        continue;
      }
      if (!isKnownGroup(group, minor)) continue;
      for (const item of stringItems(gr, 'resources')) resourceName(model, group, item.value, item.node, minor, out);
    }
  }
  return out;
}

/** A cheap pass over the typed rule, so that only rules with a finding pay for locating nodes. */
function mayConcernCatalog(rule: PolicyRule, minor: number): boolean {
  if (rule.users?.some((user) => userRemoval(user) !== undefined)) return true;
  for (const gr of rule.resources ?? []) {
    const group = gr.group ?? '';
    if (group === '*') continue;
    if (groupRemoval(group) !== undefined) return true;
    if (!isKnownGroup(group, minor)) continue;
    for (const pattern of gr.resources ?? []) {
      const slash = pattern.indexOf('/');
      const resource = slash < 0 ? pattern : pattern.slice(0, slash);
      if (resource === '*' || resource === '') continue;
      const facts = resourceFacts(group, resource, minor);
      if (!facts) return true;
      const subresource = slash < 0 ? undefined : pattern.slice(slash + 1);
      if (subresource !== undefined && subresource !== '*' && !facts.subresources.includes(subresource)) return true;
    }
  }
  return false;
}

function resourceName(model: PolicyModel, group: string, pattern: string, node: { start: number; end: number }, minor: number, out: Diagnostic[]): void {
  const [resource = '', subresource] = pattern.split('/', 2) as [string, string | undefined];
  if (resource === '*' || resource === '') return;
  const groupLabel = group === '' ? 'the core group ("")' : `group "${group}"`;
  const facts = resourceFacts(group, resource, minor);
  if (facts === undefined) {
    const removed = resourceRemoval(group, resource);
    if (removed && removed.removedIn <= minor) {
      out.push(diagnostic('resource-removed', 'warning', spanRange(model, node), `"${resource}" in ${groupLabel} is not served since Kubernetes 1.${removed.removedIn}: ${removed.note}.`));
      return;
    }
    const elsewhere = groupsServing(resource, minor);
    if (elsewhere.length > 0) {
      const names = elsewhere.map((g) => (g === '' ? '""' : `"${g}"`)).join(' or ');
      out.push(
        diagnostic(
          'resource-wrong-group',
          'warning',
          spanRange(model, node),
          `"${resource}" is not in ${groupLabel}; it is served by group ${names}. Requests are matched on their group, so this never matches ${resource}: put it in an entry with group: ${names.split(' or ')[0]}.`,
          { group: elsewhere[0] },
        ),
      );
      return;
    }
    const suggestion = closest(resource, resourceNames(group, minor));
    out.push(
      diagnostic(
        'resource-unknown',
        'warning',
        spanRange(model, node),
        `${groupLabel.charAt(0).toUpperCase()}${groupLabel.slice(1)} has no resource "${resource}" in Kubernetes 1.${minor}, so this never matches.${suggestion ? ` Did you mean "${subresource === undefined ? suggestion : `${suggestion}/${subresource}`}"? (Resources are plural and lower case.)` : ''}`,
        suggestion ? { replacement: subresource === undefined ? suggestion : `${suggestion}/${subresource}` } : undefined,
      ),
    );
    return;
  }
  if (subresource === undefined || subresource === '*' || facts.subresources.includes(subresource)) return;
  const suggestion = closest(subresource, [...facts.subresources]);
  const known = facts.subresources.length ? `Its subresources are ${facts.subresources.join(', ')}.` : `"${resource}" has no subresources.`;
  out.push(
    diagnostic(
      'subresource-unknown',
      'warning',
      spanRange(model, node),
      `"${resource}" has no subresource "${subresource}", so this never matches. ${known}${suggestion ? ` Did you mean "${resource}/${suggestion}"?` : ''}`,
      suggestion ? { replacement: `${resource}/${suggestion}` } : undefined,
    ),
  );
}

/** A likely intended name: same letters in another case, a missing or extra plural "s", or one typo. */
function closest(name: string, candidates: string[]): string | undefined {
  const lower = name.toLowerCase();
  return (
    candidates.find((c) => c === lower) ??
    candidates.find((c) => c === `${lower}s` || c === `${lower}es` || `${c}s` === lower || c === lower.replace(/y$/, 'ies')) ??
    candidates.find((c) => oneEditApart(c, lower))
  );
}

function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}
