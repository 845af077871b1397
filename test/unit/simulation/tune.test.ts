import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveDetectorSettings } from '../../../server/src/auditlog/detectors';
import { severityName } from '../../../server/src/policy/checks/diagnostic';
import { explainRequest } from '../../../server/src/policy/features/explain';
import { cisCoverage } from '../../../server/src/policy/checks/lint/cis';
import { policyDiagnostics } from '../../../server/src/policy/checks/policyDiagnostics';
import { levelRank } from '../../../server/src/policy/types';
import { readSample } from '../../../server/src/simulation/readSample';
import { simulatePolicy } from '../../../server/src/simulation/simulate';
import { simulationPolicy } from '../../../server/src/simulation/simulationPolicy';
import type { TrafficSample } from '../../../server/src/simulation/trafficSample';
import { UNKNOWN_SIZE } from '../../../server/src/simulation/trafficSample';
import { proposeTune } from '../../../server/src/simulation/tune/proposeTune';
import { tuneReport } from '../../../server/src/simulation/tune/tuneReport';
import { runCli } from '../helpers';
import { generateLog } from '../auditlog/index/helpers';
import { policyOf } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'tune-'));
const log = join(work, 'audit.log');
let sample: TrafficSample;

before(async () => {
  generateLog(log, 6000);
  sample = (await readSample([log], { detectors: {} })).sample;
});
after(() => rmSync(work, { recursive: true, force: true }));

function lintProblems(text: string): string[] {
  const diagnostics = policyDiagnostics('file:///proposed.yaml', text, { assumePolicy: true }) ?? [];
  return diagnostics.filter((d) => severityName(d.severity) === 'error' || d.code === 'sensitive-data-logged').map((d) => `${d.code}: ${d.message}`);
}

/** Level the proposal gives a request, asked of explain (the one evaluator, from the text as written). */
function levelOf(text: string, request: Parameters<typeof explainRequest>[1]): string {
  const result = explainRequest(text, request);
  assert.ok(result, 'the proposal loads');
  return result.level;
}

const ALICE = { user: 'alice@example.com', groups: ['dev-team', 'system:authenticated'] };
const CONTROLLER = { user: 'system:kube-controller-manager', groups: ['system:authenticated'] };

