import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseSetup, setupDiagnostics } from '../../../server/src/cluster/setupDiagnostics';
import { fixture, uriOf } from './helpers';

describe('setup files are recognised by content', () => {
  const kinds: [string, string, string][] = [
    ['kube-apiserver-good.yaml', 'apiserver', 'static-pod'],
    ['kubeadm-v1beta3.yaml', 'apiserver', 'kubeadm'],
    ['kubeadm-v1beta4.yaml', 'apiserver', 'kubeadm'],
    ['k3s-config.yaml', 'apiserver', 'k3s'],
    ['audit-webhook.kubeconfig.yaml', 'webhook-kubeconfig', ''],
    ['eksctl-cluster.yaml', 'managed', 'eksctl'],
    ['cloudformation-eks.yaml', 'managed', 'cloudformation'],
    ['cloudformation-eks.json', 'managed', 'cloudformation'],
    ['aks-diagnostic-settings.json', 'managed', 'aks-diagnostic-settings'],
    ['gcp-iam-policy.json', 'managed', 'gcp-iam-policy'],
  ];
  for (const [name, kind, detail] of kinds) {
    it(`${name} is a ${detail || kind}`, () => {
      // A neutral file name (the webhook kubeconfig needs one that says so): the content decides.
      const neutral = name.includes('webhook') ? 'audit-webhook.yaml' : name.endsWith('.json') ? 'settings.json' : 'settings.yaml';
      const analysed = analyseSetup(uriOf(neutral), fixture(name));
      assert.ok(analysed, `${name} not recognised`);
      const document = analysed.file.documents[0]!;
      assert.equal(document.kind, kind);
      if (document.kind === 'apiserver') assert.equal(document.config.kind, detail);
      if (document.kind === 'managed') assert.equal(document.config.source, detail);
    });
  }

  it('leaves other YAML and JSON alone: undefined, not an empty list', () => {
    const others = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kube-apiserver-settings\ndata:\n  a: b\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    args: ["--port=80"]\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: kube-apiserver-proxy\nspec: {}\n',
      'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n',
      '{"name": "my-package", "logs": [{"category": "app"}]}',
      '{"bindings": [], "name": "not an IAM policy"}',
    ];
    for (const text of others) assert.equal(setupDiagnostics('file:///work/any.yaml', text), undefined, text);
  });

  it('a kubeconfig is the audit webhook only when its name or the caller says so', () => {
    const text = fixture('audit-webhook.kubeconfig.yaml');
    assert.equal(setupDiagnostics('file:///home/me/.kube/config', text), undefined);
    assert.ok(setupDiagnostics('file:///home/me/.kube/config', text, { webhookKubeconfig: true })!.length > 0);
    assert.ok(setupDiagnostics('file:///etc/kubernetes/audit-webhook.yaml', text)!.length > 0);
  });

  it('a YAML syntax error in the document: not analysed (Red Hat YAML reports it)', () => {
    const broken = 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command: [kube-apiserver, "--audit-log-path=/x\n';
    assert.equal(setupDiagnostics('file:///work/kube-apiserver.yaml', broken), undefined);
  });

  it('a kubeadm file: only the ClusterConfiguration document is the apiserver setup', () => {
    const analysed = analyseSetup(uriOf('kubeadm.yaml'), fixture('kubeadm-v1beta3.yaml'))!;
    assert.deepEqual(
      analysed.file.documents.map((d) => [d.kind, d.documentIndex]),
      [['apiserver', 1]],
    );
  });
});
