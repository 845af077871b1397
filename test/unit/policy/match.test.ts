import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstMatchingRule, pathMatches, resourcePatternMatches, ruleMatches } from '../../../server/src/policy/match';
import type { Policy, PolicyRule, RequestAttributes } from '../../../server/src/policy/types';

// The first-match evaluator against spec §4 (checker.go and checker_test.go) and the §6 misconceptions.

const tim = { name: 'tim', groups: ['humans', 'system:authenticated'] };

function resource(overrides: Partial<RequestAttributes>): RequestAttributes {
  return { user: tim, verb: 'get', resourceRequest: true, apiGroup: '', resource: 'pods', subresource: '', namespace: 'default', name: 'busybox', ...overrides };
}

function nonResource(path: string, overrides: Partial<RequestAttributes> = {}): RequestAttributes {
  return { user: tim, verb: 'get', resourceRequest: false, path, ...overrides };
}

function level(rules: PolicyRule[], attrs: RequestAttributes, extra: Partial<Policy> = {}): string {
  return firstMatchingRule({ rules, ...extra }, attrs).level;
}

// The rules of checker_test.go, by name.
const rules: Record<string, PolicyRule> = {
  getPods: { level: 'RequestResponse', verbs: ['get'], resources: [{ group: '', resources: ['pods'] }] },
  getClusterRoles: { level: 'Request', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'] }], namespaces: [''] },
  getLogs: { level: 'RequestResponse', verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics: { level: 'Request', verbs: ['get'], nonResourceURLs: ['/metrics'] },
  clusterRoleEdit: { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
  create: { level: 'Request', verbs: ['create'] },
  tims: { level: 'Metadata', users: ['tim'] },
  humans: { level: 'Metadata', userGroups: ['humans'] },
  catchAll: { level: 'Metadata' },
};

describe('first-match evaluator: checker_test.go cases (spec §4)', () => {
  const namespaced = resource({});
  it('request "namespaced" (tim, get pods/busybox in default)', () => {
    assert.equal(level([rules.getPods!], namespaced), 'RequestResponse');
    assert.equal(level([rules.getClusterRoles!], namespaced), 'None');
    assert.equal(level([rules.getLogs!], namespaced), 'None');
    assert.equal(level([rules.getMetrics!], namespaced), 'None');
    assert.equal(level([rules.create!], namespaced), 'None');
  });

  it('request "cluster" (get clusterroles/edit): the resourceNames rule placed first wins', () => {
    const cluster = resource({ apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '', name: 'edit' });
    assert.equal(level([rules.clusterRoleEdit!, rules.getClusterRoles!], cluster), 'Request');
    assert.equal(firstMatchingRule({ rules: [rules.clusterRoleEdit!, rules.getClusterRoles!] }, cluster).ruleIndex, 0);
    assert.equal(level([rules.getPods!], cluster), 'None');
  });

  it('request "nonResource" (get /logs/kubelet.log)', () => {
    const logs = nonResource('/logs/kubelet.log');
    assert.equal(level([rules.getLogs!], logs), 'RequestResponse');
    assert.equal(level([rules.getMetrics!], logs), 'None');
    assert.equal(level([rules.getPods!, rules.getClusterRoles!], logs), 'None');
  });

  it('request "subresource" (get pods/log): pods/log, *, */log and pods/* match; [pods/log, pods] resolves to pods/log', () => {
    const log = resource({ subresource: 'log' });
    for (const pattern of ['pods/log', '*', '*/log', 'pods/*']) {
      assert.equal(level([{ level: 'Request', resources: [{ resources: [pattern] }] }], log), 'Request', pattern);
    }
    const both: PolicyRule[] = [
      { level: 'Request', resources: [{ resources: ['pods/log'] }] },
      { level: 'Metadata', resources: [{ resources: ['pods'] }] },
    ];
    assert.equal(firstMatchingRule({ rules: both }, log).ruleIndex, 0);
  });

  it('request "Unauthorized" (no user): users and userGroups rules never match; a catch-all does', () => {
    const anonymous = resource({ user: undefined });
    assert.equal(level([rules.tims!], anonymous), 'None');
    assert.equal(level([rules.humans!], anonymous), 'None');
    assert.equal(level([rules.tims!, rules.humans!, rules.catchAll!], anonymous), 'Metadata');
  });

  it('request "ClusterRoleUpdate" (update clusterroles/status): group "*" with */status', () => {
    const update = resource({ verb: 'update', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', subresource: 'status', namespace: '', name: 'edit' });
    assert.equal(level([{ level: 'RequestResponse', resources: [{ group: '*', resources: ['*/status'] }] }], update), 'RequestResponse');
  });

  it('omitStages are unioned without duplicates (TestUnionStages)', () => {
    const policy: Policy = { omitStages: ['RequestReceived', 'ResponseStarted'], rules: [{ level: 'Metadata', omitStages: ['RequestReceived'] }] };
    assert.deepEqual(firstMatchingRule(policy, namespaced).omitStages, ['RequestReceived', 'ResponseStarted']);
    const rulePlus: Policy = { omitStages: ['RequestReceived'], rules: [{ level: 'Metadata', omitStages: ['Panic'] }] };
    assert.deepEqual(firstMatchingRule(rulePlus, namespaced).omitStages, ['RequestReceived', 'Panic']);
    // No match: only the policy's stages, level None.
    const none = firstMatchingRule({ omitStages: ['Panic'], rules: [rules.create!] }, namespaced);
    assert.deepEqual([none.ruleIndex, none.level, none.omitStages], [undefined, 'None', ['Panic']]);
  });

  it('omitManagedFields: the rule overrides the policy when set (false/nil, true/nil, true/false, false/true)', () => {
    const cases: [boolean, boolean | undefined, boolean][] = [
      [false, undefined, false],
      [true, undefined, true],
      [true, false, false],
      [false, true, true],
    ];
    for (const [policyValue, ruleValue, expected] of cases) {
      const rule: PolicyRule = { level: 'Request' };
      if (ruleValue !== undefined) rule.omitManagedFields = ruleValue;
      assert.equal(firstMatchingRule({ omitManagedFields: policyValue, rules: [rule] }, namespaced).omitManagedFields, expected, `${policyValue}/${ruleValue}`);
    }
  });
});

describe('first-match evaluator: the misconceptions of spec §6', () => {
  it('no matching rule means None, not Metadata', () => {
    assert.equal(level([rules.getMetrics!], resource({})), 'None');
    assert.equal(firstMatchingRule({ rules: [] }, resource({})).ruleIndex, undefined);
  });

  it('pods does not cover pods/exec or pods/log; pods/* also matches plain pods', () => {
    const podsOnly = [{ level: 'Request', resources: [{ resources: ['pods'] }] }];
    assert.equal(level(podsOnly, resource({ subresource: 'exec', verb: 'create' })), 'None');
    assert.equal(level(podsOnly, resource({ subresource: 'log' })), 'None');
    assert.equal(level([{ level: 'Request', resources: [{ resources: ['pods/*'] }] }], resource({})), 'Request');
    assert.equal(resourcePatternMatches('pods/*', 'pods', ''), true);
    assert.equal(resourcePatternMatches('*/scale', 'deployments', 'scale'), true);
    assert.equal(resourcePatternMatches('*/scale', 'deployments', ''), false);
    assert.equal(resourcePatternMatches('*/*', 'pods', 'log'), false);
  });

  it('"*" is literal in users, userGroups, verbs and namespaces', () => {
    assert.equal(level([{ level: 'Metadata', users: ['*'] }], resource({})), 'None');
    assert.equal(level([{ level: 'Metadata', userGroups: ['*'] }], resource({})), 'None');
    assert.equal(level([{ level: 'Metadata', verbs: ['*'] }], resource({})), 'None');
    assert.equal(level([{ level: 'Metadata', namespaces: ['*'] }], resource({})), 'None');
  });

  it('namespaces: [""] matches cluster-scoped and cluster-wide list/create, not the Namespace object itself', () => {
    const clusterWide: PolicyRule[] = [{ level: 'Metadata', namespaces: [''] }];
    assert.equal(level(clusterWide, resource({ verb: 'list', namespace: '', name: '' })), 'Metadata');
    assert.equal(level(clusterWide, resource({ resource: 'nodes', namespace: '', name: 'n1' })), 'Metadata');
    // GET /api/v1/namespaces/foo has namespace "foo".
    assert.equal(level(clusterWide, resource({ resource: 'namespaces', namespace: 'foo', name: 'foo' })), 'None');
  });

  it('namespaces rules never match non-resource requests', () => {
    assert.equal(level([{ level: 'Metadata', namespaces: ['default'] }], nonResource('/healthz')), 'None');
    assert.equal(ruleMatches({ level: 'Metadata', namespaces: ['default'], nonResourceURLs: ['/healthz'] }, nonResource('/healthz')), false);
  });

  it('policy omitStages are unioned with, not overridden by, rule omitStages', () => {
    const result = firstMatchingRule({ omitStages: ['RequestReceived'], rules: [{ level: 'Metadata', omitStages: [] }] }, resource({}));
    assert.deepEqual(result.omitStages, ['RequestReceived']);
  });

  it('the original user is matched (the evaluator only ever sees the user it is given)', () => {
    const admin = resource({ user: { name: 'admin', groups: ['system:masters'] } });
    assert.equal(level([{ level: 'None', users: ['impersonated-bob'] }, rules.catchAll!], admin), 'Metadata');
  });

  it('resourceNames never match create, list, watch or deletecollection (they carry no name)', () => {
    const named: PolicyRule[] = [{ level: 'None', resources: [{ resources: ['configmaps'], resourceNames: ['leader'] }] }, rules.catchAll!];
    for (const verb of ['create', 'list', 'watch', 'deletecollection']) {
      assert.equal(level(named, resource({ verb, resource: 'configmaps', name: '' })), 'Metadata', verb);
    }
    assert.equal(level(named, resource({ verb: 'update', resource: 'configmaps', name: 'leader' })), 'None');
  });

  it('nonResourceURLs: "*" is everything, a trailing "*" is a plain prefix, nothing else is a glob', () => {
    assert.equal(pathMatches('*', '/anything'), true);
    assert.equal(pathMatches('/healthz*', '/healthz'), true);
    assert.equal(pathMatches('/healthz*', '/healthz/etcd'), true);
    assert.equal(pathMatches('/healthz*', '/healthzfoo'), true);
    assert.equal(pathMatches('/api*', '/apis/apps'), true);
    assert.equal(pathMatches('/metrics', '/metrics/cadvisor'), false);
    assert.equal(level([{ level: 'Metadata', nonResourceURLs: ['*'] }], resource({})), 'None');
  });

  it('the API version is never considered; the group must match exactly (core is "")', () => {
    assert.equal(level([{ level: 'Metadata', resources: [{ group: 'apps', resources: ['deployments'] }] }], resource({ apiGroup: 'apps', resource: 'deployments' })), 'Metadata');
    assert.equal(level([{ level: 'Metadata', resources: [{ group: 'core', resources: ['pods'] }] }], resource({})), 'None');
    assert.equal(level([{ level: 'Metadata', resources: [{ group: '', resources: ['deployments'] }] }], resource({ apiGroup: 'apps', resource: 'deployments' })), 'None');
  });

  it('verbs are exact; a rule with users and verbs is an AND', () => {
    const rule: PolicyRule = { level: 'Request', users: ['tim'], verbs: ['get'] };
    assert.equal(ruleMatches(rule, resource({})), true);
    assert.equal(ruleMatches(rule, resource({ verb: 'GET' })), false);
    assert.equal(ruleMatches(rule, resource({ user: { name: 'ann', groups: [] } })), false);
  });
});
