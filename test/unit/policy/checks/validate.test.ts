import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { codes, covered, lint, policy, rules, withCode } from '../helpers';

// ValidatePolicy (spec §3): every row of the validation_test.go table, then the reader_test.go cases.

const VALIDATION_CODES = new Set([
  'stage-invalid',
  'level-required',
  'level-unsupported',
  'url-missing-slash',
  'url-wildcard-position',
  'group-invalid',
  'group-wildcard-unsupported',
  'resource-names-without-resources',
  'resources-and-urls',
]);

function validationErrors(text: string, version?: string): string[] {
  return lint(text, version)
    .filter((d) => d.severity === DiagnosticSeverity.Error)
    .map((d) => String(d.code))
    .filter((code) => VALIDATION_CODES.has(code));
}

const VALID_RULES = [
  '{level: Metadata}',
  '{level: None, userGroups: ["system:serviceaccounts", "system:nodes"]}',
  '{level: RequestResponse, verbs: [get], resources: [{group: rbac.authorization.k8s.io, resources: [roles, rolebindings]}], namespaces: [kube-system]}',
  '{level: Metadata, userGroups: [developers], nonResourceURLs: ["/logs*", "/healthz*", "/metrics", "*"]}',
  '{level: Metadata, omitStages: [RequestReceived]}',
];

describe('validation: the valid column of validation_test.go', () => {
  for (const rule of VALID_RULES) {
    it(`accepts ${rule}`, () => assert.deepEqual(validationErrors(rules(rule)), []));
  }
  it('accepts all the valid rules together', () => assert.deepEqual(validationErrors(rules(...VALID_RULES)), []));
  it('accepts an empty Policy and one with only omitStages (the reader still rejects 0 rules)', () => {
    assert.deepEqual(codes(policy('')), ['no-rules']);
    assert.deepEqual(codes(policy('omitStages: [RequestReceived]\n')), ['no-rules']);
  });
});

describe('validation: the invalid column of validation_test.go', () => {
  const cases: [string, string, string][] = [
    ['{} (no level)', '{}', 'level-required'],
    ['verbs+resources+namespaces but no level', '{verbs: [get], resources: [{resources: [secrets]}], namespaces: [default]}', 'level-required'],
    ['level: FooBar', '{level: FooBar}', 'level-unsupported'],
    ['nonResourceURLs /logs* with namespaces', '{level: Metadata, nonResourceURLs: ["/logs*"], namespaces: [default]}', 'resources-and-urls'],
    ['nonResourceURLs /logs* with resources', '{level: Metadata, nonResourceURLs: ["/logs*"], resources: [{resources: [secrets]}]}', 'resources-and-urls'],
    ['group rbac.authorization.k8s.io/v1beta1', '{level: Metadata, resources: [{group: rbac.authorization.k8s.io/v1beta1, resources: [roles]}]}', 'group-invalid'],
    ['nonResourceURLs without a leading slash', '{level: Metadata, nonResourceURLs: [logs, "/healthz*"]}', 'url-missing-slash'],
    ['nonResourceURLs with ""', '{level: Metadata, nonResourceURLs: ["", "/healthz*"]}', 'url-missing-slash'],
    ['nonResourceURLs /logs/*/*', '{level: Metadata, nonResourceURLs: ["/logs/*/*", "/metrics"]}', 'url-wildcard-position'],
    ['nonResourceURLs /logs/*.log', '{level: Metadata, nonResourceURLs: ["/logs/*.log", "/metrics"]}', 'url-wildcard-position'],
    ['resourceNames without resources', '{level: Metadata, resources: [{resourceNames: [leader]}]}', 'resource-names-without-resources'],
    ['rule omitStages [foo]', '{level: Metadata, omitStages: [foo]}', 'stage-invalid'],
  ];
  for (const [name, rule, code] of cases) {
    it(`rejects ${name}`, () => assert.deepEqual(validationErrors(rules(rule)), [code]));
  }
  it('rejects the valid rules plus one empty rule', () => {
    assert.deepEqual(validationErrors(rules(...VALID_RULES, '{}')), ['level-required']);
  });
  it('rejects policy omitStages [foo] with a valid rule', () => {
    assert.deepEqual(validationErrors(policy('omitStages: [foo]\nrules:\n- level: Metadata\n')), ['stage-invalid']);
  });
});

