// `k8s-audit scan` text output on a realistic log: readable (findings grouped per detector and user),
// and honest about what it leaves out (info findings below --min-severity).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateLog } from '../auditlog/index/helpers';
import { runCli } from '../helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-cli-scan-');
const log = join(tmp, 'audit.log');
generateLog(log, 3000);

interface Detection {
  detector: string;
  title: string;
  user: string;
  line: number;
  severity: string;
}

function scanJson(...args: string[]): { detections: Detection[]; hiddenBelowMinSeverity: number } {
  const result = runCli(['scan', log, '--format', 'json', ...args]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

const FINDING = /^.*audit\.log:(\d+): (\w+) (.+) \[([\w-]+)\] (\S+) /;
const MORE = /^ {2}… and (\d+) more \[([\w-]+)\] by ([^\s,]+), the last at .*audit\.log:\d+$/;

describe('k8s-audit scan, text output', () => {
  const all = scanJson('--min-severity', 'info');
  const shown = scanJson();

  it('says how many info findings the default --min-severity low hides, and how to see them', () => {
    const hidden = all.detections.length - shown.detections.length;
    assert.ok(hidden > 0, 'the generated log has info findings (K8s ClusterRoleBinding Created)');
    assert.ok(shown.detections.every((d) => d.severity !== 'info'));
    assert.equal(shown.hiddenBelowMinSeverity, hidden);
    assert.equal(all.hiddenBelowMinSeverity, 0);
    const text = runCli(['scan', log]).stdout;
    assert.match(text, new RegExp(`^${hidden} info finding\\(s\\) hidden by --min-severity low; --min-severity info lists them$`, 'm'));
    assert.doesNotMatch(runCli(['scan', log, '--min-severity', 'info']).stdout, /hidden by --min-severity/);
    assert.match(runCli(['scan', '--help']).stdout, /--min-severity +lowest severity listed; default low\. Info findings/);
  });

  it('groups findings per detector and user: the first three, then how many more', () => {
    const text = runCli(['scan', log]).stdout.split('\n');
    const expected = new Map<string, number>();
    for (const d of shown.detections) expected.set(`${d.detector} ${d.user}`, (expected.get(`${d.detector} ${d.user}`) ?? 0) + 1);
    assert.ok([...expected.values()].some((n) => n > 3), 'some detector fires more than three times for one user');

    const listed = new Map<string, number[]>();
    const more = new Map<string, number>();
    text.forEach((line, i) => {
      const finding = FINDING.exec(line);
      if (finding) listed.set(`${finding[4]} ${finding[5]}`, [...(listed.get(`${finding[4]} ${finding[5]}`) ?? []), i]);
      const rest = MORE.exec(line);
      if (rest) more.set(`${rest[2]} ${rest[3]}`, Number(rest[1]));
    });
    for (const [key, count] of expected) {
      const at = listed.get(key) ?? [];
      assert.equal(at.length, Math.min(count, 3), key);
      assert.equal(at.at(-1)! - at[0]!, at.length - 1, `${key}: listed together`);
      assert.equal(more.get(key) ?? 0, count - Math.min(count, 3), key);
    }
    assert.ok(text.length < shown.detections.length / 2, `${text.length} lines for ${shown.detections.length} findings`);
    assert.match(text.at(-2)!, new RegExp(`${shown.detections.length} detection\\(s\\)`), 'the summary still counts every finding');
  });

  it('--ungrouped lists every finding; --format json always does', () => {
    const lines = runCli(['scan', log, '--ungrouped']).stdout.split('\n').filter((line) => FINDING.test(line));
    assert.equal(lines.length, shown.detections.length);
    assert.ok(!runCli(['scan', log, '--ungrouped']).stdout.includes('… and'));
  });
});

describe('Pod Created in Kube Namespace', () => {
  const folder = testTempDir('k8s-audit-cli-kube-ns-');
  const controller = { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] };
  const pod = (auditID: string, user: object, image: string, owner?: object) =>
    JSON.stringify({
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID, stage: 'ResponseComplete', verb: 'create', user,
      requestURI: '/api/v1/namespaces/kube-system/pods', objectRef: { resource: 'pods', namespace: 'kube-system', apiVersion: 'v1' }, responseStatus: { code: 201 },
      requestObject: { kind: 'Pod', metadata: { generateName: 'web-7998647bdf-', ...(owner ? { ownerReferences: [owner] } : {}) }, spec: { containers: [{ name: 'c', image }] } },
    });
  const log = join(folder, 'kube-system.log');
  writeFileSync(
    log,
    `${[
      pod('rs-nginx', controller, 'nginx', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7998647bdf', uid: 'u1', controller: true, blockOwnerDeletion: true }),
      pod('rs-coredns', controller, 'registry.k8s.io/coredns/coredns:v1.11.1', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'coredns-5d78c9869d', uid: 'u2', controller: true }),
      pod('person', { username: 'alice@example.com', groups: ['system:authenticated'] }, 'busybox'),
    ].join('\n')}\n`,
  );

  it('fires on the pods a controller creates for a workload with an outside image, naming that workload', () => {
    const report = JSON.parse(runCli(['scan', log, '--format', 'json', '--detectors', 'pod-created-in-kube-namespace']).stdout);
    assert.deepEqual(
      report.detections.map((d: { auditID: string; owner?: string }) => [d.auditID, d.owner]),
      [['rs-nginx', 'ReplicaSet web-7998647bdf'], ['person', undefined]],
      'platform images (coredns) never fire; the controller is not the finding, the ReplicaSet is',
    );
    const text = runCli(['scan', log, '--detectors', 'pod-created-in-kube-namespace']).stdout;
    assert.match(text, /kube-system\.log:1: medium Pod Created in Kube Namespace \[pod-created-in-kube-namespace\] system:serviceaccount:kube-system:replicaset-controller create pods kube-system for ReplicaSet web-7998647bdf$/m);
    const [detector] = JSON.parse(runCli(['detectors', '--format', 'json', '--detectors', 'pod-created-in-kube-namespace']).stdout);
    assert.match(detector.description, /controller/, 'the description explains why a controller is named');
  });
});
