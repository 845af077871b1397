import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRequest } from '../../../../server/src/policy/features/explain';
import { policy, rules } from '../helpers';

// The checker cases of spec §4 (checker_test.go), asked through explainRequest.

const GET_PODS = 'level: RequestResponse\nverbs: [get]\nresources: [{group: "", resources: [pods]}]';
const GET_CLUSTER_ROLES = 'level: Request\nverbs: [get]\nresources: [{group: rbac.authorization.k8s.io, resources: [clusterroles]}]\nnamespaces: [""]';
const CLUSTER_ROLE_EDIT = 'level: Request\nresources: [{group: rbac.authorization.k8s.io, resources: [clusterroles], resourceNames: [edit]}]';
const GET_LOGS = 'level: RequestResponse\nnonResourceURLs: [/logs*]';
const GET_METRICS = 'level: Request\nnonResourceURLs: [/metrics]';
const TIM = { user: 'tim', groups: ['humans'] };
const NAMESPACED = { ...TIM, verb: 'get', resource: 'pods', namespace: 'default', name: 'busybox' };

describe('explainRequest: checker cases', () => {
  it('namespaced: get pods/busybox in default', () => {
    const result = explainRequest(rules(GET_PODS), NAMESPACED)!;
    assert.equal(result.level, 'RequestResponse');
    assert.equal(result.ruleIndex, 0);
    assert.equal(result.ruleLine, 3);
    assert.equal(result.requestBodyLogged, true);
    assert.equal(result.responseBodyLogged, true);
    assert.match(result.summary, /rule 1 \(line 4\)/);
    for (const other of [GET_CLUSTER_ROLES, GET_LOGS, GET_METRICS]) {
      const none = explainRequest(rules(other), NAMESPACED)!;
      assert.equal(none.level, 'None');
      assert.equal(none.ruleIndex, undefined);
      assert.match(none.summary, /not logged/);
    }
    assert.equal(explainRequest(rules(GET_PODS), { ...NAMESPACED, verb: 'create', name: '' })!.level, 'None');
  });

  it('cluster: clusterroles/edit; the resourceNames rule placed first wins', () => {
    const request = { ...TIM, verb: 'get', resource: 'clusterroles', name: 'edit' };
    const result = explainRequest(rules(CLUSTER_ROLE_EDIT, GET_CLUSTER_ROLES), request)!;
    assert.equal(result.level, 'Request');
    assert.equal(result.ruleIndex, 0);
    assert.equal(explainRequest(rules(GET_CLUSTER_ROLES), request)!.ruleIndex, 0, 'the group comes from the catalog');
    assert.equal(explainRequest(rules(GET_PODS), request)!.level, 'None');
  });

  it('nonResource: /logs/kubelet.log; no bodies for URLs', () => {
    const request = { ...TIM, verb: 'get', path: '/logs/kubelet.log' };
    const result = explainRequest(rules(GET_METRICS, GET_LOGS), request)!;
    assert.equal(result.level, 'RequestResponse');
    assert.equal(result.ruleIndex, 1);
    assert.equal(result.requestBodyLogged, false);
    assert.equal(result.responseBodyLogged, false);
    assert.match(result.summary, /never for non-resource URLs/);
    assert.equal(explainRequest(rules(GET_PODS), request)!.level, 'None');
  });

  it('subresource: pods/log matches pods/log, *, */log and pods/*, not pods', () => {
    const request = { ...TIM, verb: 'get', resource: 'pods/log', namespace: 'default', name: 'busybox' };
    for (const pattern of ['pods/log', '"*"', '"*/log"', 'pods/*']) {
      assert.equal(explainRequest(rules(`level: Request\nresources: [{group: "", resources: [${pattern}]}]`), request)!.level, 'Request', pattern);
    }
    assert.equal(explainRequest(rules('level: Request\nresources: [{group: "", resources: [pods]}]'), request)!.level, 'None');
    const both = rules('level: Request\nresources: [{group: "", resources: [pods/log, pods]}]');
    assert.equal(explainRequest(both, request)!.level, 'Request');
  });

  it('unauthorized: a request without user only matches rules without users/userGroups', () => {
    const text = rules('level: None\nusers: [tim]', 'level: None\nuserGroups: [humans]', 'level: Metadata');
    const result = explainRequest(text, { verb: 'get', resource: 'pods', namespace: 'default' })!;
    assert.equal(result.level, 'Metadata');
    assert.equal(result.ruleIndex, 2);
    assert.equal(explainRequest(text, NAMESPACED)!.ruleIndex, 0);
  });

  it('ClusterRoleUpdate: group "*" with */status (1.36)', () => {
    const text = rules('level: RequestResponse\nresources: [{group: "*", resources: ["*/status"]}]');
    const result = explainRequest(text, { ...TIM, verb: 'update', resource: 'clusterroles/status', name: 'edit' })!;
    assert.equal(result.level, 'RequestResponse');
    assert.equal(explainRequest(text, { ...TIM, verb: 'update', resource: 'clusterroles/status' }, { kubernetesVersion: '1.35' }), undefined, 'group "*" stops 1.35');
  });

  it('omitStages are unioned; omitManagedFields: the rule overrides the policy', () => {
    const text = policy('omitStages: [RequestReceived, ResponseStarted]\nomitManagedFields: true\nrules:\n- level: Request\n  omitStages: [RequestReceived]\n  omitManagedFields: false\n- level: Metadata\n');
    const first = explainRequest(text, { ...NAMESPACED, verb: 'create', name: '' })!;
    assert.deepEqual(first.omitStages, ['RequestReceived', 'ResponseStarted']);
    assert.equal(first.omitManagedFields, false);
    assert.equal(first.requestBodyLogged, true);
    assert.equal(first.responseBodyLogged, false);
    for (const [policyValue, ruleValue, expected] of [
      [false, undefined, false],
      [true, undefined, true],
      [true, false, false],
      [false, true, true],
    ] as const) {
      const t = policy(`omitManagedFields: ${policyValue}\nrules:\n- level: Request${ruleValue === undefined ? '' : `\n  omitManagedFields: ${ruleValue}`}\n`);
      assert.equal(explainRequest(t, NAMESPACED)!.omitManagedFields, expected);
    }
  });

  it('the group of a resource comes from the catalog when unambiguous, or is given', () => {
    const text = rules('level: None\nresources: [{group: apps, resources: [deployments]}]', 'level: Metadata');
    assert.equal(explainRequest(text, { ...TIM, verb: 'get', resource: 'deployments', namespace: 'x' })!.ruleIndex, 0);
    assert.equal(explainRequest(text, { ...TIM, verb: 'get', resource: 'deployments', apiGroup: 'extensions', namespace: 'x' })!.ruleIndex, 1);
  });

  it('undefined for a policy kube-apiserver refuses, and for other YAML', () => {
    assert.equal(explainRequest(rules('level: FooBar'), NAMESPACED), undefined);
    assert.equal(explainRequest('apiVersion: v1\nkind: ConfigMap\n', NAMESPACED), undefined);
    assert.ok(explainRequest('rules:\n- level: Metadata\n', NAMESPACED, { assumePolicy: true }) === undefined, 'no apiVersion: refused');
  });
});
