import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../helpers';
import { codes, lint, policy, rules, type Diag } from '../helpers';

// Issue 14, items 1 and 2: an error in one place must not hide findings elsewhere, and findings that
// depend on what an error leaves unknown (a broken rule, text after a YAML syntax error) are withheld.

const SECRETS_AT_REQUEST = 'level: Request\nresources:\n- group: ""\n  resources: [secrets]';
const DROPPED_VERBS = 'level: None\nresources:\n- group: coordination.k8s.io\n  resources: [leases]\n  verbs: [update]';
const RULES = [SECRETS_AT_REQUEST, DROPPED_VERBS, 'level: Metadata'];

/** "code@line" of every diagnostic, in order: what a user sees in the Problems panel. */
function seen(text: string, version?: string): string[] {
  return lint(text, version).map((d) => `${d.code}@${d.range.start.line}`);
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, needle);
  return text.slice(0, at).split('\n').length - 1;
}

describe('an error in the header does not hide the rules findings', () => {
  const body = rules(...RULES).slice(policy('').length);

  it('apiVersion audit.k8s.io/v1beta1: the header error and every rule warning', () => {
    const text = `apiVersion: audit.k8s.io/v1beta1\nkind: Policy\n${body}`;
    const good = seen(rules(...RULES));
    assert.ok(good.includes(`sensitive-data-logged@${lineOf(text, 'level: Request')}`), good.join());
    assert.deepEqual(seen(text), ['api-version-removed@0', ...good]);
  });

  it('a templated apiVersion ({{ ... }} of a Helm chart): the header error and every rule warning', () => {
    const text = `apiVersion: {{ .Values.auditApiVersion }}\nkind: Policy\n${body}`;
    assert.deepEqual(seen(text), ['api-version-unknown@0', ...seen(rules(...RULES))]);
    // Unquoted, the template is a YAML mapping: say what it is rather than print "<non-scalar>".
    assert.match(lint(text)[0]!.message, /^apiVersion is the template expression \{\{ \.Values\.auditApiVersion \}\}: kube-apiserver .* does not render templates/);
  });

  it('a wrong kind: the header error and every rule warning', () => {
    const text = `apiVersion: audit.k8s.io/v1\nkind: AuditPolicy\n${body}`;
    assert.deepEqual(seen(text), ['kind-wrong@1', ...seen(rules(...RULES))]);
  });
});

describe('a half-typed rule leaves the other rules findings alone (no flicker)', () => {
  it('"- level:" typed at each place between the rules: the rules before it keep every finding', () => {
    const complete = rules(...RULES);
    const before = lint(complete);
    for (let at = 0; at <= RULES.length; at++) {
      const typing = rules(...RULES.slice(0, at), 'level:', ...RULES.slice(at));
      const newRuleLine = lineOf(typing, 'level:\n') + 0;
      const now = lint(typing);
      const required = now.filter((d) => d.code === 'level-required');
      assert.equal(required.length, 1, `at ${at}`);
      assert.equal(required[0]!.range.start.line, newRuleLine);
      // Everything on the rules above the new one is exactly as before. (Notes on the "rules:" key are
      // about the whole list, which now holds an unknown rule.)
      const rulesLine = lineOf(typing, 'rules:');
      const above = (ds: Diag[]) => ds.filter((d) => d.range.start.line > rulesLine && d.range.start.line < newRuleLine).map((d) => `${d.code}@${d.range.start.line}`);
      assert.deepEqual(above(now), above(before), `at ${at}`);
    }
  });

  it('rule-local findings below the half-typed rule stay too (they do not depend on it)', () => {
    const typing = rules(SECRETS_AT_REQUEST, 'level:', DROPPED_VERBS, 'level: Metadata\nverbs: ["*"]', 'level: Metadata');
    const found = codes(typing);
    assert.ok(found.includes('unknown-field'), found.join());
    assert.ok(found.includes('wildcard-literal'), found.join());
    assert.ok(found.includes('sensitive-data-logged'), found.join());
  });

  it('a rule being typed as "-" alone is refused by the apiserver (a null rule has no level)', () => {
    const text = policy('rules:\n- level: Metadata\n-\n');
    const [d] = lint(text).filter((x) => x.code === 'level-required');
    assert.ok(d, JSON.stringify(lint(text)));
    assert.match(d.message, /^rules\[1\]\.level: Required value/);
    assert.equal(d.range.start.line, 4);
  });
});

