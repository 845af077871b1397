import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, runCli } from '../helpers';

const cluster = (name: string) => join(FIXTURES, 'cluster', name);
const POLICY = join(FIXTURES, 'workspace', 'audit-policy.yaml');

describe('k8s-audit report', () => {
  it('JSON: the controls with id, title, status, evidence (file, line, text) and remediation', () => {
    const result = runCli(['report', '--manifest', cluster('kube-apiserver-good.yaml'), '--policy', POLICY, '--format', 'json']);
    assert.equal(result.status, 1, result.stderr); // soc2-cc7.2 and pci-dss-10.5 fail on a file-only backend kept 30 days
    const report = JSON.parse(result.stdout);
    const byId = new Map(report.controls.map((c: { id: string }) => [c.id, c]));
    assert.deepEqual(
      ['cis-1.2.16', 'cis-1.2.17', 'cis-1.2.18', 'cis-1.2.19', 'cis-3.2.1'].map((id) => (byId.get(id) as { status: string }).status),
      ['pass', 'pass', 'pass', 'pass', 'pass'],
    );
    const maxage = byId.get('cis-1.2.17') as Record<string, unknown>;
    assert.deepEqual(Object.keys(maxage).sort(), ['detail', 'evidence', 'id', 'remediation', 'status', 'title']);
    assert.deepEqual(maxage.evidence, [{ file: cluster('kube-apiserver-good.yaml'), line: 18, text: '- --audit-log-maxage=30' }]);
    for (const c of report.controls) if (c.status !== 'manual') assert.ok(c.evidence.length > 0, c.id);
    assert.equal(runCli(['report', '--manifest', cluster('kube-apiserver-good.yaml'), '--policy', POLICY, '--fail-on', 'never']).status, 0);
  });

  it('an apiserver without audit flags fails CIS 1.2.16-19 and 3.2.1 (Markdown by default)', () => {
    const result = runCli(['report', '--manifest', cluster('kube-apiserver-no-audit.yaml')]);
    assert.equal(result.status, 1);
    for (const id of ['cis-1.2.16', 'cis-1.2.17', 'cis-1.2.18', 'cis-1.2.19', 'cis-3.2.1']) assert.match(result.stdout, new RegExp(`\\| \`${id.replace(/\./g, '\\.')}\` \\| FAIL \\|`));
    assert.match(result.stdout, /kube-apiserver-no-audit\.yaml:11` `command:`/);
  });

  it('several manifests and logs after one option each, SARIF and HTML', () => {
    const sarif = JSON.parse(runCli(['report', '--manifest', cluster('kube-apiserver-weak.yaml'), cluster('audit-webhook.kubeconfig.yaml'), '--log', join(FIXTURES, 'workspace', 'secrets.audit.log'), '--format', 'sarif']).stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'cis-1.2.17'));
    const html = runCli(['report', '--policy', POLICY, '--format', 'html']);
    assert.match(html.stdout, /^<!DOCTYPE html>/);
    assert.ok(!/<script/i.test(html.stdout));
  });

  it('usage and I/O problems: exit 2 with a message', () => {
    const none = runCli(['report']);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /report needs at least one of --policy, --manifest or --log/);
    assert.equal(runCli(['report', '--manifest']).status, 2);
    assert.equal(runCli(['report', '--policy', POLICY, '--format', 'pdf']).status, 2);
    const notSetup = runCli(['report', '--manifest', POLICY]);
    assert.equal(notSetup.status, 2);
    assert.match(notSetup.stderr, /audit-policy\.yaml: not an audit-setup file/);
    const missing = runCli(['report', '--manifest', cluster('nope.yaml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^k8s-audit: cannot read \S*nope\.yaml: no such file$/m);
  });
});

describe('k8s-audit lint on audit-setup files', () => {
  it('recognises the kind by content: a weak manifest gets its warnings, JSON settings too', () => {
    const manifest = JSON.parse(runCli(['lint', '--format', 'json', cluster('kube-apiserver-weak.yaml')]).stdout);
    assert.deepEqual(manifest[0].diagnostics.map((d: { code: string }) => d.code), ['audit-log-maxbackup', 'audit-mount-missing', 'audit-log-maxage', 'audit-mount-writable']);
    const aks = runCli(['lint', cluster('aks-diagnostic-settings.json')]);
    assert.equal(aks.status, 0);
    assert.match(aks.stdout, /aks-diagnostic-settings\.json:6:20: warning kube-audit-admin leaves out get and list/);
    const k3s = runCli(['lint', cluster('k3s-config.yaml')]);
    assert.equal(k3s.status, 1);
    assert.match(k3s.stdout, /unknown flag: --audit-log-max-size/);
  });
});
