import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { analyseSetup } from '../../../server/src/cluster/setupDiagnostics';
import { check, fixture, uriOf, where } from './helpers';

const WEBHOOK = 'audit-webhook.yaml';

describe('audit webhook kubeconfig', () => {
  it('plain HTTP, a dangling current-context, a second cluster skipping TLS checks, an inline token', () => {
    const text = fixture('audit-webhook.kubeconfig.yaml');
    const diagnostics = check(text, WEBHOOK);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, where(text, d), d.severity]),
      [
        ['webhook-multiple-clusters', '4:0-4:8 clusters', DiagnosticSeverity.Information],
        ['webhook-server-not-https', '7:12-7:57 http://audit-receiver.logging.svc:8080/events', DiagnosticSeverity.Warning],
        ['webhook-insecure-skip-tls-verify', '11:4-11:28 insecure-skip-tls-verify', DiagnosticSeverity.Warning],
        ['webhook-current-context-unknown', '17:17-17:28 to-reciever', DiagnosticSeverity.Error],
        ['webhook-credentials-inline', '21:4-21:9 token', DiagnosticSeverity.Information],
      ],
    );
    assert.equal(diagnostics.find((d) => d.code === 'webhook-current-context-unknown')!.message, 'initializing audit webhook: context was not found for specified context: to-reciever (kube-apiserver does not start).');
  });

  it('once current-context is right, only its cluster is judged', () => {
    const text = fixture('audit-webhook.kubeconfig.yaml').replace('current-context: to-reciever', 'current-context: to-receiver');
    const codes = check(text, WEBHOOK).map((d) => d.code);
    assert.deepEqual(codes, ['webhook-multiple-clusters', 'webhook-server-not-https', 'webhook-credentials-inline']);
  });

  it('a good webhook kubeconfig: https with a CA, client certificate files, one cluster', () => {
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: receiver',
      '  cluster:',
      '    server: https://audit.example.internal/k8s',
      '    certificate-authority: /etc/kubernetes/pki/audit-ca.crt',
      'contexts:',
      '- name: default',
      '  context: {cluster: receiver, user: apiserver}',
      'current-context: default',
      'users:',
      '- name: apiserver',
      '  user:',
      '    client-certificate: /etc/kubernetes/pki/audit-client.crt',
      '    client-key: /etc/kubernetes/pki/audit-client.key',
      '',
    ].join('\n');
    assert.deepEqual(check(text, WEBHOOK), []);
  });

  it('no current-context: an error with the fix naming the only context', () => {
    const text = 'apiVersion: v1\nkind: Config\nclusters:\n- name: r\n  cluster: {server: "https://r.example/x"}\ncontexts:\n- name: only\n  context: {cluster: r, user: u}\nusers: []\n';
    const diagnostics = check(text, WEBHOOK);
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [
      ['webhook-no-ca', '5:21-5:40 https://r.example/x'],
      ['webhook-current-context-missing', '6:0-6:8 contexts'],
    ]);
  });
});

describe('managed clusters', () => {
  it('eksctl: audit not among enableTypes, retention 60 days', () => {
    const text = fixture('eksctl-cluster.yaml');
    const diagnostics = check(text, 'cluster.yaml');
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [
      ['eks-audit-log-disabled', '9:4-9:15 enableTypes'],
      ['eks-log-retention-short', '10:24-10:26 60'],
    ]);
    const analysed = analyseSetup(uriOf('cluster.yaml'), text)!;
    assert.deepEqual(analysed.file.documents[0]!.kind === 'managed' && [analysed.file.documents[0]!.config.coverage, analysed.file.documents[0]!.config.retentionDays], ['none', 60]);
  });

  it('eksctl: "*" enables audit; a retention CloudWatch does not offer is an error', () => {
    const text = 'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: us-east-1}\ncloudWatch:\n  clusterLogging:\n    enableTypes: ["*"]\n    logRetentionInDays: 100\n';
    assert.deepEqual(check(text, 'cluster.yaml').map((d) => [d.code, where(text, d)]), [['eks-log-retention-invalid', '7:24-7:27 100']]);
  });

  it('CloudFormation YAML: the cluster resource without audit, and a 90-day log group', () => {
    const text = fixture('cloudformation-eks.yaml');
    assert.deepEqual(check(text, 'template.yaml').map((d) => [d.code, where(text, d)]), [
      ['eks-log-retention-short', '8:23-8:25 90'],
      ['eks-audit-log-disabled', '9:2-9:17 PaymentsCluster'],
    ]);
  });

  it('CloudFormation JSON: the same check on the resource key', () => {
    const text = fixture('cloudformation-eks.json');
    assert.deepEqual(check(text, 'template.json').map((d) => [d.code, where(text, d)]), [['eks-audit-log-disabled', '4:4-4:21 "PaymentsCluster"']]);
  });

  it('AKS: kube-audit-admin only (reads missing) and 30 days of retention', () => {
    const text = fixture('aks-diagnostic-settings.json');
    const diagnostics = check(text, 'diagnostics.json');
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [
      ['aks-audit-admin-only', '6:19-6:35 kube-audit-admin'],
      ['aks-log-retention-short', '6:84-6:86 30'],
    ]);
    assert.match(diagnostics[0]!.message, /leaves out get and list/);
  });

  it('AKS: kube-audit enabled is the full log', () => {
    const text = fixture('aks-diagnostic-settings.json').replace('"kube-audit-admin"', '"kube-audit"').replace(/"days": 30/g, '"days": 365');
    assert.deepEqual(check(text, 'diagnostics.json'), []);
  });

  it('GKE IAM policy: Data Access reads off for the Kubernetes Engine API', () => {
    const text = fixture('gcp-iam-policy.json');
    const diagnostics = check(text, 'iam.json');
    assert.deepEqual(diagnostics.map((d) => [d.code, where(text, d)]), [['gke-data-access-off', '2:2-2:16 "auditConfigs"']]);
    assert.match(diagnostics[0]!.message, /DATA_READ, DATA_WRITE not enabled/);
  });

  it('GKE: allServices with every type is enough; exempted members are noted', () => {
    const text = JSON.stringify({ auditConfigs: [{ service: 'allServices', auditLogConfigs: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ', exemptedMembers: ['serviceAccount:ci@p.iam.gserviceaccount.com'] }, { logType: 'DATA_WRITE' }] }], etag: 'x', version: 1 }, null, 2);
    assert.deepEqual(check(text, 'iam.json').map((d) => d.code), ['gke-data-access-exempted']);
  });
});
