import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers';
import { rules } from '../policy/helpers';
import { bytesOf, linesOf, type RequestSpec } from '../simulation/helpers';
import { testTempDir } from '../../harness/tempDir';

const work = testTempDir('simulate-cli-');

const ALICE = { user: 'alice', groups: ['system:authenticated'] };
const NODE = { user: 'system:node:n1', groups: ['system:nodes', 'system:authenticated'] };
const SPECS: RequestSpec[] = [
  { id: 'a', ...NODE, verb: 'update', apiGroup: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: 'n1', at: 0 },
  { id: 'b', ...ALICE, verb: 'create', resource: 'secrets', namespace: 'prod', at: 60 },
  { id: 'c', ...ALICE, verb: 'get', resource: 'pods', namespace: 'prod', name: 'web', at: 3600 },
];
const LINES = SPECS.flatMap(linesOf);

function write(name: string, text: string): string {
  const file = join(work, name);
  writeFileSync(file, text);
  return file;
}

const log = write('audit.log', `${LINES.join('\n')}\n`);
const policy = write('policy.yaml', rules('level: None\nresources: [{group: coordination.k8s.io, resources: [leases]}]', 'level: Request\nresources: [{group: "", resources: [secrets]}]', 'level: Request\nverbs: [deletecollection]', 'level: Metadata'));
const old = write('old.yaml', rules('level: Metadata'));