describe('a rule with an error is unknown: nothing that depends on it is claimed', () => {
  it('a catch-all with an invalid level shadows nothing, and does not take the secrets from a later rule', () => {
    // Fixed as "Metadata" it would shadow rule 2; fixed by adding conditions it would not. Either way,
    // whether rule 2 is the first to match secrets is unknown.
    const found = codes(rules('level: metadata', SECRETS_AT_REQUEST, 'level: Metadata'));
    assert.deepEqual(found, ['level-unsupported']);
  });

  it('an error in a later rule does not change what is known about earlier ones', () => {
    const found = codes(rules(SECRETS_AT_REQUEST, 'level: Metadata\nusers: alice', 'level: Metadata'));
    assert.ok(found.includes('sensitive-data-logged'), found.join());
    assert.ok(found.includes('type-mismatch'), found.join());
  });

  it('shadowing between two sound rules holds whatever the broken rule between them becomes', () => {
    const text = rules('level: Metadata\nverbs: [get]', 'level: Request\nnonResourceURLs: [healthz]', 'level: None\nverbs: [get]\nresources:\n- group: ""\n  resources: [pods]', 'level: Metadata');
    const found = codes(text);
    assert.ok(found.includes('url-missing-slash'), found.join());
    assert.ok(found.includes('rule-shadowed'), found.join());
  });

  it('a rule with an error keeps the findings about its own values', () => {
    const found = codes(rules('level: metadata\nverbs: ["*"]\nresources:\n- group: ""\n  resources: [deployments]', 'level: Metadata'));
    assert.deepEqual(found.sort(), ['level-unsupported', 'resource-wrong-group', 'wildcard-literal']);
  });

  it('no catch-all is not claimed while a rule is unknown (it could be the catch-all)', () => {
    assert.deepEqual(codes(rules('level: None\nusers: alice', 'level: Metadata\nverbs: [get]')), ['type-mismatch']);
    // Once the type error is fixed, the warning is there.
    assert.ok(codes(rules('level: None\nusers: [alice]', 'level: Metadata\nverbs: [get]')).includes('no-catch-all'));
  });

  it('CIS 3.2.2: a gap decided before the broken rule is reported, one that could depend on it is not', () => {
    const early = codes(rules('level: Request\nresources:\n- group: ""\n  resources: [secrets, configmaps]', 'level: metadata', 'level: Metadata'));
    assert.ok(early.includes('cis-3.2.2'), early.join());
    const late = codes(rules('level: metadata', 'level: Request\nresources:\n- group: ""\n  resources: [secrets, configmaps]', 'level: Metadata'));
    assert.ok(!late.includes('cis-3.2.2'), late.join());
  });
});

