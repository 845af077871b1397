// `k8s-audit scan` and `query` read one big plain file in two parts, each in its own worker thread
// (auditlog/splitRead/). Their output must be what the one-thread read prints: each command runs twice
// through the real CLI, with the file cut (K8S_AUDIT_SPLIT_MIN_BYTES=1: every file that can be cut is)
// and uncut, and stdout, stderr and the exit status are compared byte for byte. The logs are made so that
// many requests straddle the cut in every way a request can.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planSplit } from '../../../server/src/auditlog/splitRead/readSplitFile';
import { testTempDir } from '../../harness/tempDir';
import { generateLog } from '../auditlog/index/helpers';
import { REPO_ROOT } from '../helpers';
import { assertSameCliOutput } from './cliOutput';

const tmp = testTempDir('k8s-audit-cli-split-');

/** The reference: no file is cut (K8S_AUDIT_SPLIT_MIN_BYTES is for tests only, see cli/splitOption.ts). */
const assertSameOutput = (args: string[]) => assertSameCliOutput(args, { K8S_AUDIT_SPLIT_MIN_BYTES: '1e18' }, { K8S_AUDIT_SPLIT_MIN_BYTES: '1' });

/** A deterministic pseudo-random sequence (the same logs on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const auditIdOf = (line: string) => /"auditID":"([^"]+)"/.exec(line)?.[1] ?? '';
const stageOf = (line: string) => /"stage":"([^"]+)"/.exec(line)?.[1] ?? '';
const withStage = (line: string, stage: string) => line.replace(/"stage":"[^"]+"/, `"stage":"${stage}"`);

/**
 * A generated log rearranged so that many requests are open where the file is cut: the first stage of
 * requests of the second half moved into the first (they complete after the cut); first stages whose
 * request goes on after the cut without completing (ResponseStarted only) or never goes on; auditIDs
 * that complete after the cut and start again (and stay open); lines that are not events on both sides;
 * a long line where the file would be cut in two.
 */
function straddlingLog(seed: number): string[] {
  const source = join(tmp, `generated-${seed}.log`);
  generateLog(source, 4000, seed);
  const lines = readFileSync(source, 'utf8').split('\n').filter((line) => line !== '');
  const next = random(seed);
  const half = Math.floor(lines.length / 2);
  const first = lines.slice(0, half);
  const second = lines.slice(half);
  const insertAt = (list: string[], line: string, from = 0) => list.splice(from + Math.floor(next() * (list.length - from)), 0, line);
  const neverComplete = new Set<string>();
  for (let i = second.length - 1; i >= 0; i--) {
    const line = second[i]!;
    if (stageOf(line) !== 'RequestReceived') continue;
    const pick = next();
    if (pick < 0.4) {
      // Received before the cut, completed after it.
      second.splice(i, 1);
      insertAt(first, line, Math.floor(first.length / 2));
    } else if (pick < 0.5) {
      // Received before the cut, started its response after it, never completed.
      second[i] = withStage(line, 'ResponseStarted');
      insertAt(first, line, Math.floor(first.length / 2));
      neverComplete.add(auditIdOf(line));
    } else if (pick < 0.55) {
      // Received before the cut and never heard of again.
      second.splice(i, 1);
      insertAt(first, line.replace(auditIdOf(line), `${auditIdOf(line)}-gone`));
    } else if (pick < 0.6) {
      // Completed after the cut, then the same auditID again, left open at the end.
      second.splice(i, 1);
      insertAt(first, line, Math.floor(first.length / 2));
      second.push(line);
    }
  }
  const rest = second.filter((line) => !(neverComplete.has(auditIdOf(line)) && stageOf(line) === 'ResponseComplete'));
  second.splice(0, second.length, ...rest);
  for (let i = 0; i < 30; i++) {
    insertAt(first, i % 2 === 0 ? 'not an audit event' : '{"kind":"Event", broken');
    insertAt(second, i % 3 === 0 ? '' : 'garbage line between events');
  }
  // Where the cut would fall: a line of 300 KiB (an event with a big body), so the cut moves past it.
  const long = withStage(first[0]!, 'ResponseComplete').replace('{"kind":"Event"', `{"kind":"Event","requestObject":{"data":"${'x'.repeat(300 * 1024)}"}`);
  const bytesOf = (list: string[]) => list.reduce((sum, line) => sum + line.length + 1, 0);
  const total = bytesOf(first) + bytesOf(second) + long.length;
  let at = 0;
  let bytes = 0;
  while (at < first.length && bytes + first[at]!.length + 1 < total / 2 - long.length / 2) bytes += first[at++]!.length + 1;
  first.splice(at, 0, long);
  return [...first, ...second];
}

