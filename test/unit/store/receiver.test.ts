// `k8s-audit serve`, the webhook receiver, as a separate process on loopback, posted to the way
// kube-apiserver's webhook backend does (EventList batches, retried after any answer but 200), with
// real sinks: fsynced files and a real ClickHouse server that is killed, restarted and frozen.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ClickHouseCluster, clickhouseMissing, clickhouseQuery } from '../../harness/clickhouse';
import { REPO_ROOT, runCli } from '../helpers';
import { generateLog } from '../auditlog/index/helpers';
import { batchesOf, closePosters, eventList, get, metric, post, postAll, type Answer } from '../../harness/webhookPoster';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-serve-');
/** Receivers started by the tests, stopped at the end even when a test failed midway. */
const running = new Set<ChildProcess>();

interface Serving {
  url: string;
  child: ChildProcess;
  stdout: () => string;
  stop(): Promise<number | null>;
}

/** Starts `k8s-audit serve` on a free loopback port and waits for the address it prints. */
async function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'serve', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (\S+)/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return {
    url,
    child,
    stdout: () => stdout,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The generated log's events as EventList bodies of `size` events. */
function batchesOfFile(file: string, size: number): { bodies: string[]; events: number } {
  return batchesOf(readFileSync(file, 'utf8').split('\n'), size);
}

function fileLines(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean));
}

