import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gatherComplianceInputs, type GatherOptions } from '../../../server/src/cluster/compliance/gather';
import { reportHtml } from '../../../server/src/cluster/compliance/render/html';
import { reportMarkdown } from '../../../server/src/cluster/compliance/render/markdown';
import { reportSarif } from '../../../server/src/cluster/compliance/render/sarif';
import { buildComplianceReport } from '../../../server/src/cluster/compliance/report';
import { CONTROL_IDS, type ComplianceReport, type ControlResult } from '../../../server/src/cluster/compliance/types';
import { auditEvent } from '../auditlog/detectors/detectorEvents';
import { FIXTURES } from '../helpers';
import { CLUSTER_FIXTURES } from './helpers';
import { testTempDir } from '../../harness/tempDir';

const at = (name: string) => join(CLUSTER_FIXTURES, name);
const POLICY = join(FIXTURES, 'workspace', 'audit-policy.yaml');

async function report(options: Partial<GatherOptions>): Promise<ComplianceReport> {
  const { inputs, problems } = await gatherComplianceInputs({ manifests: [], logs: [], folders: [tmpdir()], ...options });
  assert.deepEqual(problems, []);
  return buildComplianceReport(inputs);
}

function control(r: ComplianceReport, id: string): ControlResult {
  return r.controls.find((c) => c.id === id)!;
}

/** Every status but manual has evidence, and each piece of evidence is really that line of that file. */
function assertEvidenceIsReal(r: ComplianceReport): void {
  assert.deepEqual(r.controls.map((c) => c.id), [...CONTROL_IDS]);
  for (const c of r.controls) {
    if (c.status !== 'manual') assert.ok(c.evidence.length > 0, `${c.id} ${c.status} without evidence`);
    for (const e of c.evidence) {
      const lines = readFileSync(e.file, 'utf8').split('\n');
      if (e.file.endsWith('.log') || e.file.endsWith('.jsonl')) assert.ok(lines[e.line - 1]!.length > 0, `${c.id}: ${e.file}:${e.line} is empty`);
      else assert.equal(lines[e.line - 1]!.trim(), e.text, `${c.id}: ${e.file}:${e.line}`);
    }
  }
}

