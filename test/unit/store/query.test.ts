// The query language and the detectors on ClickHouse against the file engine, on real servers
// (Debian's 18.16, started here on free loopback ports): one node, and a two-shard cluster behind a
// Distributed table, both loaded with `k8s-audit load`.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compileQuery, parseQuery, requestPredicate } from '../../../server/src/auditlog/query';
import type { AuditRequest } from '../../../server/src/auditlog/requests';
import { quoteValue } from '../../../server/src/auditlog/query/pattern';
import { ViewerSessions, type LogViewerSession } from '../../../server/src/auditlog/viewer/viewerSessions';
import type { ViewerStatus } from '../../../server/src/protocol/logViewer';
import { ClickHouseClient } from '../../../server/src/store/clickhouseClient';
import { storeTable, type StoreTable } from '../../../server/src/store/schema';
import { sqlString } from '../../../server/src/store/sqlText';
import { compileStoreQuery, countRequests } from '../../../server/src/store/storeQuery';
import { storeViewerOpener } from '../../../server/src/store/viewer/openStoreViewer';
import { ClickHouseCluster, clickhouseMissing, clickhouseQuery } from '../../harness/clickhouse';
import { NOW as SAMPLE_NOW, QUERIES as SAMPLE_QUERIES, SAMPLE } from '../auditlog/query/queryCases';
import { runCli } from '../helpers';
import { load } from './helpers';
import { generateLog, NOW, QUERIES, streamingKeys, streamingRequests } from '../auditlog/index/helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-store-');
const generated = join(tmp, 'generated.log');
const sample = join(tmp, 'sample.jsonl');

/** Values that break naive SQL quoting, LIKE and regular expressions. */
const HOSTILE = [
  "x' OR '1'='1",
  "\\'; DROP TABLE audit_events; --",
  'back\\slash\\',
  'per%cent_under_score',
  'dot.star.*plus+(paren)[bracket]{brace}|pipe^$',
  'tab\there\nnewline',
  'quote"double',
  'ünïcödé 漢字 🙂',
  "'",
  '\\',
];

