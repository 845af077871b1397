import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policyDiagnostics } from '../../../../server/src/policy/checks/policyDiagnostics';

const URI = 'file:///work/audit-policy.yaml';

function codes(text: string, uri = URI): string[] | undefined {
  return policyDiagnostics(uri, text)?.map((d) => String(d.code));
}

describe('policy reader checks (kube-apiserver loading, spec §2)', () => {
  it('accepts a minimal v1 policy', () => {
    assert.deepEqual(codes('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n'), []);
  });

  it('rejects v1beta1 with the apiserver wording, on the value', () => {
    const [d] = policyDiagnostics(URI, 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n')!;
    assert.equal(d!.code, 'api-version-removed');
    assert.match(String(d!.message), /no kind "Policy" is registered for version "audit.k8s.io\/v1beta1"/);
    assert.deepEqual(d!.range, { start: { line: 0, character: 12 }, end: { line: 0, character: 32 } });
  });

  it('rejects a missing apiVersion in a file named like a policy', () => {
    assert.deepEqual(codes('kind: Policy\nrules:\n- level: Metadata\n'), ['api-version-missing']);
  });

  it('rejects a wrong kind and warns on a missing one', () => {
    assert.deepEqual(codes('apiVersion: audit.k8s.io/v1\nkind: AuditPolicy\nrules:\n- level: Metadata\n', 'file:///x/audit-policy.yaml'), ['kind-wrong']);
    assert.deepEqual(codes('apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n'), ['kind-missing']);
  });

  it('rejects zero rules, an empty rules list and an empty file', () => {
    assert.deepEqual(codes('apiVersion: audit.k8s.io/v1\nkind: Policy\n'), ['no-rules']);
    assert.deepEqual(codes('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n'), ['no-rules']);
    assert.deepEqual(codes(''), ['policy-empty']);
  });

  it('an empty first document hides the policy in the second one', () => {
    const [empty] = policyDiagnostics(URI, '---\n---\napiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n')!;
    assert.equal(empty!.code, 'policy-empty');
    assert.match(String(empty!.message), /first YAML document is empty/);
  });

  it('reports YAML syntax errors with their position', () => {
    const diagnostics = policyDiagnostics(URI, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: [Metadata\n')!;
    const syntax = diagnostics.find((d) => d.code === 'yaml-syntax');
    assert.ok(syntax, JSON.stringify(diagnostics));
    assert.ok(syntax.range.start.line >= 3);
  });

  it('stays silent on YAML that is not an audit policy', () => {
    assert.equal(codes('apiVersion: apps/v1\nkind: Deployment\n', 'file:///x/deploy.yaml'), undefined);
    assert.equal(codes('apiVersion: audit.k8s.io/v1\nkind: Event\n', 'file:///x/event.yaml'), undefined);
    assert.equal(codes('just: yaml\n', 'file:///x/values.yaml'), undefined);
  });
});
