import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSample } from '../../../server/src/simulation/readSample';
import { simulatePolicy } from '../../../server/src/simulation/simulate';
import { rules } from '../policy/helpers';
import { bytesOf, linesOf, policyOf, sampleOf, type RequestSpec } from './helpers';

// Every expectation below is counted by hand from the requests listed in the test (spec §4): which
// rule comes first for each request, which stages it writes, and the bytes of those lines.

const ALICE = { user: 'alice', groups: ['dev', 'system:authenticated'] };
const NODE = { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const PROXY = { user: 'system:kube-proxy', groups: ['system:authenticated'] };

function requestsPerRule(policyText: string, specs: RequestSpec[]): { perRule: number[]; unmatched: number } {
  const simulation = simulatePolicy(sampleOf(specs), policyOf(policyText));
  return { perRule: simulation.rules.map((r) => r.requests), unmatched: simulation.unmatched.requests };
}

describe('simulatePolicy: which rule each request hits', () => {
  it('first match wins, later rules only get what earlier ones leave', () => {
    const text = rules('level: None\nusers: [system:kube-proxy]', 'level: Metadata\nresources: [{group: "", resources: [pods]}]', 'level: Request');
    const specs: RequestSpec[] = [
      { id: 'a', ...PROXY, verb: 'watch', resource: 'pods' }, // rule 0 (users), before the pods rule
      { id: 'b', ...ALICE, verb: 'get', resource: 'pods', namespace: 'prod', name: 'web' }, // rule 1
      { id: 'c', ...ALICE, verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }, // rule 2
      { id: 'd', ...PROXY, verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }, // rule 0
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [2, 1, 1], unmatched: 0 });
  });

  it('wildcards: "*", pods/*, */status, group "*"; pods does not cover pods/log', () => {
    const text = rules(
      'level: Metadata\nresources: [{group: "", resources: [pods]}]',
      'level: Metadata\nresources: [{group: "", resources: ["pods/*"]}]',
      'level: Metadata\nresources: [{group: "*", resources: ["*/status"]}]',
      'level: Metadata\nresources: [{group: apps, resources: ["*"]}]',
    );
    const specs: RequestSpec[] = [
      { id: 'a', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'x' }, // rule 0
      { id: 'b', ...ALICE, verb: 'get', resource: 'pods', subresource: 'log', namespace: 'p', name: 'x' }, // rule 1 (pods/* covers pods/log)
      { id: 'c', ...NODE, verb: 'patch', resource: 'nodes', subresource: 'status', name: 'n1' }, // rule 2 (*/status, any group)
      { id: 'd', ...ALICE, verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'status', namespace: 'p', name: 'd' }, // rule 2 before rule 3
      { id: 'e', ...ALICE, verb: 'get', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespace: 'p', name: 'd' }, // rule 3 ("*" = all subresources)
      { id: 'f', ...ALICE, verb: 'get', apiGroup: 'batch', resource: 'jobs', namespace: 'p', name: 'j' }, // none
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [1, 1, 2, 1], unmatched: 1 });
  });

  it('nonResourceURLs: trailing * is a plain prefix, others exact; resource rules never take URLs', () => {
    const text = rules('level: None\nnonResourceURLs: [/healthz*]', 'level: Metadata\nnonResourceURLs: [/api]', 'level: Metadata\nresources: [{group: ""}]', 'level: Request');
    const specs: RequestSpec[] = [
      { id: 'a', ...NODE, verb: 'get', uri: '/healthz' }, // 0
      { id: 'b', ...NODE, verb: 'get', uri: '/healthz/etcd?verbose' }, // 0 (the query is not part of the path)
      { id: 'c', ...NODE, verb: 'get', uri: '/healthzfoo' }, // 0 (plain prefix)
      { id: 'd', ...ALICE, verb: 'get', uri: '/api' }, // 1
      { id: 'e', ...ALICE, verb: 'get', uri: '/apis' }, // 3: "/api" is exact, and the core-group rule is resources-only
      { id: 'f', ...ALICE, verb: 'list', resource: 'pods', namespace: 'p' }, // 2
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [3, 1, 1, 1], unmatched: 0 });
  });

  it('users and userGroups: exact names; a request without a user matches neither', () => {
    const text = rules('level: None\nuserGroups: [system:nodes]', 'level: None\nusers: [alice]', 'level: Metadata');
    const specs: RequestSpec[] = [
      { id: 'a', ...NODE, verb: 'get', resource: 'nodes', name: 'n1' }, // 0
      { id: 'b', ...ALICE, verb: 'get', resource: 'nodes', name: 'n1' }, // 1
      { id: 'c', user: 'alice2', groups: ['system:nodesx'], verb: 'get', resource: 'nodes', name: 'n1' }, // 2 (no wildcards)
      { id: 'd', verb: 'get', resource: 'nodes', name: 'n1' }, // 2 (failed authentication: no user)
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [1, 1, 2], unmatched: 0 });
  });

  it('namespaces: "" is cluster-scoped and cluster-wide requests; a rule with namespaces takes no URLs', () => {
    const text = rules('level: Metadata\nnamespaces: [""]', 'level: Request\nnamespaces: [kube-system]');
    const specs: RequestSpec[] = [
      { id: 'a', ...ALICE, verb: 'list', resource: 'pods' }, // 0: cluster-wide list
      { id: 'b', ...ALICE, verb: 'get', resource: 'nodes', name: 'n1' }, // 0: cluster-scoped
      { id: 'c', ...ALICE, verb: 'get', resource: 'pods', namespace: 'kube-system', name: 'x' }, // 1
      { id: 'd', ...ALICE, verb: 'get', resource: 'pods', namespace: 'prod', name: 'x' }, // none
      { id: 'e', ...ALICE, verb: 'get', uri: '/version' }, // none
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [2, 1], unmatched: 2 });
  });

  it('resourceNames: only the named objects, never a create in a collection', () => {
    const text = rules('level: None\nresources: [{group: "", resources: [configmaps], resourceNames: [leader]}]', 'level: Metadata');
    const specs: RequestSpec[] = [
      { id: 'a', ...NODE, verb: 'update', resource: 'configmaps', namespace: 'kube-system', name: 'leader' }, // 0
      { id: 'b', ...NODE, verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'leader' }, // 0
      { id: 'c', ...NODE, verb: 'get', resource: 'configmaps', namespace: 'kube-system', name: 'other' }, // 1
      // objectRef.name of a create is filled in from the object; the checker saw no name.
      { id: 'd', ...NODE, verb: 'create', resource: 'configmaps', namespace: 'kube-system', name: 'leader' }, // 1
    ];
    assert.deepEqual(requestsPerRule(text, specs), { perRule: [2, 2], unmatched: 0 });
  });

  it('dead rules and unmatched requests', () => {
    const text = rules('level: Metadata\nresources: [{group: "", resources: [secrets]}]', 'level: Metadata\nverbs: [delete]', 'level: None\nresources: [{group: "", resources: [pods]}]');
    const specs: RequestSpec[] = [
      { id: 'a', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'x' }, // 2
      { id: 'b', ...ALICE, verb: 'get', resource: 'services', namespace: 'p', name: 'x', stages: ['RequestReceived', 'ResponseComplete'] }, // none
      { id: 'c', ...ALICE, verb: 'get', uri: '/version', stages: ['ResponseComplete'] }, // none
    ];
    const simulation = simulatePolicy(sampleOf(specs), policyOf(text));
    assert.deepEqual(simulation.rules.map((r) => r.requests), [0, 0, 1]);
    assert.deepEqual(simulation.unmatched, { requests: 2, events: 3 });
    assert.equal(simulation.totals.events, 0, 'None and unmatched write nothing');
    assert.equal(simulation.byLevel.None.requests, 3);
  });
});