describe('k8s-audit serve (webhook receiver)', { skip: clickhouseMissing() }, () => {
  let clickhouse: ClickHouseCluster;
  const log = join(tmp, 'generated.log');

  before(async () => {
    generateLog(log, 10_000, 5);
    clickhouse = await ClickHouseCluster.start(1);
  });

  after(async () => {
    for (const child of running) child.kill('SIGKILL');
    closePosters();
    await clickhouse?.stop();
  });

  it('stores exactly the posted events under load: 8 posters, 2,000 batches, in files and ClickHouse, memory flat', async () => {
    const out = join(tmp, 'out');
    const serving = await serve(['--out', out, '--rotate-mb', '4', '--clickhouse', clickhouse.url, '--table', 'received']);
    const { bodies, events } = batchesOfFile(log, 10);
    assert.ok(bodies.length >= 2000, `${bodies.length} batches`);
    const memory: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        memory.push(await metric(serving.url, 'process_resident_memory_bytes'));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const started = Date.now();
    const acknowledged = await postAll(serving.url, bodies, 8, started + 180_000);
    const seconds = (Date.now() - started) / 1000;
    sampling = false;
    await sampler;
    assert.equal(acknowledged, bodies.length);
    assert.equal(await metric(serving.url, 'k8s_audit_receiver_events_total'), events);
    assert.equal(await serving.stop(), 0);

    // Files: every event once (nothing was refused midway, so no batch was written twice), rotated by size.
    const lines = fileLines(out);
    assert.equal(lines.length, events);
    assert.equal(new Set(lines.map((line) => { const e = JSON.parse(line) as { auditID: string; stage: string }; return `${e.auditID}/${e.stage}`; })).size, events);
    assert.ok(readdirSync(out).length >= 3, `rotated: ${readdirSync(out).join(', ')}`);
    const loaded = runCli(['query', join(out, 'audit.log'), '--with-rotated', '', '--format', 'count']);
    assert.equal(loaded.stdout.trim(), '10000', 'the rotated set reads back as every request');
    // ClickHouse: the same events.
    assert.equal(Number(await clickhouseQuery(clickhouse.url, 'SELECT count() FROM received FINAL')), events);
    assert.equal(Number(await clickhouseQuery(clickhouse.url, 'SELECT uniqExact(requestKey) FROM received')), 10_000);
    // Memory stays flat: the receiver holds batches in flight, not what it received.
    const peak = Math.max(...memory);
    assert.ok(peak < 250 * 1024 * 1024, `peak RSS ${Math.round(peak / 1048576)} MB`);
    console.log(`receiver: ${events} events in ${bodies.length} batches, ${seconds.toFixed(1)} s (${Math.round(events / seconds)} events/s), peak RSS ${Math.round(peak / 1048576)} MB`);
  });

  it('loses nothing when ClickHouse is killed and restarted mid-run (503 until it is back, then retries)', async () => {
    const serving = await serve(['--clickhouse', clickhouse.url, '--table', 'survived']);
    const { bodies, events } = batchesOfFile(log, 20);
    const part = bodies.slice(0, 600);
    const statuses = new Map<number, number>();
    let acknowledged = 0;
    let restarting: Promise<void> | undefined;
    const posting = postAll(serving.url, part, 4, Date.now() + 180_000, (answer) => {
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      if (answer.status === 200 && ++acknowledged === 150) {
        restarting = (async () => {
          await clickhouse.kill();
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await clickhouse.restart();
        })();
      }
    });
    assert.equal(await posting, part.length);
    await restarting;
    assert.ok((statuses.get(503) ?? 0) > 0, `ClickHouse was down for some batches: ${JSON.stringify([...statuses])}`);
    const posted = part.reduce((sum, body) => sum + (JSON.parse(body) as { items: unknown[] }).items.length, 0);
    assert.ok(posted < events);
    assert.equal(Number(await clickhouseQuery(clickhouse.url, 'SELECT count() FROM survived FINAL')), posted);
    assert.equal(await serving.stop(), 0);
  });

  it('answers 429 while ClickHouse is frozen (slow sink) and stores every batch once it thaws', async () => {
    const serving = await serve(['--clickhouse', clickhouse.url, '--table', 'thawed', '--max-in-flight', '4']);
    const bodies = batchesOfFile(log, 20).bodies.slice(0, 40);
    // One batch first, so the table exists and the connection is warm.
    assert.equal((await post(serving.url, bodies[0]!)).status, 200);
    const pid = clickhouse.nodes[0]!.process!.pid!;
    process.kill(pid, 'SIGSTOP');
    let frozenAnswers: Answer[];
    try {
      const stuck = bodies.slice(1, 5).map((body) => post(serving.url, body));
      await new Promise((resolve) => setTimeout(resolve, 300));
      frozenAnswers = await Promise.all(bodies.slice(5, 10).map((body) => post(serving.url, body)));
      process.kill(pid, 'SIGCONT');
      assert.deepEqual((await Promise.all(stuck)).map((a) => a.status), [200, 200, 200, 200], 'batches held during the freeze are stored after it');
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    assert.deepEqual(frozenAnswers.map((a) => a.status), [429, 429, 429, 429, 429]);
    assert.match(frozenAnswers[0]!.body, /too many batches in flight/);
    assert.equal(await postAll(serving.url, bodies.slice(5), 4, Date.now() + 60_000), 35);
    const posted = bodies.reduce((sum, body) => sum + (JSON.parse(body) as { items: unknown[] }).items.length, 0);
    assert.equal(Number(await clickhouseQuery(clickhouse.url, 'SELECT count() FROM thawed FINAL')), posted);
    assert.equal(await serving.stop(), 0);
  });

  it('refuses unauthenticated, malformed and oversized batches, writing nothing; prints detections as they fire', async () => {
    const out = join(tmp, 'refused');
    const tokenFile = join(tmp, 'token');
    writeFileSync(tokenFile, 's3cret-token\n');
    const serving = await serve(['--out', out, '--token-file', tokenFile, '--max-body-mb', '1', '--print-detections']);
    const auth = { headers: { Authorization: 'Bearer s3cret-token' } };
    const exec = { kind: 'Event', auditID: 'x1', stage: 'ResponseComplete', level: 'Metadata', verb: 'create', user: { username: 'mallory' }, requestURI: '/api/v1/namespaces/prod/pods/web/exec?command=sh', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web' }, responseStatus: { code: 101 }, requestReceivedTimestamp: '2026-03-01T10:00:00Z' };
    const valid = eventList([exec]);
    assert.equal((await post(serving.url, valid)).status, 401);
    assert.equal((await post(serving.url, valid, { headers: { Authorization: 'Bearer wrong' } })).status, 401);
    assert.equal((await get(`${serving.url}/metrics`)).status, 401);
    assert.equal((await get(`${serving.url}/healthz`)).status, 200);
    const malformed: [string, RegExp][] = [
      ['{"kind":"EventList","items":[', /not JSON/],
      ['[]', /not an EventList object/],
      ['{"kind":"Pod"}', /kind is "Pod"/],
      ['{"kind":"EventList"}', /no "items" array/],
      [eventList([exec, 'text']), /items\[1\] is not an object/],
      [eventList([exec, { hello: 'world' }]), /items\[1\] is not an audit Event/],
    ];
    for (const [body, reason] of malformed) {
      const answer = await post(serving.url, body, auth);
      assert.equal(answer.status, 400, body);
      assert.match((JSON.parse(answer.body) as { message: string }).message, reason);
    }
    const oversized = eventList(Array.from({ length: 3000 }, (_, i) => ({ ...exec, auditID: `big${i}`, requestObject: { pad: 'x'.repeat(400) } })));
    assert.ok(oversized.length > 1024 * 1024);
    assert.equal((await post(serving.url, oversized, auth)).status, 413);
    assert.deepEqual(fileLines(out), [], 'nothing was written for refused batches');
    assert.equal((await post(serving.url, valid, auth)).status, 200);
    assert.deepEqual(fileLines(out).map((line) => (JSON.parse(line) as { auditID: string }).auditID), ['x1']);
    const metrics = (await get(`${serving.url}/metrics`, { Authorization: 'Bearer s3cret-token' })).body;
    assert.match(metrics, /k8s_audit_receiver_batches_total\{code="400"\} 6/);
    assert.match(metrics, /k8s_audit_receiver_batches_total\{code="401"\} 2/);
    assert.match(metrics, /k8s_audit_receiver_batches_total\{code="413"\} 1/);
    assert.equal(await serving.stop(), 0);
    const printed = serving.stdout().trim().split('\n').map((line) => JSON.parse(line) as { detector: string; auditID: string; severity: string });
    assert.ok(printed.some((d) => d.auditID === 'x1' && /exec/.test(d.detector)), serving.stdout());
  });

  it('serves TLS with client certificates; plain HTTP only on loopback', { skip: !existsSync('/usr/bin/openssl') && 'openssl not installed' }, async () => {
    const pki = join(tmp, 'pki');
    const openssl = (args: string[]) => {
      const result = spawnSync('/usr/bin/openssl', args, { cwd: tmp, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
    };
    spawnSync('mkdir', ['-p', pki]);
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=test-ca', '-keyout', join(pki, 'ca.key'), '-out', join(pki, 'ca.crt')]);
    for (const [name, extension] of [['server', 'subjectAltName=IP:127.0.0.1'], ['client', 'extendedKeyUsage=clientAuth']] as const) {
      openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', join(pki, `${name}.key`), '-out', join(pki, `${name}.csr`)]);
      writeFileSync(join(pki, `${name}.ext`), `${extension}\n`);
      openssl(['x509', '-req', '-in', join(pki, `${name}.csr`), '-CA', join(pki, 'ca.crt'), '-CAkey', join(pki, 'ca.key'), '-CAcreateserial', '-days', '2', '-extfile', join(pki, `${name}.ext`), '-out', join(pki, `${name}.crt`)]);
    }
    const out = join(tmp, 'tls');
    const serving = await serve(['--out', out, '--tls-cert', join(pki, 'server.crt'), '--tls-key', join(pki, 'server.key'), '--client-ca', join(pki, 'ca.crt')]);
    assert.match(serving.url, /^https:/);
    const body = eventList([{ kind: 'Event', auditID: 't1', stage: 'ResponseComplete', verb: 'get', requestURI: '/healthz' }]);
    const ca = readFileSync(join(pki, 'ca.crt'));
    const withCert = await post(serving.url, body, { ca, cert: readFileSync(join(pki, 'client.crt')), key: readFileSync(join(pki, 'client.key')) });
    assert.equal(withCert.status, 200);
    await assert.rejects(post(serving.url, body, { ca }), 'no client certificate: the handshake fails');
    assert.equal(fileLines(out).length, 1);
    assert.equal(await serving.stop(), 0);

    const plainOutside = runCli(['serve', '--listen', '0.0.0.0:0', '--out', out]);
    assert.equal(plainOutside.status, 2);
    assert.match(plainOutside.stderr, /plain HTTP is only for loopback addresses/);
    const noClientAuth = runCli(['serve', '--listen', '0.0.0.0:0', '--out', out, '--tls-cert', join(pki, 'server.crt'), '--tls-key', join(pki, 'server.key')]);
    assert.equal(noClientAuth.status, 2);
    assert.match(noClientAuth.stderr, /needs client authentication/);
  });
});
