import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError, UsageError } from '../../../server/src/cli/args';
import { runQuery } from '../../../server/src/cli/query';
import { runScan } from '../../../server/src/cli/scan';
import { runDetectors } from '../../../server/src/cli/detectors';
import { compileDetectors, selectWindowDetectors } from '../../../server/src/auditlog/detectors';
import { parseQuery } from '../../../server/src/auditlog/query/parser';
import { FIXTURES, runCli, SHARED } from '../helpers';
import { testTempDir } from '../../harness/tempDir';

const SAMPLE = join(FIXTURES, 'logs', 'scan-sample.jsonl');

function collector(isTTY = false) {
  let text = '';
  return { write: (s: string) => (text += s), isTTY, get text() { return text; } };
}

async function scan(...argv: string[]) {
  const out = collector();
  const err = collector();
  const status = await runScan(argv, out, err);
  return { status, stdout: out.text, stderr: err.text };
}

async function query(...argv: string[]) {
  const out = collector();
  const err = collector();
  const status = await runQuery(argv, out, err);
  return { status, stdout: out.text, stderr: err.text };
}

describe('k8s-audit scan', () => {
  it('prints the JSON report the CI contract describes', async () => {
    const { status, stdout, stderr } = await scan(SAMPLE, '--format', 'json');
    assert.equal(status, 0);
    assert.equal(stderr, '', 'no progress when stderr is not a terminal');
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report).slice(0, 8), ['files', 'format', 'events', 'requests', 'skipped', 'skippedCount', 'detections', 'summary']);
    assert.deepEqual(report.files, [SAMPLE]);
    assert.equal(report.format, 'k8s-json');
    assert.equal(report.events, 7);
    assert.equal(report.requests, 6);
    assert.deepEqual(report.skipped, [{ file: SAMPLE, line: 8, reason: 'truncated by CloudWatch ("[Truncated...]" suffix), not valid JSON' }]);
    const exec = report.detections.find((d: { detector: string }) => d.detector === 'exec-credential-access');
    assert.deepEqual(
      { ...exec, references: exec.references.length > 0 },
      {
        detector: 'exec-credential-access',
        title: 'Exec command reads credentials',
        severity: 'high',
        file: SAMPLE,
        line: 3,
        auditID: 'a0000000-0000-4000-8000-000000000002',
        user: 'oscar@example.net',
        verb: 'get',
        resource: 'pods/exec',
        namespace: 'payments',
        name: 'api-7d9f',
        command: 'sh -c cat /var/run/secrets/kubernetes.io/serviceaccount/token',
        references: true,
      },
    );
    assert.equal(report.summary['create-privileged-pod'], 1, 'the privileged DaemonSet template');
    assert.equal(report.summary['secret-dump-cluster-wide'], 1);
    assert.equal(report.unknown['create-privileged-pod'].reason, 'needs Request level (logged at Metadata)');
    assert.equal(report.summary['k8s-deployment-created'], undefined, 'info activity is below the default --min-severity low');
    const lines = report.detections.map((d: { line: number }) => d.line);
    assert.deepEqual(lines, [...lines].sort((a, b) => a - b), 'detections in file order');
  });

  it('exits 1 when a detection reaches --fail-on, and filters by --min-severity', async () => {
    assert.equal((await scan(SAMPLE, '--fail-on', 'high', '--format', 'json')).status, 1);
    assert.equal((await scan(SAMPLE, '--fail-on', 'critical', '--format', 'json')).status, 0);
    const high = JSON.parse((await scan(SAMPLE, '--format', 'json', '--min-severity', 'high')).stdout);
    assert.ok(high.detections.length > 0 && high.detections.every((d: { severity: string }) => d.severity === 'high' || d.severity === 'critical'));
    const only = JSON.parse((await scan(SAMPLE, '--format', 'json', '--detectors', 'attach-exec-pod')).stdout);
    assert.deepEqual(Object.keys(only.summary), ['attach-exec-pod']);
  });

  it('prints text and SARIF', async () => {
    const text = await scan(SAMPLE);
    assert.match(text.stdout, /scan-sample\.jsonl:3: high Exec command reads credentials \[exec-credential-access\] oscar@example\.net get pods\/exec payments\/api-7d9f command: sh -c cat/);
    assert.match(text.stdout, /unknown, needs Request level \(logged at Metadata\): create-privileged-pod 1/);
    assert.match(text.stdout, /1 file\(s\) \(k8s-json\): 7 event\(s\), 6 request\(s\), 1 skipped; \d+ detection\(s\)/);
    const sarif = JSON.parse((await scan(SAMPLE, '--format', 'sarif')).stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId === 'create-privileged-pod');
    assert.equal(result.level, 'error');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 4);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'create-privileged-pod'));
  });

  it('exits 2 for unreadable files and throws UsageError for bad usage', async () => {
    const missing = await scan(join(FIXTURES, 'logs', 'nope.log'), '--format', 'json');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.log/);
    await assert.rejects(scan(), UsageError);
    await assert.rejects(scan(SAMPLE, '--format', 'xml'), UsageError);
    await assert.rejects(scan(SAMPLE, '--fail-on', 'severe'), UsageError);
    await assert.rejects(scan(SAMPLE, '--detectors', 'no-such-detector'), UsageError);
  });

  it('shows progress on stderr when asked or on a terminal, never on stdout', async () => {
    // The real CLI with --progress and stderr a pipe: the progress line is drawn (at least once, for
    // the first chunk) and ended with a newline before anything else on stderr; stdout is unchanged.
    const PROGRESS = /^\r.*scan-sample\.jsonl: 100% \(\d+ MB\/s\) +\n/;
    for (const command of [['scan', SAMPLE, '--format', 'json'], ['query', SAMPLE, 'verb:get', '--format', 'count']]) {
      const asked = runCli([...command, '--progress']);
      assert.equal(asked.status, 0, asked.stderr);
      assert.match(asked.stderr, PROGRESS, command[0]);
      const quiet = runCli(command);
      assert.ok(!quiet.stderr.includes('\r'), `${command[0]}: no progress when not asked and stderr is not a terminal`);
      assert.equal(asked.stderr.replace(PROGRESS, ''), quiet.stderr, `${command[0]}: the progress line is all --progress adds`);
      assert.equal(asked.stdout, quiet.stdout, `${command[0]}: stdout is the same with --progress`);
    }
    JSON.parse(runCli(['scan', SAMPLE, '--format', 'json', '--progress']).stdout);
    // On a terminal it is on without the flag (a TTY cannot be had from a spawned child: in-process).
    const tty = collector(true);
    const out = collector();
    await runScan([SAMPLE, '--format', 'json'], out, tty);
    assert.match(tty.text, PROGRESS);
    JSON.parse(out.text);
  });

  it('scans the audit2rbac demo log', { skip: !existsSync(join(SHARED, 'corpus', 'logs', 'audit2rbac', 'demo.log')) && 'no corpus' }, async () => {
    const report = JSON.parse((await scan(join(SHARED, 'corpus', 'logs', 'audit2rbac', 'demo.log'), '--format', 'json')).stdout);
    assert.equal(report.events, 37);
    assert.ok(report.summary['forbidden-request'] > 0);
    assert.ok(report.summary['impersonation'] > 0);
  });
});

