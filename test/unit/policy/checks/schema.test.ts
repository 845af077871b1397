import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { codes, covered, lint, policy, rules, withCode } from '../helpers';

// Decoding (spec §2): type errors are fatal, unknown keys are dropped with a warning.

describe('type mismatches: fatal, in the apiserver words', () => {
  it('users: alice (a string for a list)', () => {
    const text = rules('level: None\nusers: alice');
    const [d] = withCode(text, 'type-mismatch');
    assert.equal(d!.severity, DiagnosticSeverity.Error);
    assert.match(d!.message, /^failed decoding: json: cannot unmarshal string into Go struct field PolicyRule\.rules\.users of type \[\]string/);
    assert.equal(covered(text, d!), 'alice');
    assert.deepEqual(d!.data, { replacement: ['alice'] });
  });

  it('omitManagedFields: "true" (a string for a bool)', () => {
    const text = policy('omitManagedFields: "true"\nrules:\n- level: Metadata\n');
    const [d] = withCode(text, 'type-mismatch');
    assert.match(d!.message, /cannot unmarshal string into Go struct field Policy\.omitManagedFields of type bool/);
    assert.equal(covered(text, d!), '"true"');
    assert.deepEqual(d!.data, { replacement: true });
  });

  it('omitManagedFields: yes is a YAML 1.1 boolean for go-yaml, so it loads', () => {
    assert.deepEqual(codes(policy('omitManagedFields: yes\nrules:\n- level: Metadata\n')), []);
  });

  it('level: 1 (a number for a Level)', () => {
    const [d] = withCode(rules('level: 1'), 'type-mismatch');
    assert.match(d!.message, /cannot unmarshal number into Go struct field PolicyRule\.rules\.level of type v1\.Level/);
    assert.deepEqual(codes(rules('level: 1')), ['type-mismatch']);
  });

  it('YAML 1.1 booleans: unquoted on/yes/n in a string list are booleans for go-yaml v2', () => {
    for (const value of ['on', 'yes', 'Off', 'n', 'NO']) {
      const text = rules(`level: Metadata\nusers: [alice, ${value}]`);
      const [d] = withCode(text, 'type-mismatch');
      assert.ok(d, value);
      assert.match(d!.message, /cannot unmarshal bool into Go struct field PolicyRule\.rules\.users of type string/);
      assert.match(d!.message, /YAML 1\.1/);
      assert.equal(covered(text, d!), value);
    }
    // Quoted, they are strings.
    assert.deepEqual(withCode(rules('level: Metadata\nusers: [alice, "on"]'), 'type-mismatch'), []);
  });

  it('a resources entry written as a string', () => {
    const [d] = withCode(rules('level: Metadata\nresources: [pods]'), 'type-mismatch');
    assert.match(d!.message, /cannot unmarshal string into Go struct field PolicyRule\.rules\.resources of type v1\.GroupResources/);
  });

  it('null is accepted anywhere (Go leaves the zero value)', () => {
    assert.deepEqual(
      lint(rules('level: Metadata\nusers: ~\nverbs:')).filter((d) => d.severity === DiagnosticSeverity.Error),
      [],
    );
  });
});

describe('unknown and misplaced keys: warnings with the intended key', () => {
  it('verbs under resources[] belongs to the rule (kubernetes#110116)', () => {
    const text = rules('level: None\nresources:\n- group: coordination.k8s.io\n  resources: [leases]\n  verbs: [update]', 'level: Metadata');
    const [d] = withCode(text, 'unknown-field');
    assert.equal(d!.severity, DiagnosticSeverity.Warning);
    assert.equal(covered(text, d!), 'verbs');
    assert.match(d!.message, /unknown field "rules\[0\]\.resources\[0\]\.verbs"/);
    assert.match(d!.message, /belongs to the rule/);
    assert.deepEqual(d!.data, { moveTo: 'rule' });
  });

  it('resource -> resources, nonResourceUrls -> nonResourceURLs, omitstages -> omitStages, verb -> verbs', () => {
    const cases: [string, string][] = [
      ['level: Metadata\nresources:\n- group: ""\n  resource: [pods]', 'resources'],
      ['level: None\nnonResourceUrls: ["/healthz*"]', 'nonResourceURLs'],
      ['level: None\nomitstages: [RequestReceived]', 'omitStages'],
      ['level: None\nverb: [get]', 'verbs'],
      ['level: None\nresources:\n- apiGroups: [apps]', 'group'],
    ];
    for (const [rule, replacement] of cases) {
      const [d] = withCode(rules(rule, 'level: Metadata'), 'unknown-field');
      assert.ok(d, rule);
      assert.deepEqual(d!.data, { replacement }, rule);
    }
  });

  it('rule keys at the top level belong in rules[]', () => {
    const [d] = withCode(policy('level: Metadata\nrules:\n- level: Metadata\n'), 'unknown-field');
    assert.deepEqual(d!.data, { moveTo: 'rule' });
  });

  it('the message depends on the release: logged since 1.26, silent before', () => {
    const text = rules('level: None\nverb: [get]', 'level: Metadata');
    assert.match(withCode(text, 'unknown-field', '1.26')[0]!.message, /strict decoding error/);
    assert.match(withCode(text, 'unknown-field', '1.25')[0]!.message, /silently drops/);
  });

  it('known keys and metadata are fine', () => {
    assert.deepEqual(codes(policy('metadata:\n  name: x\n  anything: 1\nomitManagedFields: true\nrules:\n- level: Metadata\n')), []);
  });
});