function hostileLog(): string {
  return HOSTILE.map((value, i) =>
    JSON.stringify({ kind: 'Event', auditID: `h${i}`, stage: 'ResponseComplete', level: 'Metadata', verb: 'get', user: { username: value, groups: [value] }, objectRef: { resource: 'configmaps', namespace: value, name: value }, requestURI: `/api/v1/x?q=${i}`, userAgent: value, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-03-01T11:00:00Z' }),
  ).join('\n');
}

/** A quoted query value matching `value` literally between the given wildcards. */
function wildcard(value: string, before: '' | '*', after: '' | '*'): string {
  return `"${before}${value.replace(/[\\"*]/g, (c) => `\\${c}`)}${after}"`;
}

/** The file engine's answer: requests whose most complete stage the query selects. */
function fileCount(requests: AuditRequest[], query: string, now: number): number {
  return requests.filter(requestPredicate(compileQuery(parseQuery(query, { now })))).length;
}

async function storeCount(url: string, target: StoreTable, query: string, now: number): Promise<number> {
  const client = ClickHouseClient.fromUrl(url);
  try {
    return await countRequests(client, target, compileStoreQuery(parseQuery(query, { now })));
  } finally {
    client.close();
  }
}

describe('the query language on ClickHouse', { skip: clickhouseMissing() }, () => {
  let single: ClickHouseCluster;
  let sharded: ClickHouseCluster;
  const plain = storeTable();
  const distributed = storeTable('audit_events', 'test_cluster');

  before(async () => {
    generateLog(generated, 3000);
    writeFileSync(sample, `${SAMPLE.map((e) => JSON.stringify(e)).join('\n')}\n${hostileLog()}\n`);
    [single, sharded] = await Promise.all([ClickHouseCluster.start(1), ClickHouseCluster.start(2)]);
    load([generated, '--clickhouse', single.url]);
    load([generated, '--clickhouse', sharded.urls, '--cluster', 'test_cluster']);
    load([sample, '--clickhouse', single.url, '--table', 'sample']);
    load([sample, '--clickhouse', sharded.urls, '--table', 'sample', '--cluster', 'test_cluster']);
  });

  after(async () => {
    await Promise.all([single?.stop(), sharded?.stop()]);
  });

  it('answers every query of the index equivalence table with the file engine\'s request count (one node and two shards)', async () => {
    const requests = await streamingRequests([generated]);
    for (const query of QUERIES) {
      const expected = streamingKeys(requests, query).length;
      assert.equal(await storeCount(single.url, plain, query, NOW), expected, `one node: ${query}`);
      assert.equal(await storeCount(sharded.url, distributed, query, NOW), expected, `two shards: ${query}`);
    }
  });

  it('answers every query of the query-language table like the file engine (one node and two shards)', async () => {
    const requests = await streamingRequests([sample]);
    for (const [query] of SAMPLE_QUERIES) {
      const fromFile = fileCount(requests, query, SAMPLE_NOW);
      assert.equal(await storeCount(single.url, storeTable('sample'), query, SAMPLE_NOW), fromFile, `one node: ${query}`);
      assert.equal(await storeCount(sharded.url, storeTable('sample', 'test_cluster'), query, SAMPLE_NOW), fromFile, `two shards: ${query}`);
    }
  });

  it('inlines hostile literal values without injection: each selects exactly its own request', async () => {
    const target = storeTable('sample');
    const requests = await streamingRequests([sample]);
    for (const value of HOSTILE) {
      for (const query of [`user:${quoteValue(value)}`, `ns:${quoteValue(value)}`, `groups:${quoteValue(value)}`]) {
        assert.equal(await storeCount(single.url, target, query, SAMPLE_NOW), 1, query);
      }
      for (const query of [`ua:${wildcard(value, '', '*')}`, `name:${wildcard(value, '*', '')}`, `uri:/api/* user:${wildcard(value, '*', '*')}`]) {
        const count = await storeCount(single.url, target, query, SAMPLE_NOW);
        assert.equal(count, fileCount(requests, query, SAMPLE_NOW), query);
        assert.ok(count >= 1, query);
      }
    }
    // Free text and a JSON path with the same values (lower-cased, escaped in the raw JSON).
    for (const value of HOSTILE) {
      for (const query of [quoteValue(value), `user.username:${quoteValue(value)}`]) {
        assert.equal(await storeCount(single.url, target, query, SAMPLE_NOW), fileCount(requests, query, SAMPLE_NOW), query);
      }
    }
    assert.equal((await clickhouseQuery(single.url, 'SELECT count() FROM sample FINAL')).trim(), String(SAMPLE.length + HOSTILE.length), 'the table is intact');
    for (const value of HOSTILE) {
      const echoed = JSON.parse(await clickhouseQuery(single.url, `SELECT ${sqlString(value)} AS v FORMAT JSONEachRow`)) as { v: string };
      assert.equal(echoed.v, value, 'a literal reads back as the same text');
    }
  });

  it('k8s-audit query --clickhouse counts like the file, prints rows and the SQL', () => {
    for (const query of ['verb:create resource:pods/exec', 'podSpec.allContainers[].securityContext.privileged:true OR verb:delete', 'code>=400']) {
      const fromFile = runCli(['query', generated, query, '--format', 'count', '--now', '2026-02-22T12:00:00Z']);
      const fromStore = runCli(['query', '--clickhouse', single.url, query, '--format', 'count']);
      assert.equal(fromStore.status, 0, fromStore.stderr);
      assert.equal(fromStore.stdout, fromFile.stdout, query);
      const rows = runCli(['query', '--clickhouse', sharded.urls, '--cluster', 'test_cluster', query, '--format', 'jsonl']);
      assert.equal(rows.stdout.trim().split('\n').filter(Boolean).length, Number(fromFile.stdout), query);
    }
    const sql = runCli(['query', '--clickhouse', single.url, 'user:alice requestObject.kind:Pod', '--format', 'sql']);
    assert.equal(sql.status, 0, sql.stderr);
    assert.match(sql.stdout, /^-- JSON path terms/);
    assert.match(sql.stdout, /^SELECT raw, 0 AS decided\nFROM audit_events FINAL\nWHERE .* AND \(\(user = 'alice'\) AND \(\(position\(raw, '"requestObject":'\) > 0\) AND .*\(position\(raw, 'Pod'\) > 0\)\)\)\nORDER BY ts/m);
    const table = runCli(['query', '--clickhouse', single.url, '--table', 'sample', 'id:e01', '--format', 'table']);
    assert.match(table.stdout, /alice@example\.com +get +secrets +prod +db +200 +\S+sample\.jsonl:1/);
  });

  it('k8s-audit scan --clickhouse finds what scan finds in the file (window detectors too)', () => {
    for (const [target, args] of [['one node', ['--clickhouse', single.url]], ['two shards', ['--clickhouse', sharded.urls, '--cluster', 'test_cluster']]] as const) {
      const fromFile = JSON.parse(runCli(['scan', generated, '--format', 'json', '--min-severity', 'info']).stdout) as { requests: number; summary: Record<string, number>; unknown: Record<string, { count: number }> };
      const scanned = runCli(['scan', ...args, '--format', 'json', '--min-severity', 'info']);
      assert.equal(scanned.status, 0, scanned.stderr);
      const fromStore = JSON.parse(scanned.stdout) as typeof fromFile & { events: number };
      assert.equal(fromStore.requests, fromFile.requests, target);
      assert.equal(fromStore.events, 6064, target);
      assert.ok(Object.keys(fromFile.summary).length >= 5, 'the generated log has detections');
      assert.deepEqual(fromStore.summary, fromFile.summary, target);
      assert.deepEqual(fromStore.unknown, fromFile.unknown, target);
    }
  });

  it('the viewer on two shards answers as on one node: status, pages with stages, facets, timeline, details, completion', async () => {
    const sessions = new ViewerSessions();
    const opened = await Promise.all([storeViewerOpener({ url: single.url }), storeViewerOpener({ url: sharded.url, cluster: 'test_cluster' })].map((opener) => sessions.openWith(opener, 60_000)));
    try {
      const [one, two] = opened.map(({ sessionId }) => sessions.get(sessionId)) as [LogViewerSession, LogViewerSession];
      const [oneStatus, twoStatus] = opened.map(({ status }) => status) as [ViewerStatus, ViewerStatus];
      assert.ok(oneStatus.totalBytes > 0 && twoStatus.totalBytes > 0, 'sizes of every shard are read');
      assert.deepEqual({ ...twoStatus, bytesRead: 0, totalBytes: 0 }, { ...oneStatus, bytesRead: 0, totalBytes: 0 });
      const query = 'verb:create OR podSpec.allContainers[].securityContext.privileged:true';
      const [a, b] = await Promise.all([one.setQuery(query), two.setQuery(query)]);
      assert.ok(a.ok && b.ok && a.matchingRows === b.matchingRows && a.matchingRows > 100, JSON.stringify([a, b]));
      const page = async (session: LogViewerSession) => (await session.rowsWithPaths(0, 1000, ['podSpec.allContainers[].image'])).map(({ position: _p, ...row }) => JSON.stringify(row)).sort();
      assert.deepEqual(await page(two), await page(one));
      const fields = ['user', 'verb', 'code'] as const;
      assert.deepEqual(await two.facets(fields), await one.facets(fields));
      assert.deepEqual(await two.timeline(40), await one.timeline(40));
      await Promise.all([one.setQuery('resource:pods/exec'), two.setQuery('resource:pods/exec')]);
      const auditID = (JSON.parse((await one.event(0, false)).json) as { auditID: string }).auditID;
      await Promise.all([one.setQuery(`id:${auditID}`), two.setQuery(`id:${auditID}`)]);
      assert.deepEqual(await two.event(0, false), await one.event(0, false));
      assert.deepEqual(await two.complete('user:car', 8), await one.complete('user:car', 8));
    } finally {
      for (const { sessionId } of opened) sessions.close(sessionId);
    }
  });

  it('refuses bad table names and unreachable servers with a clear message', () => {
    const badTable = runCli(['query', '--clickhouse', single.url, '--table', 'x; DROP TABLE audit_events', 'verb:get', '--format', 'count']);
    assert.equal(badTable.status, 2);
    assert.match(badTable.stderr, /bad table name/);
    const down = runCli(['query', '--clickhouse', 'http://127.0.0.1:9', 'verb:get', '--format', 'count']);
    assert.equal(down.status, 2);
    assert.match(down.stderr, /cannot reach ClickHouse at http:\/\/127\.0\.0\.1:9/);
  });
});
