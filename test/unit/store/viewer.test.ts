// The viewer on ClickHouse, as the language server opens it (ViewerSessions over storeViewerOpener):
// every answer the file viewer gives (status, pages, facets, timeline, details with every stage,
// completion, export) is compared with the file viewer's on the same log, loaded into a real server.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ViewerSessions, type LogViewerSession } from '../../../server/src/auditlog/viewer/viewerSessions';
import type { ViewerRow, ViewerStatus } from '../../../server/src/protocol/logViewer';
import { quoteValue } from '../../../server/src/auditlog/query/pattern';
import { ClickHouseProblem } from '../../../server/src/store/clickhouseProblem';
import { storeViewerOpener } from '../../../server/src/store/viewer/openStoreViewer';
import { ClickHouseCluster, clickhouseMissing, clickhouseQuery } from '../../harness/clickhouse';
import { FIXTURES, runCli } from '../helpers';
import { generateLog } from '../auditlog/index/helpers';
import { load } from './helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-store-viewer-');
const generated = join(tmp, 'generated.log');
const SECRETS_LOG = join(FIXTURES, 'workspace', 'secrets.audit.log');
const BODY_QUERY = 'code<300 OR podSpec.allContainers[].securityContext.privileged:true';

function cliCount(query: string): number {
  const result = runCli(['query', generated, query, '--format', 'count']);
  assert.equal(result.status, 0, result.stderr);
  return Number(result.stdout);
}

/** The same rows without their positions, whichever order ties of time take; the first difference is the message. */
function assertSameRows(actual: readonly ViewerRow[], expected: readonly ViewerRow[]): void {
  const texts = (rows: readonly ViewerRow[]) => rows.map(({ position: _position, ...row }) => JSON.stringify(row)).sort();
  const [a, e] = [texts(actual), texts(expected)];
  const at = a.findIndex((text, i) => text !== e[i]);
  assert.ok(a.length === e.length && at < 0, `${a.length} vs ${e.length} rows; first difference:\n${a[at]}\n${e[at]}`);
}

async function allRows(session: LogViewerSession, matching: number, page: number, paths?: string[]): Promise<ViewerRow[]> {
  const rows: ViewerRow[] = [];
  for (let start = 0; start < matching; start += page) rows.push(...(await session.rowsWithPaths(start, page, paths)));
  return rows;
}