/** Writes the log, and checks that it is cut with many requests open at the cut (the point of these tests). */
function writeLog(name: string, lines: string[], ending: { crlf?: boolean; truncated?: boolean } = {}): Promise<string> {
  const file = join(tmp, name);
  const newline = ending.crlf ? '\r\n' : '\n';
  let text = lines.join(newline) + newline;
  if (ending.truncated) text = text.slice(0, text.length - Math.floor(lines[lines.length - 1]!.length / 2) - newline.length);
  writeFileSync(file, text);
  return planSplit(file, 1).then((plan) => {
    assert.ok(plan, `${name} is cut`);
    const before = text.slice(0, plan.starts[1]!);
    const after = text.slice(plan.starts[1]!);
    const openAtCut = new Set<string>();
    for (const line of before.split(newline)) {
      if (stageOf(line) === 'RequestReceived') openAtCut.add(auditIdOf(line));
      else if (stageOf(line) === 'ResponseComplete') openAtCut.delete(auditIdOf(line));
    }
    const continued = after.split(newline).filter((line) => openAtCut.has(auditIdOf(line))).length;
    assert.ok(openAtCut.size > 200 && continued > 200, `${name}: ${openAtCut.size} requests open at the cut, ${continued} lines continue them`);
    return file;
  });
}