describe('validation: wording and ranges', () => {
  it('V2 names the field path like the apiserver', () => {
    const [d] = withCode(rules('level: Metadata', 'verbs: [get]'), 'level-required');
    assert.match(d!.message, /^rules\[1\]\.level: Required value/);
  });

  it('V3 lists the supported values and suggests the right case', () => {
    const text = rules('level: metadata');
    const [d] = withCode(text, 'level-unsupported');
    assert.match(d!.message, /rules\[0\]\.level: Unsupported value: "metadata": supported values: "Metadata", "None", "Request", "RequestResponse"/);
    assert.deepEqual(d!.data, { replacement: 'Metadata' });
    assert.equal(covered(text, d!), 'metadata');
  });

  it('V1/V8 use the allowed-stages wording on the item itself', () => {
    const text = policy('omitStages:\n  - requestReceived\nrules:\n- level: Metadata\n');
    const [d] = withCode(text, 'stage-invalid');
    assert.match(d!.message, /^omitStages\[0\]: Invalid value: "requestReceived": allowed stages are RequestReceived,ResponseStarted,ResponseComplete,Panic/);
    assert.equal(covered(text, d!), 'requestReceived');
    assert.deepEqual(d!.data, { replacement: 'RequestReceived' });
  });

  it('V4 and V5 both fire for "*foo"; V5 offers the prefix form', () => {
    assert.deepEqual(validationErrors(rules('{level: Metadata, nonResourceURLs: ["*foo"]}')).sort(), ['url-missing-slash', 'url-wildcard-position']);
    const [d] = withCode(rules('{level: Metadata, nonResourceURLs: ["/foo**"]}'), 'url-wildcard-position');
    assert.deepEqual(d!.data, { replacement: '/foo*' });
    assert.deepEqual(validationErrors(rules('{level: Metadata, nonResourceURLs: ["/api*", "/apis/*", "*"]}')), []);
  });

  it('V6 reports rules[i].resources.group without the entry index (upstream quirk) and offers the group without version', () => {
    const text = rules('level: Metadata\nresources:\n- group: apps\n- group: rbac.authorization.k8s.io/v1beta1');
    const [d] = withCode(text, 'group-invalid');
    assert.match(d!.message, /^rules\[0\]\.resources\.group: Invalid value: "rbac\.authorization\.k8s\.io\/v1beta1": a lowercase RFC 1123 subdomain/);
    assert.equal(covered(text, d!), 'rbac.authorization.k8s.io/v1beta1');
    assert.deepEqual(d!.data, { replacement: 'rbac.authorization.k8s.io' });
  });

  it('V7 prints the names as Go does', () => {
    const [d] = withCode(rules('{level: Metadata, resources: [{resourceNames: [leader]}]}'), 'resource-names-without-resources');
    assert.match(d!.message, /rules\[0\]\.resources\.resourceNames: Invalid value: \[\]string\{"leader"\}: using resourceNames requires at least one resource/);
  });

  it('V9 points at the nonResourceURLs key', () => {
    const text = rules('level: Metadata\nnamespaces: [default]\nnonResourceURLs: ["/logs*"]');
    const [d] = withCode(text, 'resources-and-urls');
    assert.equal(covered(text, d!), 'nonResourceURLs');
    assert.match(d!.message, /rules cannot apply to both regular resources and non-resource URLs/);
  });

  it('group "*" is an error before 1.36 and fine from 1.36', () => {
    const text = rules('{level: None, resources: [{group: "*", resources: ["*/status"]}]}', '{level: Metadata}');
    assert.deepEqual(validationErrors(text, '1.35'), ['group-wildcard-unsupported']);
    assert.deepEqual(validationErrors(text, '1.36'), []);
    assert.deepEqual(validationErrors(text), []);
    assert.deepEqual(validationErrors(rules('{level: None, resources: [{group: "*.example.com"}]}')), ['group-invalid']);
  });

  it('every validation problem is an error', () => {
    const all = lint(rules('{}', '{level: x, omitStages: [y], nonResourceURLs: [z]}'));
    assert.ok(all.length >= 4);
    for (const d of all.filter((x) => VALIDATION_CODES.has(String(x.code)))) assert.equal(d.severity, DiagnosticSeverity.Error);
  });
});

describe('reader_test.go cases (spec §2)', () => {
  it('a v1 policy parses; resources: [{group: ""}] is the whole core group', () => {
    assert.deepEqual(validationErrors(rules('{level: Metadata, resources: [{group: ""}]}')), []);
  });
  it('no apiVersion or kind is an error, and both are reported (TestParsePolicyWithNoVersionOrKind)', () => {
    const severityOf = (text: string) => new Map(lint(text).map((d) => [String(d.code), d.severity]));
    const neither = severityOf('rules:\n- level: Metadata\n');
    assert.deepEqual([...neither.keys()].sort(), ['api-version-missing', 'kind-missing']);
    assert.equal(neither.get('api-version-missing'), DiagnosticSeverity.Error);
    // Without kind alone the apiserver still loads (it infers Policy from the decode target): a warning.
    assert.equal(neither.get('kind-missing'), DiagnosticSeverity.Warning);
    assert.deepEqual([...severityOf('kind: Policy\nrules:\n- level: Metadata\n')], [['api-version-missing', DiagnosticSeverity.Error]]);
    assert.deepEqual([...severityOf('apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n')], [['kind-missing', DiagnosticSeverity.Warning]]);
    assert.deepEqual([...severityOf('apiVersion: audit.k8s.io/v1\nkind: AuditPolicy\nrules:\n- level: Metadata\n')], [['kind-wrong', DiagnosticSeverity.Error]]);
  });
  it('an unknown field (verbs under resources[]) loads: a warning, not an error', () => {
    const ds = lint(rules('level: Metadata\nresources:\n- group: coordination.k8s.io\n  resources: [leases]\n  verbs: [update]'));
    assert.deepEqual(ds.filter((d) => d.severity === DiagnosticSeverity.Error), []);
    assert.ok(ds.some((d) => d.code === 'unknown-field' && d.severity === DiagnosticSeverity.Warning));
  });
  it('apiVersion and kind only, or an empty file, is an error', () => {
    assert.deepEqual(codes(policy('')), ['no-rules']);
    assert.deepEqual(codes(''), ['policy-empty']);
  });
  it('v1beta1: fine before 1.21, deprecated 1.21-1.23, an error from 1.24', () => {
    const text = 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n';
    assert.deepEqual(codes(text, '1.20'), []);
    assert.deepEqual(codes(text, '1.23'), ['api-version-deprecated']);
    assert.deepEqual(codes(text, '1.24'), ['api-version-removed']);
  });
});
