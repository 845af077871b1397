// Damaged input through the real CLI: a warning on stderr and exit 3, so a pipeline never takes a
// partial answer for a whole one.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { generateLog } from '../auditlog/index/helpers';
import { FIXTURES, runCli } from '../helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-cli-damaged-');

const plain = join(tmp, 'audit.log');
generateLog(plain, 2000);
const gz = gzipSync(readFileSync(plain));
const truncated = join(tmp, 'audit.log.gz');
writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length / 2)));
const binary = join(tmp, 'program.log');
writeFileSync(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, ...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)]));

describe('k8s-audit on damaged input', () => {
  it('query on a truncated .gz: the partial count, a warning on stderr, exit 3', () => {
    const whole = Number(runCli(['query', plain, '', '--format', 'count']).stdout);
    const result = runCli(['query', truncated, '', '--format', 'count']);
    assert.equal(result.status, 3, result.stderr);
    const partial = Number(result.stdout);
    assert.ok(partial > 0 && partial < whole, `${partial} of ${whole}`);
    assert.match(result.stderr, /^k8s-audit: warning: .*audit\.log\.gz:\d+: gzip data damaged \(unexpected end of file\): nothing after this point was read$/m);
    assert.match(result.stderr, /results are partial/);
  });

  it('query on an intact log stays quiet and exits 0', () => {
    const result = runCli(['query', plain, 'verb:get', '--format', 'count']);
    assert.equal(result.status, 0);
    assert.equal(result.stderr, '');
  });

  it('query on a binary file: says it is not text, exit 3', () => {
    const result = runCli(['query', binary, '', '--format', 'count']);
    assert.equal(result.status, 3);
    assert.equal(result.stdout, '0\n');
    assert.match(result.stderr, /program\.log:1: binary data, not text \(byte 0x02 at offset 4\): the file was not read/);
  });

  it('query reports records it skipped, without failing for them', () => {
    const result = runCli(['query', join(FIXTURES, 'logs', 'scan-sample.jsonl'), '', '--format', 'count']);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /^k8s-audit: .*scan-sample\.jsonl: 1 record skipped \(line 8: truncated by CloudWatch/m);
  });

  it('what it says about skipped records cannot drive the terminal', () => {
    const hostile = join(tmp, 'hostile.log');
    // A reason that quotes the log: an AKS record whose category holds a CSI (U+009B) and an ESC.
    writeFileSync(hostile, `${JSON.stringify({ category: '\u009b31m\u001b[2Jred', properties: { log: 'x' } })}\n${readFileSync(plain, 'utf8').split('\n')[0]}\n`);
    const result = runCli(['query', hostile, '', '--format', 'count']);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /1 record skipped \(line 1: AKS record of category/);
    assert.ok(!result.stderr.includes('\u001b'), result.stderr);
    assert.ok(!result.stderr.includes('\u009b'), result.stderr);
    assert.match(result.stderr, /\\x9b/);
  });

  it('scan on a truncated .gz: the damaged line once, exit 3, "damaged" in JSON', () => {
    const text = runCli(['scan', truncated]);
    assert.equal(text.status, 3, text.stderr);
    const skippedLines = text.stdout.split('\n').filter((line) => line.includes(': skipped: '));
    assert.equal(skippedLines.length, 1, skippedLines.join('\n'));
    assert.match(skippedLines[0]!, /audit\.log\.gz:\d+: skipped: gzip data damaged \(unexpected end of file\): nothing after this point was read/);
    assert.match(text.stderr, /warning: .*results are partial/);
    const json = JSON.parse(runCli(['scan', truncated, '--format', 'json']).stdout);
    assert.equal(json.skipped.length, 1);
    assert.deepEqual(json.damaged, [truncated]);
  });

  it('scan --format sarif: damage is a warning notification at its line', () => {
    const result = runCli(['scan', truncated, '--format', 'sarif']);
    assert.equal(result.status, 3);
    const [invocation] = JSON.parse(result.stdout).runs[0].invocations;
    const [notification] = invocation.toolExecutionNotifications;
    assert.equal(notification.level, 'warning');
    assert.match(notification.message.text, /gzip data damaged/);
    assert.ok(notification.locations[0].physicalLocation.region.startLine > 1);
  });

  it('scan: exit 2 (unreadable) wins over 3 (damaged), which wins over 1 (--fail-on)', () => {
    assert.equal(runCli(['scan', truncated, '--fail-on', 'low']).status, 3);
    assert.equal(runCli(['scan', plain, '--fail-on', 'low']).status, 1);
    assert.equal(runCli(['scan', truncated, join(tmp, 'missing.log'), '--fail-on', 'low']).status, 2);
  });
});