describe('k8s-audit scan and query: a file read in two parts prints what one thread prints', () => {
  it('scan: JSON, SARIF, text (grouped and not), --fail-on, --min-severity info', async () => {
    const log = await writeLog('straddle.log', straddlingLog(31));
    for (const format of ['json', 'sarif', 'text']) assertSameOutput(['scan', log, '--format', format]);
    assertSameOutput(['scan', log, '--ungrouped', '--min-severity', 'info', '--include-disabled']);
    const failing = assertSameOutput(['scan', log, '--fail-on', 'medium', '--format', 'json']);
    assert.equal(failing.status, 1);
  });

  it('scan with --detectors FILE.json (custom and window detectors, one disabled) and --policy: the workers decide with the same settings', async () => {
    const log = await writeLog('straddle-settings.log', straddlingLog(35));
    const settings = join(tmp, 'detectors.json');
    writeFileSync(
      settings,
      JSON.stringify({
        custom: [
          { id: 'kubectl-anything', title: 'kubectl', severity: 'medium', condition: 'userAgent:kubectl*' },
          { id: 'pods-by-one-user', title: 'Pods', severity: 'high', condition: 'resource:pods', window: { key: ['user'], threshold: 5, seconds: 60 } },
          { id: 'configmap-bodies', title: 'Bodies', severity: 'low', condition: 'resource:configmaps', bodyCondition: 'requestObject.data.*:*' },
        ],
        disabled: ['disallowed-k8s-user'],
      }),
    );
    const result = assertSameOutput(['scan', log, '--detectors', settings, '--format', 'json', '--min-severity', 'info']);
    const summary = (JSON.parse(result.stdout) as { summary: Record<string, number> }).summary;
    assert.ok((summary['kubectl-anything'] ?? 0) > 0 && (summary['pods-by-one-user'] ?? 0) > 0, 'custom and window detectors found requests');
    const policy = join(tmp, 'policy.yaml');
    writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  resources: [{group: "", resources: [secrets, configmaps]}]\n- level: Metadata\n');
    assertSameOutput(['scan', log, '--policy', policy, '--format', 'json']);
  });

  it('query: JSON lines, table, count, --limit across the cut', async () => {
    const log = await writeLog('straddle-query.log', straddlingLog(32));
    for (const text of ['', 'code>=400 -user:system:*', 'verb:create resource:pods/exec', 'requestObject.spec.containers[].securityContext.privileged:true']) {
      assertSameOutput(['query', log, '--now', '2026-02-22T12:00:00Z', text]);
    }
    assertSameOutput(['query', log, 'verb:(get list)', '--format', 'table']);
    assertSameOutput(['query', log, '-verb:get', '--format', 'count']);
    const lines = assertSameOutput(['query', log, '', '--format', 'count']);
    const all = Number(lines.stdout);
    // A limit that ends in the second part, and one that ends in the first.
    for (const limit of [Math.floor(all * 0.8), 25]) {
      assertSameOutput(['query', log, '', '--limit', String(limit)]);
      assertSameOutput(['query', log, '', '--limit', String(limit), '--format', 'table']);
      assertSameOutput(['query', log, '', '--limit', String(limit), '--format', 'count']);
    }
  });

  it('scan: the parts write their entries to a temporary file, or send them when none can be made: the same report, nothing left behind', async () => {
    const log = await writeLog('straddle-spill.log', straddlingLog(37));
    const noTemp = join(tmp, 'no-such-folder');
    for (const format of ['json', 'text']) {
      assertSameCliOutput(['scan', log, '--format', format, '--min-severity', 'info'], { K8S_AUDIT_SPLIT_MIN_BYTES: '1e18' }, { K8S_AUDIT_SPLIT_MIN_BYTES: '1', TMPDIR: noTemp });
    }
    const temp = join(tmp, 'temp');
    mkdirSync(temp);
    assertSameCliOutput(['scan', log, '--format', 'json'], { K8S_AUDIT_SPLIT_MIN_BYTES: '1e18' }, { K8S_AUDIT_SPLIT_MIN_BYTES: '1', TMPDIR: temp });
    assert.deepEqual(readdirSync(temp), [], 'the temporary files are gone');
  });

  it('a CLI bundle shipped without dist/splitWorker.js reads on one thread: the same output, no error', async () => {
    const log = await writeLog('no-worker.log', straddlingLog(36));
    const bundle = join(tmp, 'bundle');
    mkdirSync(bundle);
    for (const file of ['cli.js', 'fieldScanner.wasm']) copyFileSync(join(REPO_ROOT, 'dist', file), join(bundle, file));
    const run = (cli: string) => spawnSync(process.execPath, [cli, 'scan', log, '--format', 'json'], { encoding: 'utf8', env: { ...process.env, K8S_AUDIT_SPLIT_MIN_BYTES: '1' } });
    const alone = run(join(bundle, 'cli.js'));
    const shipped = run(join(REPO_ROOT, 'dist', 'cli.js'));
    assert.equal(alone.stderr, '');
    assert.equal(alone.status, 0);
    assert.ok(alone.stdout === shipped.stdout, 'the same report');
  });

  it('CRLF line ends and a truncated last line: the same lines, skips and answers', async () => {
    const crlf = await writeLog('crlf.log', straddlingLog(33), { crlf: true });
    const truncated = await writeLog('truncated.log', straddlingLog(34), { truncated: true });
    for (const log of [crlf, truncated]) {
      assertSameOutput(['scan', log, '--format', 'json', '--min-severity', 'info']);
      assertSameOutput(['scan', log]);
      assertSameOutput(['query', log, 'code>=400', '--format', 'table']);
      assertSameOutput(['query', log, '']);
    }
    const result = assertSameOutput(['scan', truncated, '--format', 'json']);
    const report = JSON.parse(result.stdout) as { skipped: { line: number; reason: string }[] };
    assert.ok(report.skipped.some((s) => s.reason.startsWith('incomplete last line')), 'the truncated line is reported');
  });
});
