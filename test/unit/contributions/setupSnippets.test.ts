import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { analyseSetup, setupDiagnostics } from '../../../server/src/cluster/setupDiagnostics';
import { policyDiagnostics } from '../../../server/src/policy/checks/policyDiagnostics';
import { REPO_ROOT } from '../helpers';

interface Snippet {
  prefix: string[];
  body: string[];
  description: string;
}

const snippets: Record<string, Snippet> = JSON.parse(readFileSync(join(REPO_ROOT, 'snippets', 'audit-setup.code-snippets'), 'utf8'));

/** The text a user gets when accepting the snippet with every default (a mirrored ${1} repeats ${1:default}). */
function expand(body: string[]): string {
  const text = body.join('\n');
  const defaults = new Map<string, string>();
  for (const match of text.matchAll(/\$\{(\d+):([^}]*)\}/g)) defaults.set(match[1]!, match[2]!);
  for (const match of text.matchAll(/\$\{(\d+)\|([^,|]*)[^|]*\|\}/g)) defaults.set(match[1]!, match[2]!);
  return text
    .replace(/\$\{(\d+)\|[^|]*\|\}/g, (_, n: string) => defaults.get(n) ?? '')
    .replace(/\$\{(\d+):[^}]*\}/g, (_, n: string) => defaults.get(n) ?? '')
    .replace(/\$\{(\d+)\}/g, (_, n: string) => defaults.get(n) ?? '')
    .replace(/\$\d+/g, '');
}

function problems(text: string, uri: string): string[] {
  const diagnostics = setupDiagnostics(uri, text) ?? [];
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning).map((d) => `${d.code} at ${d.range.start.line + 1}: ${d.message}`);
}

describe('audit setup snippets', () => {
  it('kubeadm: a ClusterConfiguration with every audit flag and mount, no finding; its policy document loads clean', () => {
    const snippet = snippets['Audit setup: kubeadm (flags, mounts and policy)']!;
    const text = expand(snippet.body);
    const analysed = analyseSetup('file:///snippet/kubeadm.yaml', text);
    assert.ok(analysed, text);
    assert.equal(analysed.file.documents[0]!.kind, 'apiserver');
    assert.deepEqual(analysed.diagnostics.map((d) => d.code), [], text);
    const policy = text.slice(text.indexOf('---\n') + 4);
    const policyProblems = (policyDiagnostics('file:///snippet/audit-policy.yaml', policy) ?? []).filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);
    assert.deepEqual(policyProblems.map((d) => `${d.code}: ${d.message}`), [], policy);
    assert.match(text, /value: \/etc\/kubernetes\/audit\/audit-policy\.yaml\n/);
    assert.match(text, /hostPath: \/var\/log\/kubernetes\/audit\n      mountPath: \/var\/log\/kubernetes\/audit\n/);
  });

  it('eksctl: the logging block completes a ClusterConfig without a finding', () => {
    const snippet = snippets['Audit setup: eksctl control-plane logging']!;
    const text = `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: payments\n  region: eu-west-1\n${expand(snippet.body)}\n`;
    assert.deepEqual(problems(text, 'file:///snippet/cluster.yaml'), [], text);
    const analysed = analyseSetup('file:///snippet/cluster.yaml', text)!;
    const managed = analysed.file.documents[0]!;
    assert.ok(managed.kind === 'managed' && managed.config.coverage === 'all' && managed.config.retentionDays === 365);
  });

  it('every prefix starts with audit- or k8s-audit', () => {
    for (const snippet of Object.values(snippets)) assert.ok(snippet.prefix.every((prefix) => prefix.startsWith('audit-') || prefix.startsWith('k8s-audit')));
  });
});