describe('compliance report', () => {
  it('a good self-hosted setup passes CIS 1.2.16-1.2.19 and 3.2.1, each with the flag line as evidence', async () => {
    const r = await report({ manifests: [at('kube-apiserver-good.yaml')], policy: POLICY });
    assertEvidenceIsReal(r);
    for (const id of ['cis-1.2.16', 'cis-1.2.17', 'cis-1.2.18', 'cis-1.2.19', 'cis-3.2.1', 'cis-3.2.2', 'soc2-cc6.1']) assert.equal(control(r, id).status, 'pass', `${id}: ${control(r, id).detail}`);
    assert.deepEqual(control(r, 'cis-1.2.17').evidence, [{ file: at('kube-apiserver-good.yaml'), line: 18, text: '- --audit-log-maxage=30' }]);
    assert.deepEqual(control(r, 'cis-3.2.1').evidence.map((e) => [e.file, e.line]), [[at('kube-apiserver-good.yaml'), 16], [POLICY, 3]]);
    assert.equal(control(r, 'pci-dss-10.2').status, 'manual');
    assert.equal(control(r, 'soc2-cc7.2').status, 'fail');
  });

  it('an apiserver without audit flags fails them, the evidence pointing at where the flags are', async () => {
    const r = await report({ manifests: [at('kube-apiserver-no-audit.yaml')] });
    assertEvidenceIsReal(r);
    for (const id of ['cis-1.2.16', 'cis-1.2.17', 'cis-1.2.18', 'cis-1.2.19', 'cis-3.2.1', 'soc2-cc6.1']) {
      assert.equal(control(r, id).status, 'fail', id);
      assert.deepEqual(control(r, id).evidence, [{ file: at('kube-apiserver-no-audit.yaml'), line: 11, text: 'command:' }], id);
    }
    assert.equal(control(r, 'cis-3.2.2').status, 'manual');
  });

  it('the weak setup: maxage below 30 fails at its line, maxbackup missing fails at the log path', async () => {
    const r = await report({ manifests: [at('kube-apiserver-weak.yaml')] });
    assertEvidenceIsReal(r);
    assert.deepEqual([control(r, 'cis-1.2.17').status, control(r, 'cis-1.2.17').evidence[0]!.line], ['fail', 16]);
    assert.deepEqual([control(r, 'cis-1.2.18').status, control(r, 'cis-1.2.18').evidence[0]!.line], ['fail', 14]);
    assert.equal(control(r, 'cis-1.2.19').status, 'pass');
    // The policy is named but not available: 3.2.1 is partial, not a pass.
    assert.equal(control(r, 'cis-3.2.1').status, 'partial');
  });

  it('the policy --audit-policy-file names is found under the current directory (same path), and its errors fail 3.2.1', async () => {
    const dir = testTempDir('k8s-audit-report-');
    const policyDir = join(dir, 'etc', 'kubernetes');
    mkdirSync(policyDir, { recursive: true });
    writeFileSync(join(policyDir, 'audit-policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
    const r = await report({ manifests: [at('kube-apiserver-good.yaml')], folders: [dir] });
    assertEvidenceIsReal(r);
    assert.equal(control(r, 'cis-3.2.1').status, 'fail');
    assert.deepEqual(control(r, 'cis-3.2.1').evidence.map((e) => e.line), [16, 3]);
    assert.equal(r.inputs.policy, join(policyDir, 'audit-policy.yaml'));
  });

  it('CIS 3.2.2 with first-match semantics: secrets logged with bodies and exec not logged make it partial', async () => {
    const dir = testTempDir('k8s-audit-report-');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  resources:\n  - group: ""\n    resources: ["pods/exec"]\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: ["secrets"]\n- level: Metadata\n');
    const r = await report({ policy });
    assertEvidenceIsReal(r);
    const coverage = control(r, 'cis-3.2.2');
    assert.equal(coverage.status, 'partial');
    assert.match(coverage.detail, /secrets \(get: RequestResponse/);
    assert.match(coverage.detail, /pods\/exec \(create: None, get: None/);
    assert.ok(coverage.evidence.some((e) => e.line === 4) && coverage.evidence.some((e) => e.line === 8));
    assert.equal(control(r, 'cis-3.2.1').status, 'partial');
  });

  it('managed clusters: EKS without audit fails, AKS kube-audit-admin is partial, retention judged', async () => {
    const eks = await report({ manifests: [at('eksctl-cluster.yaml')] });
    assertEvidenceIsReal(eks);
    assert.deepEqual(['cis-1.2.16', 'cis-3.2.1', 'soc2-cc6.1', 'pci-dss-10.5'].map((id) => control(eks, id).status), ['manual', 'fail', 'fail', 'fail']);
    const aks = await report({ manifests: [at('aks-diagnostic-settings.json')], cardholderNamespaces: ['payments'] });
    assertEvidenceIsReal(aks);
    assert.deepEqual(['cis-3.2.1', 'soc2-cc6.1', 'soc2-cc7.2', 'pci-dss-10.2', 'pci-dss-10.5'].map((id) => control(aks, id).status), ['pass', 'partial', 'partial', 'partial', 'fail']);
    assert.deepEqual(control(aks, 'soc2-cc6.1').evidence[0], { file: at('aks-diagnostic-settings.json'), line: 6, text: '{ "category": "kube-audit-admin", "enabled": true, "retentionPolicy": { "days": 30, "enabled": true } },' });
    const gke = await report({ manifests: [at('gcp-iam-policy.json')] });
    assert.equal(control(gke, 'soc2-cc6.1').status, 'partial');
    assert.equal(control(gke, 'pci-dss-10.5').status, 'manual');
  });

  it('with a log: categories, the policy misses, silences, namespaces and detections; evidence lines are events of the log', async () => {
    const dir = testTempDir('k8s-audit-report-');
    const log = join(dir, 'audit.log');
    const t0 = Date.parse('2026-03-01T10:00:00Z');
    const stamp = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
    const events = [
      { ...auditEvent({ verb: 'get', res: 'secrets', ns: 'payments', name: 'db', user: 'bob' }), requestReceivedTimestamp: stamp(0), stageTimestamp: stamp(0) },
      { ...auditEvent({ verb: 'create', res: 'pods/exec', ns: 'payments', name: 'api', user: 'eve' }), requestReceivedTimestamp: stamp(1), stageTimestamp: stamp(1) },
      { ...auditEvent({ verb: 'get', res: 'configmaps', ns: 'kube-system', name: 'x', user: 'system:kube-scheduler' }), requestReceivedTimestamp: stamp(2), stageTimestamp: stamp(2) },
      ...Array.from({ length: 20 }, (_, i) => ({ ...auditEvent({ verb: 'list', res: 'pods', ns: 'web', user: 'ci' }), requestReceivedTimestamp: stamp(3 + i * 0.1), stageTimestamp: stamp(3 + i * 0.1) })),
      { ...auditEvent({ verb: 'patch', res: 'deployments', apiGroup: 'apps', ns: 'payments', name: 'api', user: 'alice' }), requestReceivedTimestamp: stamp(200), stageTimestamp: stamp(200) },
    ];
    writeFileSync(log, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  resources:\n  - group: ""\n    resources: ["pods"]\n  namespaces: ["web"]\n- level: Metadata\n');
    const r = await report({ policy, logs: [log], cardholderNamespaces: ['payments'] });
    assertEvidenceIsReal(r);
    const evidence = r.log!;
    assert.equal(evidence.requests, 24);
    assert.deepEqual(Object.fromEntries(evidence.categories.map((c) => [c.id, c.count])), { writes: 2, 'secret-reads': 1, exec: 1, 'rbac-changes': 0, 'authn-failures': 0, 'authz-denials': 0 });
    assert.deepEqual(evidence.categories.find((c) => c.id === 'exec')!.example!.line, 2);
    assert.deepEqual(evidence.policyMisses.map((m) => [m.what, m.count, m.example.line]), [['list pods', 20, 4]]);
    assert.deepEqual(evidence.gaps.map((g) => [g.minutes, g.suspicious, g.after!.line]), [[195, true, 23]]);
    assert.deepEqual(evidence.namespaces.payments!.count, 3);
    assert.ok(evidence.detections.length > 0);
    assert.equal(control(r, 'soc2-cc7.2').status, 'partial');
    assert.equal(control(r, 'pci-dss-10.2').status, 'pass');
  });

  it('renders Markdown, HTML (escaped) and SARIF', async () => {
    const dir = testTempDir('k8s-audit-report-');
    const log = join(dir, 'audit.log');
    writeFileSync(log, `${JSON.stringify({ ...auditEvent({ verb: 'get', res: 'secrets', ns: 'p', name: '<script>alert(1)</script>', user: '<img src=x onerror=alert(1)>' }), requestReceivedTimestamp: '2026-03-01T10:00:00Z' })}\n`);
    const r = await report({ manifests: [at('kube-apiserver-weak.yaml')], logs: [log] });
    const markdown = reportMarkdown(r);
    assert.match(markdown, /\| `cis-1\.2\.17` \| FAIL \|/);
    const html = reportHtml(r);
    assert.ok(!html.includes('<script>') && !html.includes('<img'), 'log values are escaped');
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.ok(!/<script/i.test(html));
    const sarif = reportSarif(r);
    assert.equal(sarif.runs[0]!.results.length, r.controls.filter((c) => c.status !== 'pass').length);
    assert.equal(sarif.runs[0]!.results.find((x) => x.ruleId === 'cis-1.2.17')!.level, 'error');
  });
});