describe('simulatePolicy: events and bytes', () => {
  it('omitStages: policy and rule stages are unioned; a stage the request has but the rule omits costs nothing', () => {
    const exec: RequestSpec = { id: 'x', ...ALICE, verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'p', name: 'web', stages: ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] };
    const get: RequestSpec = { id: 'g', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'web' };
    const [received, started, complete] = linesOf(exec).map(bytesOf) as [number, number, number];
    const [getReceived, getComplete] = linesOf(get).map(bytesOf) as [number, number];
    const text = `apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  resources: [{group: "", resources: [pods/exec]}]\n  omitStages: [ResponseStarted]\n- level: Metadata\n`;
    const simulation = simulatePolicy(sampleOf([exec, get]), policyOf(text));
    assert.deepEqual(simulation.rules.map((r) => [r.requests, r.events, r.bytes]), [
      [1, 1, complete],
      [1, 1, getComplete],
    ]);
    const none = simulatePolicy(sampleOf([exec, get]), policyOf(rules('level: Metadata')));
    assert.equal(none.totals.events, 5);
    assert.equal(none.totals.bytes, received + started + complete + getReceived + getComplete);
    assert.equal(none.totals.estimatedBytes, 0);
  });

  it('stages the log lacks are written, sized like the request\'s smallest logged event, and counted as estimated', () => {
    // A log written with omitStages: [RequestReceived]; a watch is long-running, so it also has a ResponseStarted.
    const get: RequestSpec = { id: 'g', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'x', stages: ['ResponseComplete'] };
    const watch: RequestSpec = { id: 'w', ...ALICE, verb: 'watch', resource: 'pods', namespace: 'p', stages: ['ResponseComplete'] };
    const getBytes = bytesOf(linesOf(get)[0]!);
    const watchBytes = bytesOf(linesOf(watch)[0]!);
    const simulation = simulatePolicy(sampleOf([get, watch]), policyOf(rules('level: Metadata')));
    assert.equal(simulation.totals.events, 2 + 3);
    assert.equal(simulation.totals.missingStageEvents, 1 + 2);
    assert.equal(simulation.totals.estimatedBytes, getBytes + 2 * watchBytes);
    assert.equal(simulation.totals.bytes, 2 * getBytes + 3 * watchBytes);
  });

  it('bodies: measured where logged, estimated from the same (group, resource, verb), else unknown (metadata only)', () => {
    const pod = { kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
    const logged: RequestSpec = { id: 'a', ...ALICE, verb: 'create', resource: 'pods', namespace: 'p', level: 'Request', requestObject: pod, stages: ['ResponseComplete'] };
    const unlogged: RequestSpec = { id: 'b', ...ALICE, verb: 'create', resource: 'pods', namespace: 'p', level: 'Metadata', stages: ['ResponseComplete'] };
    const unknown: RequestSpec = { id: 'c', ...ALICE, verb: 'create', resource: 'services', namespace: 'p', level: 'Metadata', stages: ['ResponseComplete'] };
    const read: RequestSpec = { id: 'd', ...ALICE, verb: 'get', resource: 'services', namespace: 'p', name: 's', level: 'Metadata', stages: ['ResponseComplete'] };
    const podBody = Buffer.byteLength(`,"requestObject":${JSON.stringify(pod)}`);
    const loggedLine = bytesOf(linesOf(logged)[0]!);
    const [unloggedLine, unknownLine, readLine] = [unlogged, unknown, read].map((s) => bytesOf(linesOf(s)[0]!)) as [number, number, number];
    const text = `apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Request\n`;
    const simulation = simulatePolicy(sampleOf([logged, unlogged, unknown, read]), policyOf(text));
    const stats = simulation.rules[0]!;
    assert.equal(stats.requests, 4);
    assert.equal(stats.estimatedBodyRequests, 1, 'the Metadata-level pod create gets the logged one\'s body size');
    assert.equal(stats.unknownBodyRequests, 1, 'no service create body anywhere in the log');
    assert.equal(stats.estimatedBytes, podBody);
    // A get has no request body at all: known, not unknown.
    assert.equal(stats.bytes, loggedLine + (unloggedLine + podBody) + unknownLine + readLine);
    const metadata = simulatePolicy(sampleOf([logged]), policyOf(text.replace('level: Request', 'level: Metadata')));
    assert.equal(metadata.totals.bytes, loggedLine - podBody, 'Metadata drops the body the log has');
  });

  it('connections (exec, attach, port-forward) stream: they never have bodies, so nothing is unknown about them', () => {
    const exec: RequestSpec = { id: 'x', ...ALICE, verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'p', name: 'web', stages: ['ResponseStarted', 'ResponseComplete'] };
    const bytes = linesOf(exec).map(bytesOf).reduce((a, b) => a + b, 0);
    const text = `apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: RequestResponse\n`;
    const simulation = simulatePolicy(sampleOf([exec]), policyOf(text));
    assert.deepEqual([simulation.totals.unknownBodyRequests, simulation.totals.estimatedBytes, simulation.totals.bytes], [0, 0, bytes]);
  });

  it('totals by level, bytesPerDay inputs and the window', () => {
    const specs: RequestSpec[] = [
      { id: 'a', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'x', at: 0 },
      { id: 'b', ...NODE, verb: 'get', uri: '/healthz', at: 3600 },
    ];
    const sample = sampleOf(specs);
    assert.equal(sample.seconds, 3600);
    const simulation = simulatePolicy(sample, policyOf(rules('level: None\nnonResourceURLs: ["/healthz"]', 'level: RequestResponse')));
    assert.equal(simulation.byLevel.None.requests, 1);
    assert.equal(simulation.byLevel.RequestResponse.requests, 1);
    assert.equal(simulation.byLevel.RequestResponse.bytes, linesOf(specs[0]!).map(bytesOf).reduce((a, b) => a + b, 0));
  });
});