describe('the viewer on ClickHouse', { skip: clickhouseMissing() }, () => {
  let clickhouse: ClickHouseCluster;
  const sessions = new ViewerSessions();
  const statuses: ViewerStatus[] = [];
  const storeSessions = new ViewerSessions((_id, status) => statuses.push(status), 50);
  let file: LogViewerSession;
  let store: LogViewerSession;
  let storeOpened: ViewerStatus;
  let fileOpened: ViewerStatus;
  let storeId = 0;
  let fileId = 0;

  before(async () => {
    generateLog(generated, 3000);
    clickhouse = await ClickHouseCluster.start(1);
    load([generated, '--clickhouse', clickhouse.url]);
    const opened = await sessions.open(generated);
    fileId = opened.sessionId;
    file = sessions.get(fileId);
    // Open answers at the first rows; on a loaded machine the file may still be indexing then.
    for (let waited = 0; file.status().indexing && waited < 60_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    fileOpened = file.status();
    const onStore = await storeSessions.openWith(storeViewerOpener({ url: clickhouse.url }), 60_000);
    storeId = onStore.sessionId;
    store = storeSessions.get(storeId);
    storeOpened = onStore.status;
  });

  after(async () => {
    storeSessions.close(storeId);
    await clickhouse?.stop();
  });

  it('opens with the file viewer\'s requests and detections, and the first page of rows', async () => {
    assert.equal(storeOpened.totalRows, 3000);
    assert.equal(storeOpened.matchingRows, 3000);
    assert.deepEqual(storeOpened.formats, ['k8s-json']);
    assert.ok(storeOpened.totalBytes > 0);
    // Detections stored at load time are the single-request detectors: each counts as in the file viewer.
    assert.ok(storeOpened.detections.length >= 3, JSON.stringify(storeOpened.detections));
    for (const detection of storeOpened.detections) {
      assert.deepEqual(detection, fileOpened.detections.find((d) => d.id === detection.id), detection.id);
    }
  });

  it('narrows by a query and then a facet to the CLI\'s counts on the file, with the file viewer\'s facets and timeline', async () => {
    const narrowed = await store.setQuery('verb:(create patch) -user:system:*');
    assert.ok(narrowed.ok);
    assert.equal(narrowed.matchingRows, cliCount('verb:(create patch) -user:system:*'));
    await file.setQuery('verb:(create patch) -user:system:*');
    const fields = ['user', 'verb', 'resource', 'namespace', 'code', 'userAgent'] as const;
    const facets = await store.facets(fields);
    assert.deepEqual(facets, await file.facets(fields));
    assert.deepEqual(await store.timeline(50), await file.timeline(50));
    const top = facets[0]!.top[0]!;
    assert.ok(top.count > 0 && top.count < narrowed.matchingRows, JSON.stringify(facets[0]));
    const byFacet = `verb:(create patch) -user:system:* user:${quoteValue(top.value)}`;
    const faceted = await store.setQuery(byFacet);
    assert.ok(faceted.ok);
    assert.equal(faceted.matchingRows, top.count);
    assert.equal(faceted.matchingRows, cliCount(byFacet));
    assert.equal(store.status().matchingRows, top.count);
  });

  it('answers a query with the file viewer\'s first page, facets and timeline in one answer', async () => {
    const query = { query: 'verb:(create patch) -user:system:*', buckets: 30, paths: ['user.groups'] };
    const [fromStore, fromFile] = [await storeSessions.query({ sessionId: storeId, ...query }), await sessions.query({ sessionId: fileId, ...query })];
    assert.ok(fromStore.ok && fromFile.ok);
    assert.equal(fromStore.matchingRows, fromFile.matchingRows);
    assertSameRows(fromStore.firstRows, fromFile.firstRows);
    assert.ok(fromStore.firstRows.length > 0 && fromStore.firstRows.every((row) => row.paths?.['user.groups'] !== undefined));
    assert.deepEqual(fromStore.facets, fromFile.facets);
    assert.deepEqual(fromStore.timeline, fromFile.timeline);
  });

  it('pages by keyset the same rows as the file viewer, JSON path columns too, however the pages are asked for', async () => {
    const paths = ['podSpec.allContainers[].image', 'user.groups'];
    const result = await store.setQuery(BODY_QUERY);
    assert.ok(result.ok);
    assert.equal(result.matchingRows, cliCount(BODY_QUERY));
    await file.setQuery(BODY_QUERY);
    const rows = await allRows(store, result.matchingRows, 150, paths);
    assert.equal(rows.length, result.matchingRows);
    assert.deepEqual(rows.map((row) => row.position), rows.map((_row, i) => i));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.time <= rows[i]!.time, `time order at ${i}`);
    assertSameRows(rows, await allRows(file, result.matchingRows, 500, paths));
    assert.ok(rows.some((row) => row.stages.includes(',')), 'rows list every stage of their request');
    assert.ok(rows.some((row) => row.paths!['podSpec.allContainers[].image'] !== ''));
    // A jump into the middle (from the nearest remembered page boundary) gives the same rows.
    assert.deepEqual(await store.rowsWithPaths(777, 40, paths), rows.slice(777, 817));
    // A far jump in a fresh result (no boundary remembered near it) too: found by OFFSET, then by keyset from there.
    await store.setQuery('');
    const everything = await allRows(store, 3000, 500);
    await store.setQuery('');
    assert.deepEqual(await store.rowsWithPaths(2601, 30), everything.slice(2601, 2631));
    assert.deepEqual(await store.rowsWithPaths(2631, 30), everything.slice(2631, 2661));
    // Sorted by latency, descending: the same order as the file viewer's.
    await store.setQuery(BODY_QUERY, { key: 'latency', direction: 'desc' });
    const slowest = await store.rowsWithPaths(0, 50);
    for (let i = 1; i < slowest.length; i++) assert.ok((slowest[i - 1]!.latencyMs ?? -1) >= (slowest[i]!.latencyMs ?? -1), `latency order at ${i}`);
  });

  it('shows a request\'s details with every stage, redacted, as the file viewer does', async () => {
    const compare = async (fileSession: LogViewerSession, storeSession: LogViewerSession, source: string) => {
      for (const reveal of [false, true]) {
        const fromFile = await fileSession.event(0, reveal);
        const fromStore = await storeSession.event(0, reveal);
        assert.deepEqual({ ...fromStore, summary: fromStore.summary.slice(0, -1) }, fromFile);
        assert.equal(fromStore.summary.at(-1), `loaded from ${source}, line ${fromFile.line}`);
      }
      return storeSession.event(0, false);
    };
    assert.ok((await store.setQuery('resource:pods/exec')).ok);
    const [exec] = await store.rowsWithPaths(0, 1);
    assert.equal(exec!.stages, 'RequestReceived, ResponseStarted, ResponseComplete');
    const auditID = (JSON.parse((await store.event(0, false)).json) as { auditID: string }).auditID;
    await file.setQuery(`id:${auditID}`);
    await store.setQuery(`id:${auditID}`);
    const detail = await compare(file, store, generated);
    assert.deepEqual(detail.otherStages.map((stage) => stage.stage), ['RequestReceived', 'ResponseStarted']);
    // Secret values are hidden unless revealed, in every stage, as in the file viewer.
    load([SECRETS_LOG, '--clickhouse', clickhouse.url, '--table', 'secrets']);
    const secretsFile = await sessions.open(SECRETS_LOG);
    const secretsStore = await storeSessions.openWith(storeViewerOpener({ url: clickhouse.url, table: 'secrets' }));
    try {
      const secrets = await compare(sessions.get(secretsFile.sessionId), storeSessions.get(secretsStore.sessionId), SECRETS_LOG);
      assert.ok(secrets.redactions > 0, 'the secret\'s data is hidden');
    } finally {
      sessions.close(secretsFile.sessionId);
      storeSessions.close(secretsStore.sessionId);
    }
  });

  it('completes field values, times and JSON path keys from the table', async () => {
    await store.setQuery('');
    await file.setQuery('');
    for (const [text, cursor] of [['user:sys', 8], ['verb:(get OR cr', 15], ['ns:kube-*', 9], ['code:4', 6], ['after:', 6], ['groups:system:a', 15], ['us', 2]] as const) {
      assert.deepEqual(await store.complete(text, cursor), await file.complete(text, cursor), text);
    }
    const keys = await store.complete('requestObject.sp', 16);
    assert.ok(keys.items.some((item) => item.label === 'requestObject.spec.'), JSON.stringify(keys.items));
  });

  it('exports the current result as CSV and JSON lines, as the file viewer does', async () => {
    await store.setQuery('verb:delete');
    await file.setQuery('verb:delete');
    for (const format of ['csv', 'jsonl'] as const) {
      const fromStore = await store.export(format, join(tmp, `store.${format}`));
      const fromFile = await file.export(format, join(tmp, `file.${format}`));
      assert.equal(fromStore.rows, cliCount('verb:delete'));
      assert.deepEqual(fromStore, fromFile);
      const lines = (name: string) => readFileSync(join(tmp, name), 'utf8').split('\n').sort();
      assert.deepEqual(lines(`store.${format}`), lines(`file.${format}`), format);
    }
  });

  it('counts again when rows arrive (a request in flight, a file loaded twice), and tells the viewer', async () => {
    await store.setQuery('verb:get');
    const before = store.status().matchingRows;
    const more = join(tmp, 'more.log');
    generateLog(more, 200, 99);
    // A request in flight: only its RequestReceived stage is in (its row is that stage's).
    const inFlight = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: 'in-flight-1', stage: 'RequestReceived', verb: 'get', user: { username: 'dave@example.com' }, requestURI: '/api/v1/pods', objectRef: { resource: 'pods' }, requestReceivedTimestamp: '2026-02-22T10:00:30.000000Z', stageTimestamp: '2026-02-22T10:00:30.000000Z' };
    writeFileSync(join(tmp, 'in-flight.log'), `${JSON.stringify(inFlight)}\n`);
    load([more, join(tmp, 'in-flight.log'), '--clickhouse', clickhouse.url]);
    // Loaded again: duplicate rows until ClickHouse merges them, which the viewer must not count twice.
    load([more, '--clickhouse', clickhouse.url, '--restart']);
    statuses.length = 0;
    await store.refresh();
    assert.equal(statuses.length, 1);
    const cli = (query: string) => Number(runCli(['query', '--clickhouse', clickhouse.url, query, '--format', 'count']).stdout);
    assert.equal(statuses[0]!.totalRows, 3201);
    assert.equal(statuses[0]!.totalRows, cli(''));
    assert.ok(statuses[0]!.matchingRows > before);
    assert.equal(statuses[0]!.matchingRows, cli('verb:get'));
    assert.equal((await store.setQuery('user:dave@example.com')).ok && store.status().matchingRows, 1);
    assert.equal((await store.rowsWithPaths(0, 10))[0]!.stages, 'RequestReceived');
    await store.refresh();
    assert.equal(statuses.length, 1, 'nothing new: no status');
  });

  it('says in plain words when the server is down, the password is wrong or the table is missing', async () => {
    const problem = async (source: Parameters<typeof storeViewerOpener>[0]) => {
      const error = await storeSessions.openWith(storeViewerOpener(source)).then(() => undefined, (e: unknown) => e);
      assert.ok(error instanceof ClickHouseProblem, String(error));
      return error;
    };
    const closedPort = clickhouse.url.replace(/:\d+$/, ':1');
    const down = await problem({ url: closedPort });
    assert.equal(down.kind, 'unreachable');
    assert.equal(down.message, `ClickHouse at ${closedPort} cannot be reached (connection refused). Is the server running, and is the connection's URL right?`);
    const refused = await problem({ url: clickhouse.url, password: 'wrong' });
    assert.equal(refused.kind, 'auth');
    assert.match(refused.message, /refused user "default": the password is wrong, or there is no such user/);
    assert.equal((await problem({ url: clickhouse.url, user: 'nobody' })).kind, 'auth');
    const missing = await problem({ url: clickhouse.url, table: 'no_such_table' });
    assert.equal(missing.kind, 'missing-table');
    assert.match(missing.message, /has no table default\.no_such_table\. Load a log into it first \(k8s-audit load LOG --clickhouse URL --table no_such_table\)/);
    assert.match((await problem({ url: `${clickhouse.url}/?database=nodb` })).message, /has no database "nodb"/);
    await clickhouseQuery(clickhouse.url, 'CREATE TABLE not_audit (x UInt8) ENGINE = Memory');
    assert.equal((await problem({ url: clickhouse.url, table: 'not_audit' })).kind, 'not-audit-table');
    assert.equal((await problem({ url: clickhouse.url, table: 'x; DROP TABLE audit_events' })).kind, 'other');
    // A query that fails later (the table dropped under the viewer) says so too, with the same words.
    await clickhouseQuery(clickhouse.url, 'RENAME TABLE audit_events TO audit_events_away');
    try {
      await assert.rejects(store.setQuery('verb:get'), /has no table default\.audit_events\./);
    } finally {
      await clickhouseQuery(clickhouse.url, 'RENAME TABLE audit_events_away TO audit_events');
    }
  });

  it('reports a bad query with its position, as for files', async () => {
    const result = await store.setQuery('verb:get (user:x');
    assert.deepEqual(result.ok ? null : result.error.offset, 9);
  });
});
