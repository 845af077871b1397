import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { policyDiagnostics } from '../../../server/src/policy/checks/policyDiagnostics';
import { FIXTURES, REPO_ROOT } from '../helpers';

// Whole files: our fixtures (each states the codes it expects), the public policies of the shared corpus,
// and hostile input that must end quickly with a clear diagnostic or nothing, never an exception.

const CORPUS = resolve(REPO_ROOT, '..', 'shared', 'corpus', 'policies');

function lintFile(path: string) {
  return policyDiagnostics(`file://${path}`, readFileSync(path, 'utf8'), { assumePolicy: true })!;
}

describe('policy fixtures (test/fixtures/policies)', () => {
  const folder = join(FIXTURES, 'policies');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.yaml'))) {
    it(`${file} has exactly the codes in its "# expect:" line`, () => {
      const text = readFileSync(join(folder, file), 'utf8');
      const expected = /^# expect:(.*)$/m.exec(text)![1]!.split(',').map((c) => c.trim()).filter(Boolean).sort();
      const actual = [...new Set(lintFile(join(folder, file)).map((d) => String(d.code)))].sort();
      assert.deepEqual(actual, expected);
    });
  }
});

describe('public policies (../shared/corpus/policies)', () => {
  it('none gets an error; RKE2 logs nothing; GCE keeps the removed group and user', (t) => {
    if (!existsSync(CORPUS)) return t.skip(`${CORPUS} is absent`);
    const files = readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length > 0);
    for (const file of files) {
      const diagnostics = lintFile(join(CORPUS, file));
      const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
      assert.deepEqual(errors, [], file);
      const codes = diagnostics.map((d) => String(d.code));
      if (file.startsWith('rke2')) assert.ok(codes.includes('policy-logs-nothing'), file);
      if (file.startsWith('talos') || file.startsWith('openshift-library-go-default')) assert.deepEqual(codes, [], file);
      if (file.startsWith('gce')) assert.deepEqual([...new Set(codes)].sort(), ['group-removed', 'user-removed'], file);
    }
  });
});

describe('hostile input: bounded time, no exception', () => {
  // Generous bounds: these guard against hangs and blow-ups, they are not benchmarks.
  function timed(text: string, uri = 'file:///x/audit-policy.yaml') {
    const started = performance.now();
    const result = policyDiagnostics(uri, text);
    return { result, ms: performance.now() - started, codes: result?.map((d) => String(d.code)) };
  }

  it('an alias bomb is refused quickly', () => {
    let text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\na0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
    for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(',')}]\n`;
    text += 'rules:\n- level: Metadata\n  users: *a9\n';
    const { ms, codes } = timed(text);
    assert.ok(ms < 2000, `${ms} ms`);
    assert.deepEqual(codes, ['yaml-alias-bomb']);
  });

  it('a 10 MB file is declined with one diagnostic (or ignored when it is not a policy)', () => {
    const text = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${'- level: Metadata\n'.repeat(600_000)}`;
    const { ms, codes } = timed(text);
    assert.ok(ms < 1000, `${ms} ms`);
    assert.deepEqual(codes, ['policy-too-large']);
    assert.equal(timed('x: y\n'.repeat(2_000_000), 'file:///x/values.yaml').result, undefined);
  });

  it('binary garbage gives a clear diagnostic', () => {
    const text = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 256)).join('');
    const { ms, codes } = timed(text);
    assert.ok(ms < 2000, `${ms} ms`);
    assert.ok(codes!.length > 0 && codes!.length <= 25, String(codes));
  });

  it('deep nesting (flow and block) is cut off, not a stack overflow', () => {
    const flow = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const block = `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${Array.from({ length: 800 }, (_, i) => `${' '.repeat(i)}- `).join('\n')}x\n`;
    for (const text of [flow, block]) {
      const { ms, codes } = timed(text);
      assert.ok(ms < 3000, `${ms} ms`);
      assert.ok(codes!.length > 0, 'a diagnostic');
    }
  });

  it('tabs, CRLF, BOM, an empty file, only comments, NUL characters', () => {
    assert.ok(timed('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n\t- level: Metadata\n').codes!.includes('yaml-syntax'));
    const crlf = timed('apiVersion: audit.k8s.io/v1\r\nkind: Policy\r\nrules:\r\n- level: Metadata\r\n  verbs: [get]\r\n');
    const noCatchAll = crlf.result!.find((d) => d.code === 'no-catch-all')!;
    assert.deepEqual(noCatchAll.range, { start: { line: 3, character: 9 }, end: { line: 3, character: 17 } });
    assert.deepEqual(timed('\uFEFFapiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n').codes, []);
    assert.deepEqual(timed('').codes, ['policy-empty']);
    assert.deepEqual(timed('# nothing yet\n').codes, ['policy-empty']);
    assert.deepEqual(timed('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Meta\u0000data\n').codes, ['level-unsupported']);
  });

  it('alias cycles and unknown anchors are reported, merge keys are applied', () => {
    assert.ok(timed('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: &r\n- level: Metadata\n  x: *r\n').codes!.includes('yaml-alias-cycle'));
    assert.ok(timed('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: *nope\n').codes!.includes('yaml-alias-unknown'));
    const merged = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nmetadata: {base: &base {level: Metadata}}\nrules:\n- <<: *base\n';
    assert.deepEqual(timed(merged).codes, []);
  });
});
