import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setupHover } from '../../../server/src/cluster/hover';
import { linkedFileDiagnostics, setupDocumentLinks, type ResolvedFile } from '../../../server/src/cluster/linked';
import { candidatePaths } from '../../../server/src/cluster/pathMapping';
import { analyseSetup } from '../../../server/src/cluster/setupDiagnostics';
import { fixture, uriOf } from './helpers';

describe('host paths to workspace files', () => {
  it('mappings (longest prefix first), then the same path under each folder, then the path itself', () => {
    assert.deepEqual(candidatePaths('/etc/kubernetes/audit/policy.yaml', ['/ws/a', '/ws/b'], { '/etc/kubernetes': 'cluster/etc', '/etc/kubernetes/audit/': '${workspaceFolder}/audit' }), [
      '/ws/a/audit/policy.yaml',
      '/ws/a/cluster/etc/audit/policy.yaml',
      '/ws/a/etc/kubernetes/audit/policy.yaml',
      '/ws/b/etc/kubernetes/audit/policy.yaml',
      '/etc/kubernetes/audit/policy.yaml',
    ]);
    // A prefix matches whole path segments only.
    assert.deepEqual(candidatePaths('/etc/kubernetes-old/p.yaml', ['/ws'], { '/etc/kubernetes': '/elsewhere' }), ['/ws/etc/kubernetes-old/p.yaml', '/etc/kubernetes-old/p.yaml']);
  });
});

describe('linked files', () => {
  const manifest = fixture('kube-apiserver-good.yaml');
  const analysed = analyseSetup(uriOf('kube-apiserver.yaml'), manifest)!;
  const policyAt = (text: string) => new Map<string, ResolvedFile>([['/etc/kubernetes/audit-policy.yaml', { uri: 'file:///ws/audit-policy.yaml', text }]]);

  it('a link from the policy flag value to the policy found', () => {
    assert.deepEqual(setupDocumentLinks(analysed, policyAt('x')).map((l) => [l.range, l.target]), [[{ start: { line: 15, character: 26 }, end: { line: 15, character: 59 } }, 'file:///ws/audit-policy.yaml']]);
    assert.deepEqual(setupDocumentLinks(analysed, new Map()), []);
  });

  it('the policy has errors: one error at the flag, listing them; a policy that loads: nothing', () => {
    const broken = linkedFileDiagnostics(analysed, policyAt('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n'));
    assert.deepEqual(broken.map((d) => [d.code, d.range.start]), [['audit-policy-file-invalid', { line: 15, character: 26 }]]);
    assert.match(String(broken[0]!.message), /has 1 error \(line 3: /);
    assert.equal(broken[0]!.relatedInformation![0]!.location.uri, 'file:///ws/audit-policy.yaml');
    assert.deepEqual(linkedFileDiagnostics(analysed, policyAt('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n')), []);
  });

  it('a webhook kubeconfig that points nowhere is an error at its flag', () => {
    const text = manifest.replace('    - --audit-log-compress\n', '    - --audit-log-compress\n    - --audit-webhook-config-file=/etc/kubernetes/pki/hook.yaml\n');
    const withWebhook = analyseSetup(uriOf('kube-apiserver.yaml'), text)!;
    const resolved = new Map<string, ResolvedFile>([['/etc/kubernetes/pki/hook.yaml', { uri: 'file:///ws/hook.yaml', text: fixture('audit-webhook.kubeconfig.yaml') }]]);
    assert.deepEqual(linkedFileDiagnostics(withWebhook, resolved).map((d) => d.code), ['audit-webhook-config-invalid']);
  });
});

describe('hover on audit flags', () => {
  it('explains the flag, its default, and the value written here', () => {
    const text = fixture('kube-apiserver-weak.yaml');
    const hover = setupHover(uriOf('kube-apiserver.yaml'), text, { line: 15, character: 26 })!;
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^\*\*--audit-log-maxage\*\* \(int\)/);
    assert.match(value, /rotated files older than 7 days are deleted; below CIS 1\.2\.17 \(30 or more\)/);
    assert.deepEqual(hover.range, { start: { line: 15, character: 25 }, end: { line: 15, character: 26 } });
  });

  it('a path flag says where it is in the workspace, or how to map it', () => {
    const text = fixture('kube-apiserver-good.yaml');
    const unmapped = setupHover(uriOf('kube-apiserver.yaml'), text, { line: 15, character: 10 })!;
    assert.match((unmapped.contents as { value: string }).value, /k8sAudit\.cluster\.pathMappings/);
    const found = setupHover(uriOf('kube-apiserver.yaml'), text, { line: 15, character: 10 }, {}, new Map([['/etc/kubernetes/audit-policy.yaml', { uri: 'file:///ws/p.yaml', text: '' }]]))!;
    assert.match((found.contents as { value: string }).value, /In the workspace: file:\/\/\/ws\/p\.yaml/);
  });

  it('nothing on other keys, or outside setup files', () => {
    assert.equal(setupHover(uriOf('kube-apiserver.yaml'), fixture('kube-apiserver-good.yaml'), { line: 2, character: 2 }), undefined);
    assert.equal(setupHover(uriOf('x.yaml'), 'a: b\n', { line: 0, character: 0 }), undefined);
  });
});