describe('k8s-audit simulate', () => {
  it('--format json: the documented shape, every rule (dead ones with 0), lines 0-based, exposures with their rule line', () => {
    const result = runCli(['simulate', policy, log, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout);
    for (const key of ['policy', 'logs', 'window', 'totals', 'rules', 'unmatched', 'exposures', 'unknown']) assert.ok(key in report, key);
    assert.deepEqual(Object.keys(report.window), ['from', 'to', 'seconds']);
    assert.equal(report.window.seconds, 3600);
    for (const key of ['requests', 'events', 'bytes', 'bytesPerDay', 'byLevel']) assert.ok(key in report.totals, key);
    assert.deepEqual(
      report.rules.map((r: { index: number; line: number; level: string; requests: number; events: number }) => [r.index, r.line, r.level, r.requests, r.events]),
      [
        [0, 3, 'None', 1, 0],
        [1, 5, 'Request', 1, 2],
        [2, 7, 'Request', 0, 0],
        [3, 9, 'Metadata', 1, 2],
      ],
    );
    for (const key of ['index', 'line', 'level', 'requests', 'events', 'bytes', 'bytesPerDay', 'share', 'top']) assert.ok(key in report.rules[1], key);
    const podBytes = linesOf(SPECS[2]!).map(bytesOf).reduce((a, b) => a + b, 0);
    assert.equal(report.rules[3].bytes, podBytes);
    assert.equal(report.rules[3].bytesPerDay, podBytes * 24);
    assert.deepEqual(report.exposures, [{ rule: 1, line: 5, resource: 'secrets', verb: 'create', requests: 1 }]);
    assert.deepEqual(report.unmatched, { requests: 0, events: 0 });
  });

  it('--compare OTHER: the change from OTHER to POLICY per rule and per request kind', () => {
    const result = runCli(['simulate', policy, log, '--compare', old, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const compare = JSON.parse(result.stdout).compare;
    assert.equal(compare.policy, old);
    assert.equal(compare.events.change, -2);
    assert.deepEqual(compare.rules.map((r: { otherIndex: number | null }) => r.otherIndex), [null, null, null, 0]);
    assert.deepEqual(
      compare.levelChanges.map((c: { verb: string; resource: string; from: string; to: string; requests: number }) => [c.verb, c.resource, c.from, c.to, c.requests]).sort(),
      [
        ['create', 'secrets', 'Metadata', 'Request', 1],
        ['update', 'leases', 'Metadata', 'None', 1],
      ],
    );
  });

  it('text and markdown', () => {
    const text = runCli(['simulate', policy, log]);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /Dead rules \(match nothing in this log\): rule 3 \(line 8\)/);
    assert.match(text.stdout, /rule 2 \(line 6\): create secrets, 1 request/);
    assert.match(text.stdout, /Cannot be judged from this sample:/);
    const markdown = runCli(['simulate', policy, log, '--format', 'markdown']);
    assert.match(markdown.stdout, /^## Audit policy simulation: /);
    assert.match(markdown.stdout, /\| 3 \| 8 \| Request \| 0 \(0%\) \| 0 \| \*\*dead\*\* \|/);
  });

  it('a policy kube-apiserver would refuse: simulated as written, said loudly, exit 1', () => {
    const bad = write('bad.yaml', rules('level: Metadata\nnonResourceURLs: [healthz]', 'level: Metadata'));
    const result = runCli(['simulate', bad, log]);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /WARNING: kube-apiserver would refuse to start with .*bad\.yaml: 1 error\(s\), first at line 5/);
    assert.match(result.stdout, /^WARNING: kube-apiserver would refuse to start/);
    const json = JSON.parse(runCli(['simulate', bad, log, '--format', 'json']).stdout);
    assert.equal(json.policyErrors.length, 1);
    assert.equal(json.rules[1].requests, 3);
  });

  it('damaged logs: what was skipped, with line numbers; unreadable files: exit 2, the rest still counted', () => {
    const damaged = write('damaged.log', [LINES[0], '{"kind": "Event", "auditID": ', 'not json at all', ...LINES.slice(1)].join('\n') + '\n');
    const result = runCli(['simulate', policy, damaged, '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /skipped 2 damaged or unknown record\(s\)/);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.read.skipped.map((s: { line: number }) => s.line), [2, 3]);
    assert.equal(report.totals.requests, 3);
    const text = runCli(['simulate', policy, damaged]).stdout;
    assert.match(text, /damaged\.log:2: not JSON/);
    const missing = runCli(['simulate', policy, join(work, 'nope.log'), log, '--format', 'json']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.log/);
    assert.equal(JSON.parse(missing.stdout).totals.requests, 3);
  });

  it('usage: --help, missing arguments, unreadable or empty policy', () => {
    const help = runCli(['simulate', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /k8s-audit simulate POLICY LOG\.\.\./);
    assert.equal(runCli(['simulate', policy]).status, 2);
    const noPolicy = runCli(['simulate', join(work, 'absent.yaml'), log]);
    assert.equal(noPolicy.status, 2);
    assert.match(noPolicy.stderr, /cannot read policy/);
    const empty = runCli(['simulate', write('empty.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\n'), log]);
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /has no rules/);
  });
});

describe('k8s-audit scan --policy P', () => {
  it('traces secret values found in the log to the rule of P that logs them', () => {
    const leak: RequestSpec = { id: 'leak', ...ALICE, verb: 'create', resource: 'secrets', namespace: 'prod', level: 'Request', requestObject: { kind: 'Secret', data: { token: 'c2VjcmV0' } }, stages: ['ResponseComplete'] };
    const leakyLog = write('leaky.log', `${linesOf(leak).join('\n')}\n`);
    const writer = write('writer.yaml', rules('level: None\nnonResourceURLs: ["/healthz*"]', 'level: Request'));
    const result = runCli(['scan', leakyLog, '--policy', writer, '--format', 'json', '--detectors', 'secret-values-in-audit-log']);
    assert.equal(result.status, 0, result.stderr);
    const [detection] = JSON.parse(result.stdout).detections;
    assert.equal(detection.detector, 'secret-values-in-audit-log');
    assert.deepEqual(detection.policyRule, { index: 1, line: 5, level: 'Request' });
    const text = runCli(['scan', leakyLog, '--policy', writer, '--detectors', 'secret-values-in-audit-log']).stdout;
    assert.match(text, /Secret values recorded in the audit log .* logged by rule 2 \(line 6\) of the policy at Request/);
    assert.equal(runCli(['scan', leakyLog, '--policy']).status, 2);
  });
});
