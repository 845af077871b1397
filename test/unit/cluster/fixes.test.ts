import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readdirSync } from 'node:fs';
import type { ClusterDiagnosticData } from '../../../server/src/cluster/finding';
import { applyFix, check, CLUSTER_FIXTURES, fixture } from './helpers';

// Each fix is applied and the file checked again (helpers.applyFix): the finding is gone and no new
// error appeared. The exact text is checked where the style of the edit matters.

describe('quick fixes: kube-apiserver flags', () => {
  it('raises a weak maxage in place', () => {
    const fixed = applyFix(fixture('kube-apiserver-weak.yaml'), 'audit-log-maxage');
    assert.match(fixed, /\n    - --audit-log-maxage=30\n/);
  });

  it('adds a missing maxbackup to the list that holds the flags (args), in its style', () => {
    const fixed = applyFix(fixture('kube-apiserver-weak.yaml'), 'audit-log-maxbackup');
    assert.match(fixed, /    - --audit-log-maxsize=100\n    - --audit-log-maxbackup=10\n    volumeMounts:/);
  });

  it('adds the policy flag with its read-only mount, then the log path with its directory mount', () => {
    const added = applyFix(fixture('kube-apiserver-no-audit.yaml'), 'audit-policy-file-missing');
    assert.match(added, /    - --authorization-mode=Node,RBAC\n    - --audit-policy-file=\/etc\/kubernetes\/audit-policy\.yaml\n/);
    assert.match(added, /    - name: audit-policy\n      mountPath: \/etc\/kubernetes\/audit-policy\.yaml\n      readOnly: true\n/);
    assert.match(added, /  - name: audit-policy\n    hostPath:\n      path: \/etc\/kubernetes\/audit-policy\.yaml\n      type: File\n/);
    assert.deepEqual(check(added).map((d) => d.code), ['audit-backend-missing']);
    const logged = applyFix(added, 'audit-backend-missing');
    assert.match(logged, /--audit-log-path=\/var\/log\/kubernetes\/audit\/audit\.log/);
    assert.match(logged, /  - name: audit-log\n    hostPath:\n      path: \/var\/log\/kubernetes\/audit\n      type: DirectoryOrCreate\n/);
    assert.deepEqual(check(logged).map((d) => d.code), ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize']);
  });

  it('mounts the log directory (volumeMount and DirectoryOrCreate hostPath volume)', () => {
    const fixed = applyFix(fixture('kube-apiserver-weak.yaml'), 'audit-mount-missing');
    assert.match(fixed, /    - name: audit-log\n      mountPath: \/var\/log\/kubernetes\/audit\n  volumes:/);
    assert.match(fixed, /  - name: audit-log\n    hostPath:\n      path: \/var\/log\/kubernetes\/audit\n      type: DirectoryOrCreate\n$/);
  });

  it('mounts the policy read-only', () => {
    const fixed = applyFix(fixture('kube-apiserver-weak.yaml'), 'audit-mount-writable');
    assert.match(fixed, /      mountPath: \/etc\/kubernetes\/audit-policy\.yaml\n      readOnly: true\n  volumes:/);
  });

  it('renames a misspelt flag (k3s item, keeping its form)', () => {
    const fixed = applyFix(fixture('k3s-config.yaml'), 'audit-flag-unknown', 'config.yaml');
    assert.match(fixed, /  - audit-log-maxsize=100\n$/);
    assert.deepEqual(check(fixed, 'config.yaml'), []);
  });

  it('kubeadm v1beta3: quotes a number; raising maxbackup writes a quoted string', () => {
    const quoted = applyFix(fixture('kubeadm-v1beta3.yaml'), 'audit-flag-not-a-string', 'kubeadm.yaml');
    assert.match(quoted, /audit-log-maxbackup: "5"/);
    const raised = applyFix(fixture('kubeadm-v1beta3.yaml'), 'audit-log-maxbackup', 'kubeadm.yaml');
    assert.match(raised, /audit-log-maxbackup: "10"/);
  });

  it('kubeadm: an extraVolume for the log directory', () => {
    const fixed = applyFix(fixture('kubeadm-v1beta4.yaml'), 'audit-mount-missing', 'kubeadm.yaml');
    assert.match(fixed, /\n  extraVolumes:\n    - name: audit-log\n      hostPath: \/var\/log\/kubernetes\/audit\n      mountPath: \/var\/log\/kubernetes\/audit\n      pathType: DirectoryOrCreate\n$/);
  });

  it('kubeadm v1beta4 with no extraArgs: adds a name/value list', () => {
    const text = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer:\n  certSANs: [cp.example.internal]\n';
    const fixed = applyFix(text, 'audit-policy-file-missing', 'kubeadm.yaml');
    assert.equal(
      fixed,
      `${text.trimEnd()}\n  extraArgs:\n    - name: audit-policy-file\n      value: /etc/kubernetes/audit-policy.yaml\n  extraVolumes:\n    - name: audit-policy\n      hostPath: /etc/kubernetes/audit-policy.yaml\n      mountPath: /etc/kubernetes/audit-policy.yaml\n      readOnly: true\n      pathType: File\n`,
    );
  });

  it('an invalid log format gets json', () => {
    const text = fixture('kube-apiserver-good.yaml').replace('    - --audit-log-compress\n', '    - --audit-log-format=text\n');
    const fixed = applyFix(text, 'audit-log-format-invalid');
    assert.match(fixed, /--audit-log-format=json/);
  });
});

describe('quick fixes: webhook kubeconfig and managed settings', () => {
  const webhook = 'audit-webhook.yaml';

  it('webhook: https, certificate checks, the existing context', () => {
    const text = fixture('audit-webhook.kubeconfig.yaml');
    assert.match(applyFix(text, 'webhook-server-not-https', webhook), /server: https:\/\/audit-receiver\.logging\.svc:8080\/events/);
    assert.match(applyFix(text, 'webhook-insecure-skip-tls-verify', webhook), /insecure-skip-tls-verify: false/);
    assert.match(applyFix(text, 'webhook-current-context-unknown', webhook), /\ncurrent-context: to-receiver\n/);
  });

  it('webhook: adds current-context when there is only one context', () => {
    const text = 'apiVersion: v1\nkind: Config\nclusters:\n- name: r\n  cluster: {server: "https://r.example/x", certificate-authority: /ca.crt}\ncontexts:\n- name: only\n  context: {cluster: r, user: u}\nusers: []\n';
    assert.equal(applyFix(text, 'webhook-current-context-missing', webhook), `${text}current-context: only\n`);
  });

  it('eksctl: adds audit to a flow list and keeps a year of logs', () => {
    const text = fixture('eksctl-cluster.yaml');
    assert.match(applyFix(text, 'eks-audit-log-disabled', 'cluster.yaml'), /enableTypes: \["api", "authenticator", "audit"\]/);
    assert.match(applyFix(text, 'eks-log-retention-short', 'cluster.yaml'), /logRetentionInDays: 365/);
  });

  it('eksctl: creates cloudWatch.clusterLogging when it is missing', () => {
    const text = 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: a\n  region: us-east-1\n';
    assert.equal(applyFix(text, 'eks-audit-log-disabled', 'cluster.yaml'), `${text}cloudWatch:\n  clusterLogging:\n    enableTypes:\n      - audit\n`);
  });

  it('CloudFormation YAML and JSON: adds {Type: audit} in each style', () => {
    assert.match(applyFix(fixture('cloudformation-eks.yaml'), 'eks-audit-log-disabled', 'template.yaml'), /            - Type: api\n            - Type: audit\n/);
    assert.match(applyFix(fixture('cloudformation-eks.json'), 'eks-audit-log-disabled', 'template.json'), /\{ "Type": "authenticator" \},\n              \{\n                "Type": "audit"\n              \}\n/);
  });

  it('AKS: kube-audit instead of kube-audit-admin; a year of retention', () => {
    const text = fixture('aks-diagnostic-settings.json');
    assert.match(applyFix(text, 'aks-audit-admin-only', 'diagnostics.json'), /"category": "kube-audit", "enabled": true/);
    assert.match(applyFix(text, 'aks-log-retention-short', 'diagnostics.json'), /"kube-audit-admin", "enabled": true, "retentionPolicy": \{ "days": 365/);
  });

  it('GKE: adds the missing log types to the existing Kubernetes Engine API entry', () => {
    const fixed = applyFix(fixture('gcp-iam-policy.json'), 'gke-data-access-off', 'iam.json');
    const policy = JSON.parse(fixed);
    assert.deepEqual(policy.auditConfigs[0].auditLogConfigs, [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }]);
  });
});

describe('quick fixes: every fix on every fixture', () => {
  const nameFor = (file: string) => (file.includes('webhook') ? 'audit-webhook.yaml' : file.endsWith('.json') ? 'settings.json' : 'settings.yaml');
  for (const file of readdirSync(CLUSTER_FIXTURES)) {
    it(`${file}: each fix removes its finding and adds no error`, () => {
      const text = fixture(file);
      const name = nameFor(file);
      let applied = 0;
      for (const d of check(text, name)) {
        for (const fix of (d.data as ClusterDiagnosticData | undefined)?.fixes ?? []) {
          applyFix(text, String(d.code), name, new RegExp(`^${fix.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
          applied++;
        }
      }
      if (!file.includes('good')) assert.ok(applied > 0, `no fix offered in ${file}`);
    });
  }
});
