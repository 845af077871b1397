import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ViewerSessions } from '../../../../server/src/auditlog/viewer/viewerSessions';
import type { ViewerStatus } from '../../../../server/src/protocol/logViewer';
import { FIXTURES } from '../../helpers';
import { testTempDir } from '../../../harness/tempDir';

const SECRETS_LOG = join(FIXTURES, 'workspace', 'secrets.audit.log');

describe('viewer sessions over the log index', () => {
  it('opens a log: requests, formats, skipped lines with numbers, detections', async () => {
    const sessions = new ViewerSessions();
    const { sessionId, status, firstRows } = await sessions.open(SECRETS_LOG);
    try {
      // The first page comes with the answer (no round trip before the table has rows): the fixture's
      // three requests in time order, the unparsable line 3 left out.
      assert.deepEqual(
        firstRows.map((r) => [r.position, r.line, r.time, r.user, r.verb, r.resource, r.namespace, r.name, r.code]),
        [
          [0, 1, '2026-02-22T10:00:01.000Z', 'alice@example.com', 'create', 'secrets', 'payments', 'db-credentials', 201],
          [1, 2, '2026-02-22T10:00:02.000Z', 'bob@example.com', 'get', 'secrets', 'payments', 'db-credentials', 200],
          [2, 4, '2026-02-22T10:00:03.000Z', 'system:kube-apiserver', 'create', 'tokenreviews', '', '', 201],
        ],
      );
      assert.equal(status.totalRows, 3);
      assert.equal(status.matchingRows, 3);
      assert.equal(status.indexing, false);
      assert.deepEqual(status.formats, ['k8s-json']);
      assert.equal(status.skippedCount, 1);
      assert.equal(status.skipped[0]!.line, 3);
      // The log's first and last request times (the viewer leaves the date out of a one-day log's times).
      assert.deepEqual(status.timeSpan, { first: '2026-02-22T10:00:01.000Z', last: '2026-02-22T10:00:03.000Z' });
      assert.ok(status.detections.some((d) => d.hits > 0), JSON.stringify(status.detections));
    } finally {
      sessions.close(sessionId);
    }
  });

  it('filters with the query language, pages rows, counts facets, and reports query errors with positions', async () => {
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(SECRETS_LOG);
    try {
      const session = sessions.get(sessionId);
      const result = await session.setQuery('verb:create');
      assert.ok(result.ok);
      assert.equal(result.matchingRows, 2);
      assert.match(result.jq, /select/);
      const rows = await session.rowsWithPaths(0, 10);
      assert.deepEqual(rows.map((r) => [r.position, r.verb, r.resource, r.line]), [
        [0, 'create', 'secrets', 1],
        [1, 'create', 'tokenreviews', 4],
      ]);
      const [users] = await session.facets(['user']);
      assert.deepEqual(users!.top, [
        { value: 'alice@example.com', count: 1 },
        { value: 'system:kube-apiserver', count: 1 },
      ]);
      const bad = await session.setQuery('verb:(create');
      assert.equal(bad.ok, false);
      if (!bad.ok) assert.ok(bad.error.offset >= 5, JSON.stringify(bad.error));
    } finally {
      sessions.close(sessionId);
    }
  });

  it('answers a query with what the viewer shows of the new result: the first page, the facets and the timeline', async () => {
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(SECRETS_LOG);
    try {
      const answer = await sessions.query({ sessionId, query: 'verb:create', paths: ['user.username'], buckets: 4 });
      assert.ok(answer.ok);
      assert.equal(answer.matchingRows, 2);
      // The same as asking the session for each, over the result the query left.
      const session = sessions.get(sessionId);
      assert.deepEqual(answer.firstRows, await session.rowsWithPaths(0, 100, ['user.username']));
      assert.deepEqual(answer.firstRows.map((row) => row.paths?.['user.username']), ['alice@example.com', 'system:kube-apiserver']);
      assert.deepEqual(answer.facets, await session.facets(['user', 'verb', 'resource', 'namespace', 'code', 'userAgent']));
      assert.deepEqual(answer.timeline, await session.timeline(4));
      assert.equal(answer.timeline.requests.reduce((sum, n) => sum + n, 0), 2);
      // A query error is the whole answer: the previous result stays.
      const bad = await sessions.query({ sessionId, query: 'verb:(create' });
      assert.equal(bad.ok, false);
      assert.equal(session.status().matchingRows, 2);
    } finally {
      sessions.close(sessionId);
    }
  });

  it('shows the whole event redacted, with its detections', async () => {
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(SECRETS_LOG);
    try {
      const session = sessions.get(sessionId);
      const event = await session.event(0, false);
      assert.equal(event.line, 1);
      assert.ok(!event.json.includes('hunter2-do-not-log'));
      assert.equal(event.redactions, 2);
      assert.match((await session.event(0, true)).json, /hunter2-do-not-log/);
      // The request in words before the JSON.
      assert.deepEqual(event.summary.slice(0, 3), ['alice@example.com (dev-team, system:authenticated)', 'create secrets db-credentials in payments', '→ 201 in 4 ms']);
    } finally {
      sessions.close(sessionId);
    }
  });

  it('follows a growing file', async () => {
    const file = join(testTempDir('k8s-audit-viewer-'), 'audit.log');
    const event = (i: number) => `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `id-${i}`, stage: 'ResponseComplete', verb: 'get', user: { username: `u${i}` } })}\n`;
    writeFileSync(file, event(1) + event(2));
    const statuses: ViewerStatus[] = [];
    const sessions = new ViewerSessions((_id, status) => statuses.push(status), 20);
    const { sessionId, status } = await sessions.open(file);
    try {
      assert.equal(status.totalRows, 2);
      appendFileSync(file, event(3) + event(4) + event(5));
      const deadline = Date.now() + 5000;
      while (!statuses.some((s) => s.totalRows === 5) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.ok(statuses.some((s) => s.totalRows === 5 && s.matchingRows === 5), JSON.stringify(statuses.map((s) => s.totalRows)));
      assert.deepEqual((await sessions.get(sessionId).rowsWithPaths(0, 10)).map((r) => r.user), ['u1', 'u2', 'u3', 'u4', 'u5']);
    } finally {
      sessions.close(sessionId);
    }
  });

  it('re-reads events by byte offset after multi-byte characters, CRLF and a BOM', async () => {
    const file = join(testTempDir('k8s-audit-offsets-'), 'audit.log');
    const event = (id: string, user: string) => JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: id, verb: 'get', user: { username: user }, stage: 'ResponseComplete' });
    writeFileSync(file, `\uFEFF${event('a', 'zoë ✓')}\r\n${event('b', '名前')}\r\n${event('c', 'last')}`);
    const sessions = new ViewerSessions();
    const { sessionId, status } = await sessions.open(file);
    try {
      assert.equal(status.totalRows, 3);
      const session = sessions.get(sessionId);
      const users = await Promise.all([0, 1, 2].map(async (position) => JSON.parse((await session.event(position, false)).json).user.username));
      assert.deepEqual(users.sort(), ['last', 'zoë ✓', '名前'].sort());
    } finally {
      sessions.close(sessionId);
    }
  });

  it('sorts, draws a timeline of the result, and exports it as CSV and JSON lines', async () => {
    const dir = testTempDir('k8s-audit-export-');
    const file = join(dir, 'audit.log');
    const event = (i: number, code: number, latency: number, user: string) =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: `r-${i}`,
        stage: 'ResponseComplete',
        verb: 'get',
        user: { username: user },
        objectRef: { resource: 'pods', namespace: 'prod' },
        responseStatus: { code },
        requestReceivedTimestamp: `2026-02-22T10:0${i}:00.000000Z`,
        stageTimestamp: `2026-02-22T10:0${i}:00.${String(latency).padStart(3, '0')}000Z`,
      });
    writeFileSync(file, [event(1, 200, 5, 'alice'), event(2, 403, 50, '=HYPERLINK("x")'), event(3, 500, 20, 'bob, "the" admin')].join('\n') + '\n');
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(file);
    try {
      const session = sessions.get(sessionId);
      await session.setQuery('', { key: 'latency', direction: 'desc' });
      assert.deepEqual((await session.rowsWithPaths(0, 3)).map((r) => r.latencyMs), [50, 20, 5]);
      await session.setQuery('', { key: 'time', direction: 'asc' });
      const chart = await session.timeline(3);
      assert.equal(chart.bucketMs, 60_000);
      assert.equal(chart.start, Date.parse('2026-02-22T10:01:00Z'));
      assert.deepEqual(chart.requests, [1, 1, 1]);
      assert.deepEqual(chart.errors, [0, 1, 1]);
      await session.setQuery('code>=400');
      const csvFile = join(dir, 'out.csv');
      assert.deepEqual(await session.export('csv', csvFile), { rows: 2, bytes: readFileSync(csvFile).length });
      const csv = readFileSync(csvFile, 'utf8').split('\n');
      assert.match(csv[0]!, /^time,user,/);
      // Spreadsheet formulas from log content are neutralised; quotes and commas are escaped.
      assert.match(csv[1]!, /,"'=HYPERLINK\(""x""\)",/);
      assert.match(csv[2]!, /,"bob, ""the"" admin",/);
      const jsonlFile = join(dir, 'out.jsonl');
      await session.export('jsonl', jsonlFile);
      const events = readFileSync(jsonlFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      assert.deepEqual(events.map((e) => e.auditID), ['r-2', 'r-3']);
    } finally {
      sessions.close(sessionId);
    }
  });

  it('opens a gzip log and shows whole events from it too', async () => {
    const file = join(testTempDir('k8s-audit-gz-'), 'audit.log.gz');
    writeFileSync(file, gzipSync(readFileSync(SECRETS_LOG)));
    const sessions = new ViewerSessions();
    const { sessionId, status } = await sessions.open(file);
    try {
      assert.equal(status.totalRows, 3);
      const event = await sessions.get(sessionId).event(0, false);
      assert.equal(JSON.parse(event.json).objectRef.name, 'db-credentials');
      assert.ok(!event.json.includes('hunter2-do-not-log'));
    } finally {
      sessions.close(sessionId);
    }
  });

  it('decodes the command of an exec request for the details pane', async () => {
    const file = join(testTempDir('k8s-audit-exec-'), 'audit.log');
    writeFileSync(
      file,
      `${JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: 'x1',
        stage: 'ResponseStarted',
        verb: 'create',
        user: { username: 'mallory' },
        requestURI: '/api/v1/namespaces/prod/pods/web-1/exec?command=sh&command=-c&command=cat%20%2Fetc%2Fshadow&container=web&stdin=true',
        objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-1' },
        responseStatus: { code: 101 },
      })}\n`,
    );
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(file);
    try {
      const event = await sessions.get(sessionId).event(0, false);
      assert.match(event.command, /sh -c ['"]?cat \/etc\/shadow/);
      assert.equal(event.summary[1], 'create pods/exec web-1 in prod');
      assert.ok(event.detections.some((d) => d.title === 'Attach/Exec Pod'), JSON.stringify(event.detections.map((d) => d.title)));
    } finally {
      sessions.close(sessionId);
    }
  });
});