describe('after a YAML syntax error', () => {
  // The case: `verbs:` indented with a tab, in the third of four rules.
  const CLEAN_RULES = rules(SECRETS_AT_REQUEST, 'level: Metadata\nverbs: ["*"]');
  const TABBED = `${CLEAN_RULES}- level: Metadata
  resources:
  - group: ""
    resources: ["pods"]
\tverbs: ["get"]
- level: Request
  resources:
  - group: ""
    resources: ["configmaps"]
`;

  it('a tab-indented verbs: the syntax error, no "unknown field verbs", and nothing about the rules it garbles', () => {
    const ds = lint(TABBED);
    const tabLine = lineOf(TABBED, '\tverbs');
    assert.ok(ds.some((d) => d.code === 'yaml-syntax' && d.range.start.line === tabLine), JSON.stringify(ds));
    assert.deepEqual(ds.filter((d) => d.code === 'unknown-field'), []);
    // Nothing at or after the rule the tab line belongs to, other than syntax errors.
    const brokenRuleLine = lineOf(TABBED, 'resources: ["pods"]') - 3;
    assert.deepEqual(ds.filter((d) => d.code !== 'yaml-syntax' && d.range.start.line >= brokenRuleLine).map((d) => d.code), []);
  });

  it('the rules that end before the error keep their findings', () => {
    const found = seen(TABBED);
    // Rules 1 and 2 are closed by rule 3 before the error: their findings stand. no-catch-all and the
    // notes on the "rules:" key are about the whole list, which the error leaves unknown.
    const rulesLine = lineOf(TABBED, 'rules:');
    const clean = seen(CLEAN_RULES).filter((f) => !f.startsWith('no-catch-all') && !f.endsWith(`@${rulesLine}`));
    assert.ok(clean.some((f) => f.startsWith('sensitive-data-logged')), clean.join());
    assert.ok(clean.some((f) => f.startsWith('wildcard-literal')), clean.join());
    assert.deepEqual(found.filter((f) => !f.startsWith('yaml-syntax')), clean);
  });

  it('when the whole rules list closes before the error, findings about the list stand', () => {
    const text = 'apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n  verbs: [get]\nkind: Policy\n\tmetadata: {}\n';
    assert.deepEqual(codes(text).filter((c) => c !== 'yaml-syntax'), ['no-catch-all', 'cis-3.2.2']);
    // The same list left open by the error (rules is the last key before it): nothing about the list.
    const open = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  verbs: [get]\n\tmetadata: {}\n';
    assert.deepEqual(codes(open).filter((c) => c !== 'yaml-syntax'), []);
  });

  it('nothing is claimed missing: apiVersion, kind and rules may sit after the error', () => {
    const text = 'rules:\n- level: Metadata\n\tverbs: [get]\napiVersion: audit.k8s.io/v1\nkind: Policy\n';
    assert.deepEqual(codes(text).filter((c) => c !== 'yaml-syntax'), []);
  });

  it('no duplicate-key warning that names a key after the error', () => {
    const text = policy('rules:\n- level: Metadata\n  verbs: [get]\n  verbs: [list]\n- level: None\n\tusers: [a]\n');
    const inClosedRule = codes(text);
    assert.ok(inClosedRule.includes('duplicate-key'), inClosedRule.join());
    const acrossError = policy('omitStages: [RequestReceived]\nrules:\n- level: Metadata\n\tx: 1\nomitStages: [Panic]\n');
    assert.deepEqual(codes(acrossError).filter((c) => c !== 'yaml-syntax'), []);
  });

  it('an error in a later YAML document leaves the first document (the policy) fully analysed', () => {
    const text = `${rules('level: Metadata\nverbs: ["*"]')}---\nfoo:\n\tbar: 1\n`;
    const found = codes(text);
    assert.ok(found.includes('yaml-syntax'), found.join());
    assert.ok(found.includes('wildcard-literal'), found.join());
    assert.ok(found.includes('no-catch-all'), found.join());
  });
});

describe('k8s-audit lint reports the same set as the editor', () => {
  it('v1beta1 with rule warnings, and a half-typed rule', () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-audit-lint-'));
    try {
      const texts = [
        `apiVersion: audit.k8s.io/v1beta1\nkind: Policy\n${rules(...RULES).slice(policy('').length)}`,
        rules(SECRETS_AT_REQUEST, 'level:', DROPPED_VERBS, 'level: Metadata'),
      ];
      texts.forEach((text, k) => {
        const file = join(dir, `policy-${k}.yaml`);
        writeFileSync(file, text);
        const result = runCli(['lint', '--format', 'json', file]);
        assert.equal(result.status, 1, result.stderr);
        const [report] = JSON.parse(result.stdout) as [{ diagnostics: { code: string; range: Diag['range'] }[] }];
        const fromCli = report.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
        const fromEditor = lint(text).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
        assert.deepEqual(fromCli, fromEditor);
        assert.ok(fromCli.some((f) => f.startsWith('sensitive-data-logged')), fromCli.join());
        assert.ok(fromCli.some((f) => f.startsWith('unknown-field')), fromCli.join());
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
