import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setupCodeActions } from '../../../server/src/cluster/actions';
import { setupDiagnostics } from '../../../server/src/cluster/setupDiagnostics';

// Odd shapes people (or half-typed edits) produce: never a crash, never a hang; either a clear
// finding or silence.
const ODD = [
  'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: kube-apiserver\n    command: 5\n',
  'apiVersion: v1\nkind: Pod\nspec:\n  containers: {}\n',
  'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver, null, 7, [x], {a: b}, "--audit-log-path"]\n',
  'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver, "--audit-policy-file=/p"]\n    volumeMounts: [5, {name: x}, {mountPath: 7}]\n  volumes: [null, {name: x, hostPath: 3}]\n',
  'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer: 5\n',
  'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  extraArgs: [5, {name: 7}, {value: x}]\n  extraVolumes: [{}, 3]\n',
  'kube-apiserver-arg: 5\n',
  'kube-apiserver-arg: [null, "=", "--", "audit-log-maxage"]\n',
  'apiVersion: v1\nkind: Config\nclusters: 5\ncontexts: [5]\ncurrent-context: [x]\nusers: [{user: 5}]\n',
  'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\ncloudWatch: 5\n',
  'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\ncloudWatch:\n  clusterLogging:\n    enableTypes: audit\n    logRetentionInDays: "30"\n',
  'Resources:\n  C:\n    Type: AWS::EKS::Cluster\n',
  'Resources:\n  C:\n    Type: AWS::EKS::Cluster\n    Properties: 5\n',
  '[{"logs": [{"category": "kube-audit"}]}, 5, null]',
  '{"logs": [{"category": "kube-audit-admin", "enabled": "yes"}], "properties": 3}',
  '{"auditConfigs": 5}',
  '{"auditConfigs": [{"service": "allServices", "auditLogConfigs": [5, {"logType": 7}]}]}',
  '---\n---\napiVersion: v1\nkind: Pod\n',
  `${'a: '.repeat(0)}apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - command: [kube-apiserver${', "--x"'.repeat(2000)}]\n`,
];

describe('setup files: odd shapes', () => {
  it('never throws, and every fix offered applies', () => {
    for (const text of ODD) {
      const diagnostics = setupDiagnostics('file:///work/audit-webhook.yaml', text);
      if (!diagnostics) continue;
      for (const d of diagnostics) assert.equal(typeof d.message, 'string');
      assert.ok(Array.isArray(setupCodeActions('file:///work/audit-webhook.yaml', text, diagnostics)), text);
    }
  });

  it('a huge text is not parsed', () => {
    const text = `apiVersion: v1\nkind: Pod\n# kube-apiserver\n${'x: y\n'.repeat(500_000)}`;
    assert.equal(setupDiagnostics('file:///work/x.yaml', text), undefined);
  });
});