describe('k8s-audit query', () => {
  it('prints matching requests as JSON lines, a count or a table', async () => {
    const jsonl = await query(SAMPLE, 'verb:get resource:secrets');
    assert.equal(jsonl.status, 0);
    const events = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(events.map((e) => e.auditID), ['a0000000-0000-4000-8000-000000000001']);
    assert.equal((await query(SAMPLE, 'user:oscar*', '--format', 'count')).stdout, '4\n');
    assert.equal((await query(SAMPLE, 'command:*token*', '--format', 'jsonl', '--stages')).stdout.trim().split('\n').length, 2);
    assert.equal((await query(SAMPLE, 'command:*token*', '--format', 'count', '--stages')).stdout, '2\n', '--stages: count counts the stages it would print');
    assert.equal((await query(SAMPLE, 'command:*token*', '--format', 'count')).stdout, '1\n');
    assert.equal((await query(SAMPLE, '', '--format', 'count', '--limit', '2')).stdout, '2\n');
    const table = (await query(SAMPLE, 'code>=400', '--format', 'table')).stdout.split('\n');
    assert.match(table[0]!, /^TIME\s+USER\s+VERB\s+RESOURCE\s+NAMESPACE\s+NAME\s+CODE\s+WHERE$/);
    assert.match(table[1]!, /system:serviceaccount:payments:api\s+list\s+secrets\s+403\s+.*scan-sample\.jsonl:6$/);
  });

  it('resolves last: against --now', async () => {
    const count = (now: string) => query(SAMPLE, 'last:2m', '--format', 'count', '--now', now).then((r) => r.stdout);
    assert.equal(await count('2026-02-22T10:03:30Z'), '3\n');
    assert.equal(await count('2026-03-22T10:03:30Z'), '0\n');
  });

  it('prints the jq translation without needing a log', async () => {
    const jq = await query('verb:create resource:pods', '--format', 'jq');
    assert.equal(jq.status, 0);
    assert.match(jq.stdout, /^# k8s-audit query 'verb:create resource:pods'/);
    assert.match(jq.stdout, /^def _s:/m);
    assert.match(jq.stdout, /select\(/);
  });

  it('explains a bad query with its column', async () => {
    await assert.rejects(query(SAMPLE, 'verb:get (user:x'), (error: Error) => error instanceof UsageError && /bad query at column 10: missing "\)"/.test(error.message) && error.message.includes('\n           ^'));
    await assert.rejects(query(), UsageError);
    await assert.rejects(query('verb:get'), /at least one LOG/);
    await assert.rejects(query(SAMPLE, 'x', '--now', 'yesterday'), UsageError);
  });
});

describe('k8s-audit detectors', () => {
  const list = async (...args: string[]) => {
    let stdout = '';
    let stderr = '';
    const status = await runDetectors(args, { write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) });
    return { status, stdout, stderr };
  };

  it('lists every detector scan runs by default, single-request and window ones, with conditions that parse', async () => {
    const { status, stdout } = await list('--format', 'json');
    assert.equal(status, 0);
    const listed = JSON.parse(stdout) as { id: string; condition: string; disabled?: boolean; window?: unknown }[];
    const expected = [...compileDetectors().map((d) => d.definition.id), ...selectWindowDetectors().map((d) => d.id)];
    assert.deepEqual(listed.map((d) => d.id), expected);
    assert.ok(listed.some((d) => d.window !== undefined) && listed.every((d) => !d.disabled));
    for (const d of listed) parseQuery(d.condition);
    const text = await list();
    assert.match(text.stdout, /^high {5}create-privileged-pod: Create Privileged Pod \[needs Request level\]$/m);
    assert.match(text.stdout, /20 distinct namespace\/name with the same user within 5 min, of: verb:/);
    assert.match(text.stdout, new RegExp(`^${expected.length} detectors$`, 'm'));
    assert.ok(JSON.parse((await list('--format', 'json', '--include-disabled')).stdout).length > expected.length, 'off-by-default ones with --include-disabled');
  });

  it('applies a settings file: custom detectors added, disabled ones gone, bad entries reported on stderr', async () => {
    const dir = testTempDir('k8s-audit-detectors-');
    const settings = join(dir, 'detectors.json');
    writeFileSync(settings, JSON.stringify({ custom: [{ id: 'eve-anything', title: 'Eve', severity: 'high', condition: 'user:eve' }, { id: 'bad', title: 'Bad', severity: 'low', condition: 'verb:(get' }], disabled: ['impersonation'] }));
    const { status, stdout, stderr } = await list('--format', 'json', '--detectors', settings);
    assert.equal(status, 0);
    const ids = (JSON.parse(stdout) as { id: string }[]).map((d) => d.id);
    assert.ok(ids.includes('eve-anything') && !ids.includes('impersonation') && !ids.includes('bad'));
    assert.match(stderr, /custom detector "bad": condition error at position \d+/);
    await assert.rejects(list('--detectors', join(dir, 'missing.json')), (error: Error) => error instanceof InputError && /^--detectors: cannot read .*missing\.json: no such file$/.test(error.message));
  });
});
