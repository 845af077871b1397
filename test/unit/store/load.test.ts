// `k8s-audit load` into real ClickHouse servers (Debian's 18.16, started here on free loopback
// ports): one node, and a two-shard cluster behind a Distributed table.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { ClickHouseCluster, clickhouseMissing, clickhouseQuery } from '../../harness/clickhouse';
import { REPO_ROOT, runCli } from '../helpers';
import { generateLog } from '../auditlog/index/helpers';
import { load } from './helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-load-');
const generated = join(tmp, 'generated.log');

async function count(url: string, sql: string): Promise<number> {
  return Number(await clickhouseQuery(url, sql));
}

/** Requests as the table has them: distinct request keys (a request is one auditID). */
const REQUESTS = 'SELECT uniqExact(requestKey) FROM audit_events';

describe('k8s-audit load into ClickHouse', { skip: clickhouseMissing() }, () => {
  let single: ClickHouseCluster;
  let sharded: ClickHouseCluster;

  before(async () => {
    generateLog(generated, 3000);
    [single, sharded] = await Promise.all([ClickHouseCluster.start(1), ClickHouseCluster.start(2)]);
  });

  after(async () => {
    await Promise.all([single?.stop(), sharded?.stop()]);
  });

  it('loads a log once: a second load resumes past it, a forced reload is deduplicated', async () => {
    const first = load([generated, '--clickhouse', single.url]);
    assert.deepEqual([first.events, first.inserted], [6064, 6064]);
    const again = load([generated, '--clickhouse', single.url]);
    assert.deepEqual([again.inserted, again.resumed], [0, 6064]);
    const forced = load([generated, '--clickhouse', single.url, '--restart']);
    assert.equal(forced.inserted, 6064);
    // Two copies went in; the table reads one row per (time, request, stage).
    assert.equal(await count(single.url, 'SELECT count() FROM audit_events'), 12128);
    assert.equal(await count(single.url, 'SELECT count() FROM audit_events FINAL'), 6064);
    assert.equal(await count(single.url, REQUESTS), 3000);
  });

  it('resumes a load that ClickHouse died in the middle of, without losing or doubling events', async () => {
    const big = join(tmp, 'big.log');
    generateLog(big, 10_000, 11);
    const args = [big, '--clickhouse', single.url, '--table', 'resumed', '--batch', '1000'];
    const cli = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'load', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => cli.once('exit', resolve));
    let stderr = '';
    cli.stderr.on('data', (chunk) => (stderr += chunk));
    // Kill the server (SIGKILL, as a crash) once a batch is in and recorded, well before the end.
    while ((await count(single.url, 'SELECT max(events) FROM resumed_load_progress').catch(() => 0)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    await single.kill();
    assert.equal(await exited, 2, 'the interrupted load fails');
    assert.match(stderr, /cannot load .*big\.log: cannot reach ClickHouse/);
    await single.restart();
    const resumed = load(args);
    assert.ok(resumed.resumed > 0 && resumed.resumed < resumed.events, `resumed after ${resumed.resumed} of ${resumed.events}`);
    assert.equal(resumed.inserted + resumed.resumed, resumed.events);
    assert.equal(await count(single.url, 'SELECT count() FROM resumed FINAL'), resumed.events);
  });

  it('loads into a two-shard cluster (a table per node, Distributed over them), twice without doubling', async () => {
    const first = load([generated, '--clickhouse', sharded.urls, '--cluster', 'test_cluster']);
    assert.equal(first.inserted, 6064);
    load([generated, '--clickhouse', sharded.urls, '--cluster', 'test_cluster', '--restart']);
    const perNode = await Promise.all(sharded.nodes.map((node) => count(node.url, 'SELECT count() FROM audit_events_local FINAL')));
    assert.ok(perNode.every((n) => n > 1000), `both shards hold rows: ${perNode}`);
    assert.equal(perNode[0]! + perNode[1]!, 6064);
    assert.equal(await count(sharded.url, 'SELECT count() FROM audit_events FINAL'), 6064);
    assert.equal(await count(sharded.url, REQUESTS), 3000);
  });

  it('loads every input format the reader knows', async () => {
    const formats = join(REPO_ROOT, 'test', 'fixtures', 'logs', 'formats');
    for (const [name, table] of [['v1.jsonl', 'f_v1'], ['gke.json', 'f_gke'], ['legacy-1.8.log', 'f_legacy'], ['eks-insights.csv', 'f_eks'], ['aks.jsonl', 'f_aks']] as const) {
      const file = join(formats, name);
      const loaded = load([file, '--clickhouse', single.url, '--table', table]);
      assert.ok(loaded.events > 0 && loaded.inserted === loaded.events, name);
      assert.equal(await count(single.url, `SELECT count() FROM ${table} FINAL`), loaded.events, name);
    }
  });

  it('says what it skipped and what was damaged as query does: a truncated .gz is loaded up to the damage, exit 3', async () => {
    const gz = gzipSync(readFileSync(generated));
    const truncated = join(tmp, 'audit.log.gz');
    writeFileSync(truncated, gz.subarray(0, Math.floor(gz.length / 2)));
    const damaged = runCli(['load', truncated, '--clickhouse', single.url, '--table', 'damaged']);
    assert.equal(damaged.status, 3, damaged.stderr);
    const partial = JSON.parse(damaged.stdout) as { events: number; inserted: number };
    assert.ok(partial.inserted > 0 && partial.inserted === partial.events && partial.events < 6064, damaged.stdout);
    assert.equal(await count(single.url, 'SELECT count() FROM damaged FINAL'), partial.events);
    assert.match(damaged.stderr, /^k8s-audit: warning: .*audit\.log\.gz:\d+: gzip data damaged \(unexpected end of file\): nothing after this point was read$/m);
    assert.match(damaged.stderr, /audit\.log\.gz was damaged or not text; the results are partial \(exit status 3\)/);
    // Skipped records are said, without failing the load.
    const skipped = runCli(['load', join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'secrets.audit.log'), '--clickhouse', single.url, '--table', 'skipped']);
    assert.equal(skipped.status, 0, skipped.stderr);
    assert.match(skipped.stderr, /^k8s-audit: .*secrets\.audit\.log: 1 record skipped \(line 3: /m);
  });

  it('refuses bad table names and unreachable servers with a clear message', () => {
    const badTable = runCli(['load', generated, '--clickhouse', single.url, '--table', 'x; DROP TABLE audit_events']);
    assert.equal(badTable.status, 2);
    assert.match(badTable.stderr, /bad table name/);
    const down = runCli(['load', generated, '--clickhouse', 'http://127.0.0.1:9']);
    assert.equal(down.status, 2);
    assert.match(down.stderr, /cannot reach ClickHouse at http:\/\/127\.0\.0\.1:9/);
    const noUrl = runCli(['load', generated]);
    assert.equal(noUrl.status, 2);
    assert.match(noUrl.stderr, /load needs --clickhouse URL/);
  });
});