describe('simulatePolicy: exposures and secret values', () => {
  it('sensitive requests logged with the bodies that hold the secret, reached through a wildcard too', () => {
    const text = rules('level: Request\nresources: [{group: "", resources: [secrets]}]', 'level: RequestResponse\nresources: [{group: "*", resources: ["*"]}]', 'level: Metadata');
    const specs: RequestSpec[] = [
      { id: 'a', ...ALICE, verb: 'create', resource: 'secrets', namespace: 'p' }, // rule 0, request body holds the value
      { id: 'b', ...ALICE, verb: 'get', resource: 'secrets', namespace: 'p', name: 's' }, // rule 0, Request: a get sends no value
      { id: 'c', ...ALICE, verb: 'get', resource: 'configmaps', namespace: 'p', name: 'c' }, // rule 1 through "*": response body
      { id: 'd', ...ALICE, verb: 'create', resource: 'serviceaccounts', subresource: 'token', namespace: 'p', name: 'sa' }, // rule 1: the issued token
      { id: 'e', ...ALICE, verb: 'get', resource: 'pods', namespace: 'p', name: 'x' }, // rule 1, not sensitive
    ];
    const simulation = simulatePolicy(sampleOf(specs), policyOf(text));
    assert.deepEqual(
      simulation.exposures.map((e) => [e.rule, e.resource, e.verb, e.requests]),
      [
        [0, 'secrets', 'create', 1],
        [1, 'configmaps', 'get', 1],
        [1, 'serviceaccounts/token', 'create', 1],
      ],
    );
  });

  it('secret values already in the log: traced to the rule that decides those requests now, and whether it still logs them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-values-'));
    try {
      const leak: RequestSpec = { id: 's', ...ALICE, verb: 'create', resource: 'secrets', namespace: 'p', level: 'Request', requestObject: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } }, stages: ['ResponseComplete'] };
      const clean: RequestSpec = { id: 'c', ...ALICE, verb: 'create', resource: 'secrets', namespace: 'p', level: 'Metadata', stages: ['ResponseComplete'] };
      const log = join(dir, 'audit.log');
      writeFileSync(log, [...linesOf(leak), ...linesOf(clean)].join('\n') + '\n');
      const { sample } = await readSample([log]);
      assert.deepEqual(sample.secretRows, [0], 'only the request whose body holds the value');
      const still = simulatePolicy(sample, policyOf(rules('level: Request')));
      assert.deepEqual(still.secretValues, [{ rule: 0, resource: 'secrets', verb: 'create', requests: 1, stillLogged: true }]);
      const fixed = simulatePolicy(sample, policyOf(rules('level: Metadata\nresources: [{group: "", resources: [secrets]}]', 'level: Request')));
      assert.deepEqual(fixed.secretValues, [{ rule: 0, resource: 'secrets', verb: 'create', requests: 1, stillLogged: false }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
