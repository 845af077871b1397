import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hover } from 'vscode-languageserver-types';
import { groupNames, resourceNames } from '../../../../server/src/policy/catalog/catalog';
import { kindOf } from '../../../../server/src/policy/catalog/kinds';
import { policyHover } from '../../../../server/src/policy/features/hover';
import { URI } from '../helpers';

const HEADER = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/** Hover at the "|" of a document (the marker is removed). */
function hover(marked: string, kubernetesVersion?: string): Hover | undefined {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = marked.slice(0, at).split('\n');
  return policyHover(URI, text, { line: before.length - 1, character: before[before.length - 1]!.length }, kubernetesVersion ? { kubernetesVersion } : {});
}

function markdown(marked: string, kubernetesVersion?: string): string {
  const h = hover(marked, kubernetesVersion);
  assert.ok(h, 'no hover');
  return (h.contents as { value: string }).value;
}

describe('hover: keys', () => {
  it('policy, rule and resources[] keys with the apiserver facts', () => {
    assert.match(markdown(`${HEADER}rul|es:\n- level: None\n`), /first rule that matches decides[\s\S]*default level is `None`/);
    assert.match(markdown(`${HEADER}omitSt|ages: [RequestReceived]\nrules:\n- level: None\n`), /unioned/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  us|ers: [a]\n`), /compared \*\*exactly\*\*[\s\S]*impersonated/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  omitManagedFields: true\n  omit|Stages: [Panic]\n`), /Unioned/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  omitManaged|Fields: true\n`), /overrides/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  nonResourceURLs: [/x]\n  ver|bs: [get]\n`), /never occur/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - gro|up: apps\n`), /core group/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - resourceN|ames: [a]\n    resources: [pods]\n`), /carry no name/);
    const h = hover(`${HEADER}rules:\n- level: None\n  us|ers: [a]\n`)!;
    assert.deepEqual(h.range, { start: { line: 4, character: 2 }, end: { line: 4, character: 7 } });
  });
});

describe('hover: values', () => {
  it('levels, stages, verbs, users, groups, namespaces, URLs', () => {
    assert.match(markdown(`${HEADER}rules:\n- level: Meta|data\n`), /no request or response body/);
    assert.match(markdown(`${HEADER}omitStages: [RequestRec|eived]\nrules:\n- level: None\n`), /as soon as the request arrives/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  verbs: [li|st]\n`), /collection/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  verbs: [impers|onate]\n`), /never matches/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  verbs: ["|*"]\n`), /not\*\* a wildcard/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  users: [system:kube-pr|oxy]\n`), /kube-proxy/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  users: [system:serviceaccount:kube-system:foo|]\n`), /Service account `foo` of namespace `kube-system`/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  userGroups: [system:no|des]\n`), /kubelet/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  namespaces: ["|"]\n`), /cluster-wide list/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  nonResourceURLs: [/healthz|*]\n`), /plain string prefix/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources: [{group: "*|"}]\n`, '1.35'), /refuses to start/);
  });

  it('resources: group, scope and subresources from the catalog', () => {
    const pods = markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [po|ds]\n`);
    assert.match(pods, /\*\*not\*\* their subresources/);
    assert.match(pods, /Group: `""` \(core\) · Kind: Pod · Scope: Namespaced · Subresources: attach, .*exec/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: apps\n    resources: [deployments/sc|ale]\n`), /`scale` subresource of `deployments` only[\s\S]*Group: `apps` · Kind: Deployment/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [pods/|*]\n`), /also matches plain `pods`/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [deploy|ments]\n`), /has no resource `deployments`/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: ""\n    resources: [nodes]\n  - group: ""\n    resources: [namesp|aces]\n`), /Scope: Cluster/);
    assert.match(markdown(`${HEADER}rules:\n- level: None\n  resources:\n  - group: ap|ps\n`), /deployments/);
  });
});

describe('kinds', () => {
  it('every resource of the catalog has a kind', () => {
    for (const minor of [22, 36]) {
      for (const group of groupNames(minor)) for (const resource of resourceNames(group, minor)) assert.ok(kindOf(group, resource), `${group}/${resource}`);
    }
    assert.equal(kindOf('metrics.k8s.io', 'pods'), 'PodMetrics');
  });
});

describe('hover: rules', () => {
  const text = `${HEADER}omitStages: [RequestReceived]\nrules:\n- level: Metadata\n  resources: [{group: "", resources: [secrets]}]\n|- level: RequestResponse\n  verbs: [get]\n  resources: [{group: "", resources: [secrets]}]\n  omitStages: [Panic]\n- level: Request\n  nonResourceURLs: [/version]\n- level: Metadata\n`;

  it('on the "-": what it matches, level, bodies, stages (unioned), and who shadows it', () => {
    const summary = markdown(text);
    assert.match(summary, /\*\*Rule 2\*\*: matches `get` requests by any user to `secrets` in the core group/);
    assert.match(summary, /Level: \*\*RequestResponse\*\*/);
    assert.match(summary, /Bodies: request and response bodies/);
    assert.match(summary, /Omitted stages: RequestReceived, Panic \(the policy's and the rule's, unioned\)/);
    assert.match(summary, /Never used: rule 1 \(line 5\)/);
  });

  it('on the level key; no bodies for URLs; the catch-all', () => {
    const urls = markdown(text.replace('|', '').replace('- level: Request\n', '- le|vel: Request\n'));
    assert.match(urls, /Required/);
    assert.match(urls, /Bodies: no bodies \(never for non-resource URLs\)/);
    assert.doesNotMatch(urls, /Never used/);
    assert.match(markdown(`${text.replace('|', '').replace(/- level: Metadata\n$/, '|- level: Metadata\n')}`), /\(catch-all\)/);
  });

  it('undefined outside a policy and on nothing', () => {
    assert.equal(policyHover('file:///x/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n', { line: 0, character: 2 }), undefined);
    assert.equal(hover(`${HEADER}rules:\n- level: None\n|\n`), undefined);
  });
});