describe('k8s-audit tune from the starter, on the generated log', () => {
  it('lints clean, keeps the must-logs, and cuts at least 30% of a Metadata catch-all', () => {
    const result = proposeTune(sample);
    const report = tuneReport({ result, logs: [log] });
    const text = report.policy;
    assert.deepEqual(lintProblems(text), []);
    const policy = policyOf(text);
    assert.deepEqual(cisCoverage(policy).filter((v) => !v.ok), [], 'CIS 3.2.2 covered');

    // Must-logs, asked of the text as written.
    assert.equal(levelOf(text, { ...ALICE, verb: 'create', resource: 'pods/exec', namespace: 'prod', name: 'web' }), 'Metadata');
    assert.equal(levelOf(text, { ...ALICE, verb: 'get', resource: 'pods/exec', namespace: 'prod', name: 'web' }), 'Metadata');
    assert.equal(levelOf(text, { ...ALICE, verb: 'create', resource: 'pods/portforward', namespace: 'prod', name: 'web' }), 'Metadata');
    assert.equal(levelOf(text, { ...ALICE, verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }), 'Metadata');
    assert.equal(levelOf(text, { ...CONTROLLER, verb: 'list', resource: 'secrets', namespace: 'prod' }), 'Metadata', 'system users reading secrets stay logged');
    assert.equal(levelOf(text, { ...ALICE, verb: 'update', resource: 'configmaps', namespace: 'prod', name: 'c' }), 'Metadata');
    assert.equal(levelOf(text, { ...ALICE, verb: 'create', resource: 'clusterrolebindings', apiGroup: 'rbac.authorization.k8s.io', name: 'x' }), 'RequestResponse');
    assert.equal(levelOf(text, { ...CONTROLLER, verb: 'update', resource: 'rolebindings', apiGroup: 'rbac.authorization.k8s.io', namespace: 'a', name: 'x' }), 'RequestResponse');
    assert.equal(levelOf(text, { ...ALICE, verb: 'create', resource: 'pods', namespace: 'prod' }), 'Request', 'pod specs for the detectors');
    assert.equal(levelOf(text, { ...ALICE, verb: 'delete', resource: 'deployments', apiGroup: 'apps', namespace: 'prod', name: 'd' }), 'Request');
    assert.equal(levelOf(text, { ...ALICE, verb: 'update', resource: 'leases', apiGroup: 'coordination.k8s.io', namespace: 'x', name: 'l' }), 'Request', 'only system users\' leases are noise');
    assert.equal(levelOf(text, { ...ALICE, verb: 'list', resource: 'pods', namespace: 'prod' }), 'Metadata', 'people\'s reads stay');
    // The noise is gone.
    assert.equal(levelOf(text, { user: 'system:node:ip-10-0-1-11', groups: ['system:nodes'], verb: 'patch', resource: 'nodes/status', name: 'ip-10-0-1-11' }), 'None');
    assert.equal(levelOf(text, { ...CONTROLLER, verb: 'get', path: '/healthz' }), 'None');

    // The cut, counted independently from the proposal's text: a lower bound on the proposal (its
    // unknown bodies count as metadata only), so charge each of them the largest body the log has too.
    const catchAll = simulatePolicy(sample, { rules: [{ level: 'Metadata' }] }).totals.bytes;
    const proposal = simulatePolicy(sample, policy);
    let largestBody = 0;
    for (let row = 0; row < sample.rows; row++) {
      const size = sample.requestBody.data[row]!;
      if (size !== UNKNOWN_SIZE && size > largestBody) largestBody = size;
    }
    assert.ok(largestBody > 0, 'the generated log has bodies (privileged pods)');
    const pessimistic = proposal.totals.bytes + proposal.totals.unknownBodyRequests * largestBody;
    assert.ok(1 - pessimistic / catchAll >= 0.3, `cut ${(1 - pessimistic / catchAll).toFixed(3)}`);
    assert.ok(Math.abs(report.estimate.cutFromCatchAll - (1 - proposal.totals.bytes / catchAll)) < 1e-9);
    assert.match(text, /^# Estimated volume: .* a Metadata catch-all: .* cut: \d+%\./m);
    assert.equal(report.checks.detectorGaps, 0);
  });

  it('is commented: the why and the share above every rule', () => {
    const text = tuneReport({ result: proposeTune(sample), logs: [log] }).policy;
    const lines = text.split('\n');
    const ruleLines = lines.map((line, i) => [line, i] as const).filter(([line]) => /^ {2}- level:/.test(line));
    assert.ok(ruleLines.length >= 7);
    for (const [, i] of ruleLines) assert.match(lines[i - 1]!, /^ {2}# .*(of the requests|of the volume)/, `line ${i + 1}`);
    assert.match(text, /# Drops \d+(\.\d)?% of the requests/);
  });

  it('a budget stops dropping once the estimate fits; one that cannot be met is said', () => {
    const generous = proposeTune(sample, { budgetBytesPerDay: 1e15 });
    assert.equal(generous.budgetMet, true);
    assert.equal(generous.outcomes.filter((o) => o.accepted).length, 0);
    const impossible = proposeTune(sample, { budgetBytesPerDay: 1 });
    assert.equal(impossible.budgetMet, false);
    assert.match(tuneReport({ result: impossible, logs: [log] }).policy, /The budget is not met/);
  });

  it('keeps noise that an enabled detector reads', async () => {
    const custom = resolveDetectorSettings({ custom: [{ id: 'lease-watch', title: 'Lease renewed', severity: 'info', condition: 'resource:leases verb:update' }] });
    const watched = (await readSample([log], { detectors: custom.selection })).sample;
    const result = proposeTune(watched);
    const leases = result.outcomes.find((o) => o.candidate.id === 'leases')!;
    assert.equal(leases.accepted, false);
    assert.match(leases.reason, /an enabled detector needs requests it would drop \(e\.g\. update leases by system:node:/);
    assert.equal(result.detectorGaps, 0);
  });
});

describe('k8s-audit tune --policy P', () => {
  it('keeps P as written (rules, comments), adds the drops before it, lints clean', () => {
    const base = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  # our own: everything with bodies
  - level: RequestResponse
    resources:
      - group: ""
        resources: [secrets]
  - level: RequestResponse
`;
    const loaded = simulationPolicy(base)!;
    assert.ok(loaded.logsSecretValues, 'the linter warns about P');
    const result = proposeTune(sample, { base: loaded });
    const report = tuneReport({ result, logs: [log], baseText: base, baseName: 'p.yaml' });
    const text = report.policy;
    assert.deepEqual(lintProblems(text), []);
    assert.match(text, /# our own: everything with bodies\n/);
    assert.ok(report.estimate.cutFromBase! > 0.3, `cut from P: ${report.estimate.cutFromBase}`);
    assert.match(text, /^omitStages: \[RequestReceived\]$/m);
    // Secrets were logged with bodies by P: the guard rule comes first now.
    assert.equal(levelOf(text, { ...ALICE, verb: 'get', resource: 'secrets', namespace: 'prod', name: 'db' }), 'Metadata');
    // Reads lowered to Metadata; writes keep P's level.
    assert.ok(result.outcomes.find((o) => o.candidate.id === 'reads-at-metadata')!.accepted);
    assert.equal(levelRank(levelOf(text, { ...ALICE, verb: 'create', resource: 'pods', namespace: 'prod' })), 3);
  });
});

describe('k8s-audit tune (CLI)', () => {
  it('writes YAML that k8s-audit lint accepts, or JSON with the estimate and the checks', () => {
    const yaml = runCli(['tune', log]);
    assert.equal(yaml.status, 0, yaml.stderr);
    const file = join(work, 'proposed.yaml');
    writeFileSync(file, yaml.stdout);
    const lint = runCli(['lint', file]);
    assert.equal(lint.status, 0, lint.stdout);
    assert.match(lint.stdout, /0 error\(s\), 0 warning\(s\)/);
    const json = JSON.parse(runCli(['tune', log, '--format', 'json']).stdout);
    assert.ok(json.estimate.cutFromCatchAll >= 0.3);
    assert.deepEqual(json.checks.lintErrors, []);
    assert.equal(runCli(['tune', log, '--budget', 'lots']).status, 2);
    assert.equal(runCli(['tune', log, '--budget', '1B/day']).status, 1);
    assert.match(runCli(['tune', '--help']).stdout, /k8s-audit tune LOG\.\.\./);
  });
});
