// `k8s-audit query`, `scan`, `simulate` and `tune` read JSON lines with the WebAssembly field scanner. Their output must
// be what the JSON.parse path prints: each command is run twice through the real CLI, once as shipped
// and once with the scanner unavailable (then every line is JSON.parse'd), and stdout, stderr and the
// exit status compared byte for byte.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { testTempDir } from '../../harness/tempDir';
import { corpusLogs, FIXTURES } from '../helpers';
import { assertSameCliOutput } from './cliOutput';
import { generateLog } from '../auditlog/index/helpers';

const tmp = testTempDir('k8s-audit-cli-scanner-');

/** The reference: the scanner unavailable (then every line is JSON.parse'd). */
const assertSameOutput = (args: string[]) => assertSameCliOutput(args, { K8S_AUDIT_FIELD_SCANNER: join(tmp, 'no-scanner.wasm') }, {});

// A rotated set (audit.log.1 before audit.log) split mid-request, a .gz cut short, odd records.
const log = join(tmp, 'audit.log');
generateLog(log, 3000, 21);
const lines = readFileSync(log, 'utf8').split('\n');
const half = Math.floor(lines.length / 2);
writeFileSync(join(tmp, 'audit.log.1'), `${lines.slice(0, half).join('\n')}\n`);
writeFileSync(log, lines.slice(half).join('\n'));
const gz = gzipSync(readFileSync(join(tmp, 'audit.log.1')));
const truncated = join(tmp, 'cut.log.gz');
writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length * 0.6)));
const policy = join(tmp, 'policy.yaml');
writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  resources: [{group: "", resources: [secrets, configmaps]}]\n- level: Metadata\n');
const odd = [join(FIXTURES, 'logs', 'scan-sample.jsonl'), join(FIXTURES, 'workspace', 'hostile.audit.log'), join(FIXTURES, 'workspace', 'secrets.audit.log')];

describe('k8s-audit query, scan, simulate and tune: the field scanner prints what JSON.parse does', () => {
  it('query, every format, --stages and --limit, over a rotated set', () => {
    const query = (text: string, ...options: string[]) => ['query', log, '--with-rotated', '--now', '2026-02-22T12:00:00Z', text, ...options];
    for (const text of ['', 'alice', 'code>=400 -user:system:*', 'requestObject.spec.containers[].securityContext.privileged:true']) {
      assertSameOutput(query(text));
      assertSameOutput(query(text, '--stages'));
    }
    for (const format of ['table', 'count']) {
      assertSameOutput(query('verb:create resource:pods/exec', '--format', format));
      assertSameOutput(query('-verb:get', '--format', format, '--stages'));
    }
    const limited = assertSameOutput(['query', log, '--with-rotated', '', '--limit', '25', '--stages']);
    assert.ok(limited.stdout.split('\n').length > 25, 'stages of 25 requests');
  });

  it('query on damaged input: the same partial answer, warnings and exit 3', () => {
    const result = assertSameOutput(['query', truncated, ...odd, 'verb:get', '--format', 'table']);
    assert.equal(result.status, 3);
    assertSameOutput(['query', truncated, ...odd, '']);
  });

  it('scan, text (grouped and not), JSON and SARIF, --fail-on, --policy', () => {
    for (const format of ['text', 'json', 'sarif']) assertSameOutput(['scan', log, '--with-rotated', ...odd, '--format', format]);
    assertSameOutput(['scan', log, '--with-rotated', '--ungrouped', '--min-severity', 'info']);
    const failing = assertSameOutput(['scan', log, '--with-rotated', '--fail-on', 'medium', '--include-disabled']);
    assert.equal(failing.status, 1);
    assertSameOutput(['scan', log, ...odd, '--policy', policy, '--detectors', 'secret-values-in-audit-log']);
  });

  it('scan on damaged input: exit 3, the same report', () => {
    const result = assertSameOutput(['scan', truncated, ...odd, '--format', 'json']);
    assert.equal(result.status, 3);
    assertSameOutput(['scan', truncated, join(tmp, 'missing.log')]);
  });

  it('simulate (every format, --compare) and tune (YAML and JSON, --policy, --budget)', () => {
    const workspacePolicy = join(FIXTURES, 'workspace', 'audit-policy.yaml');
    for (const format of ['json', 'text', 'markdown']) assertSameOutput(['simulate', workspacePolicy, log, '--with-rotated', ...odd, '--format', format, '--compare', policy]);
    const json = assertSameOutput(['simulate', policy, log, '--with-rotated', '--format', 'json']);
    assert.ok((JSON.parse(json.stdout) as { totals: { requests: number } }).totals.requests > 2000, 'the requests of the log');
    assertSameOutput(['tune', log, '--with-rotated', ...odd]);
    assertSameOutput(['tune', log, '--with-rotated', '--policy', workspacePolicy, '--budget', '1MB/day', '--format', 'json']);
  });

  it('simulate and tune on damaged input: the same numbers and warnings', () => {
    assertSameOutput(['simulate', policy, truncated, ...odd, join(tmp, 'missing.log'), '--format', 'json']);
    assertSameOutput(['tune', truncated, ...odd, '--format', 'json']);
  });

  it('query, scan, simulate and tune on every corpus log', (t) => {
    const files = corpusLogs(t);
    if (files === null) return;
    assertSameOutput(['simulate', join(FIXTURES, 'workspace', 'audit-policy.yaml'), ...files, '--format', 'json', '--compare', policy]);
    assertSameOutput(['tune', ...files, '--format', 'json']);
    assertSameOutput(['query', ...files, '', '--stages']);
    assertSameOutput(['query', ...files, 'verb:(create update patch)', '--format', 'table']);
    assertSameOutput(['scan', ...files, '--format', 'json', '--include-disabled', '--min-severity', 'info']);
    assertSameOutput(['scan', ...files]);
  });
});
