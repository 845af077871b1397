import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { comparePolicies } from '../../../server/src/simulation/compare';
import { simulationReport } from '../../../server/src/simulation/report';
import { renderMarkdown, renderText } from '../../../server/src/simulation/renderReport';
import { simulatePolicy } from '../../../server/src/simulation/simulate';
import { simulationPolicy } from '../../../server/src/simulation/simulationPolicy';
import { rules } from '../policy/helpers';
import { bytesOf, linesOf, sampleOf, type RequestSpec } from './helpers';

const ALICE = { user: 'alice', groups: ['dev', 'system:authenticated'] };
const NODE = { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };

const SPECS: RequestSpec[] = [
  { id: 'a', ...NODE, verb: 'update', apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1', at: 0 },
  { id: 'b', ...NODE, verb: 'update', apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1', at: 10 },
  { id: 'c', ...ALICE, verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db', at: 20 },
  { id: 'd', ...NODE, verb: 'get', uri: '/healthz', at: 43_200 },
];
const LEASES = 'level: None\nresources: [{group: coordination.k8s.io, resources: [leases]}]';
const SECRETS = 'level: Metadata\nresources: [{group: "", resources: [secrets]}]';
const DEAD = 'level: Request\nresources: [{group: batch, resources: [jobs]}]';

describe('comparePolicies', () => {
  it('pairs rules by content, reports new and removed rules, and the request kinds whose level changes', () => {
    const sample = sampleOf(SPECS);
    const other = simulationPolicy(rules(SECRETS, 'level: Metadata'))!;
    const changed = simulationPolicy(rules(LEASES, SECRETS, 'level: Metadata'))!;
    const before = simulatePolicy(sample, other.policy, { rowBytes: true });
    const after = simulatePolicy(sample, changed.policy, { rowBytes: true });
    const comparison = comparePolicies(after, before);
    const leaseBytes = [SPECS[0]!, SPECS[1]!].flatMap(linesOf).map(bytesOf).reduce((x, y) => x + y, 0);
    assert.deepEqual(
      comparison.rules.map((r) => [r.index, r.otherIndex, r.requests, r.events, r.bytes]),
      [
        [0, null, 2, 0, 0], // new: takes the two lease updates, writes nothing
        [1, 0, 0, 0, 0], // the secrets rule is unchanged
        [2, 1, -2, -4, -leaseBytes], // the catch-all loses them
      ],
    );
    assert.deepEqual(comparison.removed, []);
    assert.equal(comparison.events, -4);
    assert.equal(comparison.bytes, -leaseBytes);
    assert.deepEqual(comparison.levelChanges, [{ verb: 'update', apiGroup: 'coordination.k8s.io', resource: 'leases', from: 'Metadata', to: 'None', requests: 2, bytes: -leaseBytes }]);
    const back = comparePolicies(before, after);
    assert.deepEqual(back.removed.map((r) => [r.otherIndex, r.requests]), [[0, 2]]);
    // A rule edited in place (its level) is paired with its old self by position.
    const edited = simulationPolicy(rules(SECRETS.replace('Metadata', 'RequestResponse'), 'level: Metadata'))!;
    const editedComparison = comparePolicies(simulatePolicy(sample, edited.policy, { rowBytes: true }), before);
    assert.deepEqual(editedComparison.rules.map((r) => [r.index, r.otherIndex, r.edited]), [[0, 0, true], [1, 1, false]]);
    assert.deepEqual(editedComparison.removed, []);
    assert.deepEqual(editedComparison.levelChanges.map((c) => [c.verb, c.resource, c.from, c.to]), [['get', 'secrets', 'Metadata', 'RequestResponse']]);
  });
});

describe('simulationReport', () => {
  it('has every rule (dead ones with 0), lines, per-day figures over the log window, and the compare section', () => {
    const sample = sampleOf(SPECS);
    const text = rules(LEASES, DEAD, SECRETS, 'level: Metadata');
    const policy = simulationPolicy(text)!;
    const other = simulationPolicy(rules('level: Metadata'))!;
    const simulation = simulatePolicy(sample, policy.policy, { top: 3, rowBytes: true });
    const otherSimulation = simulatePolicy(sample, other.policy, { rowBytes: true });
    const report = simulationReport({
      policyName: 'p.yaml',
      logs: ['audit.log'],
      policy,
      simulation,
      compare: { policyName: 'HEAD', policy: other, simulation: otherSimulation, comparison: comparePolicies(simulation, otherSimulation) },
    });
    assert.deepEqual(Object.keys(report).sort(), ['compare', 'exposures', 'logs', 'policy', 'policyErrors', 'rules', 'secretValues', 'totals', 'unknown', 'unmatched', 'window'].sort());
    assert.deepEqual(report.window, { from: '2026-02-22T10:00:00.000Z', to: '2026-02-22T22:00:00.000Z', seconds: 43_200 });
    assert.deepEqual(
      report.rules.map((r) => [r.index, r.line, r.level, r.requests, r.dead]),
      [
        [0, 3, 'None', 2, false],
        [1, 5, 'Request', 0, true],
        [2, 7, 'Metadata', 1, false],
        [3, 9, 'Metadata', 1, false],
      ],
    );
    const secretBytes = linesOf(SPECS[2]!).map(bytesOf).reduce((x, y) => x + y, 0);
    assert.equal(report.rules[2]!.bytes, secretBytes);
    assert.equal(report.rules[2]!.bytesPerDay, secretBytes * 2, 'half a day of log');
    assert.equal(report.totals.byLevel.None!.requests, 2);
    assert.equal(report.totals.loggedRequests, 2);
    assert.equal(report.rules[0]!.top!.users[0]!.value, 'system:node:n1');
    assert.equal(report.compare!.levelChanges[0]!.to, 'None');
    const printed = renderText(report);
    assert.match(printed, /Dead rules \(match nothing in this log\): rule 2 \(line 6\)/);
    assert.match(printed, /Compared with HEAD: events -4/);
    assert.match(renderMarkdown(report), /\| 2 \| 6 \| Request \| 0 \(0%\) \| 0 \| \*\*dead\*\* \|/);
  });

  it('says loudly when kube-apiserver would refuse the policy, and still simulates it', () => {
    const text = rules('level: Metadata\nnonResourceURLs: [healthz]', 'level: Metadata');
    const policy = simulationPolicy(text)!;
    assert.equal(policy.errors.length, 1);
    const report = simulationReport({ policyName: 'bad.yaml', logs: ['audit.log'], policy, simulation: simulatePolicy(sampleOf(SPECS), policy.policy) });
    assert.equal(report.policyErrors.length, 1);
    assert.equal(report.rules[1]!.requests, 4);
    assert.match(renderText(report), /^WARNING: kube-apiserver would refuse to start with bad.yaml/);
  });
});
