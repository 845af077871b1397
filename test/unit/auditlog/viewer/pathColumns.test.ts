import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { checkPathColumn, MAX_CELL_CHARS } from '../../../../server/src/auditlog/viewer/pathColumns';
import { ViewerSessions } from '../../../../server/src/auditlog/viewer/viewerSessions';
import { testTempDir } from '../../../harness/tempDir';

/** A request with two stages (the primary one, ResponseComplete, carries the bodies). */
function request(i: number, extra: Record<string, unknown>, code = 200): string {
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: `p-${i}`,
    verb: 'create',
    user: { username: `user-${i}` },
    objectRef: { resource: 'pods', namespace: 'prod', name: `pod-${i}` },
    requestReceivedTimestamp: `2026-02-22T10:00:0${i}.000000Z`,
    stageTimestamp: `2026-02-22T10:00:0${i}.010000Z`,
  };
  return [
    JSON.stringify({ ...base, stage: 'RequestReceived' }),
    JSON.stringify({ ...base, stage: 'ResponseComplete', responseStatus: { code }, ...extra, user: { ...base.user, ...((extra.user as object) ?? {}) } }),
  ].join('\n');
}

const LONG = 'x'.repeat(500);
const LINES = [
  request(1, {
    requestObject: { kind: 'Pod', spec: { containers: [{ name: 'a', image: 'nginx:1.27' }, { name: 'b', image: 'busybox' }] } },
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC' },
    user: { extra: { 'authentication.kubernetes.io/pod-name': ['web-1'] }, groups: ['dev', 'system:authenticated'] },
  }),
  request(2, { requestObject: { kind: 'Pod', spec: {} }, annotations: { 'authorization.k8s.io/decision': 'forbid' } }, 403),
  request(3, { requestObject: { kind: 'ConfigMap', data: { big: LONG } }, user: { extra: null } }, 500),
];

const PATHS = ['requestObject.spec.containers[].image', 'annotations.authorization.k8s.io/decision', 'user.extra', 'user.groups', 'requestObject.data.big', 'responseObject.metadata.uid'];

async function withSession<T>(file: string, work: (session: ReturnType<ViewerSessions['get']>) => Promise<T>): Promise<T> {
  const sessions = new ViewerSessions();
  const { sessionId } = await sessions.open(file);
  try {
    return await work(sessions.get(sessionId));
  } finally {
    sessions.close(sessionId);
  }
}

describe('JSON path columns of the log viewer', () => {
  it('checks a path with the query language field parser, with positions for errors', () => {
    assert.deepEqual(checkPathColumn(' requestObject.spec.containers[].image '), { ok: true, path: 'requestObject.spec.containers[].image' });
    assert.deepEqual(checkPathColumn('annotations["a b"]'), { ok: true, path: 'annotations["a b"]' });
    assert.deepEqual(checkPathColumn('podSpec.allContainers[].image'), { ok: true, path: 'podSpec.allContainers[].image' });
    const bad = checkPathColumn('requestObject[x]');
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.deepEqual([bad.error.offset, bad.error.length], [13, 3]);
    const unknown = checkPathColumn('nosuchfield');
    assert.ok(!unknown.ok && /unknown field "nosuchfield"/.test(unknown.error.message));
    const spaced = checkPathColumn('user extra');
    assert.ok(!spaced.ok && spaced.error.offset === 4);
    assert.equal(checkPathColumn('').ok, false);
    assert.equal(checkPathColumn('a[0').ok, false);
    assert.equal(checkPathColumn('-user').ok, false);
  });

  it('gives the values of a page: arrays joined, objects as JSON, dotted keys, missing as empty, long values cut', async () => {
    const file = join(testTempDir('k8s-audit-paths-'), 'audit.log');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    await withSession(file, async (session) => {
      const rows = await session.rowsWithPaths(0, 10, PATHS);
      assert.equal(rows.length, 3);
      const [first, second, third] = rows.map((row) => row.paths!);
      assert.equal(first!['requestObject.spec.containers[].image'], 'nginx:1.27, busybox');
      assert.equal(first!['annotations.authorization.k8s.io/decision'], 'allow');
      assert.equal(first!['user.extra'], '{"authentication.kubernetes.io/pod-name":["web-1"]}');
      assert.equal(first!['user.groups'], 'dev, system:authenticated');
      assert.equal(first!['responseObject.metadata.uid'], '');
      assert.equal(second!['requestObject.spec.containers[].image'], '');
      assert.equal(second!['annotations.authorization.k8s.io/decision'], 'forbid');
      assert.equal(third!['user.extra'], '');
      const big = third!['requestObject.data.big']!;
      assert.equal(big.length, MAX_CELL_CHARS);
      assert.ok(big.endsWith('…') && big.startsWith('xxx'));
      // Without paths a page has none; an invalid path is ignored (its cells stay empty) rather than failing the page.
      assert.equal((await session.rowsWithPaths(0, 1)).at(0)!.paths, undefined);
      assert.deepEqual((await session.rowsWithPaths(1, 1, ['nosuchfield', 'user.groups'])).at(0)!.paths, { 'user.groups': '' });
      // Values follow the rows through a new order (cached per row, not per position).
      await session.setQuery('', { key: 'code', direction: 'desc' });
      const sorted = await session.rowsWithPaths(0, 3, ['annotations.authorization.k8s.io/decision']);
      assert.deepEqual(
        sorted.map((row) => [row.code, row.paths!['annotations.authorization.k8s.io/decision']]),
        [
          [500, ''],
          [403, 'forbid'],
          [200, 'allow'],
        ],
      );
      // Only the requested page is read.
      const page = await session.rowsWithPaths(1, 1, ['user']);
      assert.deepEqual(page.map((row) => [row.position, row.paths]), [[1, { user: 'user-2' }]]);
    });
  });

  it('reads path values from a gzip log too (streamed once per page)', async () => {
    const file = join(testTempDir('k8s-audit-paths-gz-'), 'audit.log.gz');
    writeFileSync(file, gzipSync(`${LINES.join('\n')}\n`));
    await withSession(file, async (session) => {
      const rows = await session.rowsWithPaths(0, 10, ['requestObject.spec.containers[].image', 'requestObject.kind']);
      assert.deepEqual(
        rows.map((row) => row.paths),
        [
          { 'requestObject.spec.containers[].image': 'nginx:1.27, busybox', 'requestObject.kind': 'Pod' },
          { 'requestObject.spec.containers[].image': '', 'requestObject.kind': 'Pod' },
          { 'requestObject.spec.containers[].image': '', 'requestObject.kind': 'ConfigMap' },
        ],
      );
    });
  });

  it('counts the timeline by status class, the classes adding up to the requests of each bucket', async () => {
    const file = join(testTempDir('k8s-audit-classes-'), 'audit.log');
    const event = (i: number, second: number, code: number | null) =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: `c-${i}`,
        stage: 'ResponseComplete',
        verb: 'get',
        user: { username: 'u' },
        ...(code === null ? {} : { responseStatus: { code } }),
        requestReceivedTimestamp: `2026-02-22T10:00:${String(second).padStart(2, '0')}.000000Z`,
      });
    const codes: [number, number | null][] = [
      [0, 200],
      [0, 201],
      [0, 304],
      [0, 404],
      [1, 503],
      [1, null],
      [1, 101],
      [2, 403],
      [2, 500],
      [2, 200],
    ];
    writeFileSync(file, `${codes.map(([second, code], i) => event(i, second, code)).join('\n')}\n`);
    await withSession(file, async (session) => {
      const chart = await session.timeline(3);
      assert.equal(chart.bucketMs, 1_000);
      assert.deepEqual(chart.requests, [4, 3, 3]);
      assert.deepEqual(chart.status, { ok: [2, 0, 1], other: [1, 2, 0], clientError: [1, 0, 1], serverError: [0, 1, 1] });
      assert.deepEqual(chart.errors, [1, 1, 2]);
      chart.requests.forEach((count, i) => assert.equal(chart.status.ok[i]! + chart.status.other[i]! + chart.status.clientError[i]! + chart.status.serverError[i]!, count));
      await session.setQuery('code>=400');
      const errors = await session.timeline(3);
      assert.deepEqual(errors.status.ok.concat(errors.status.other), [0, 0, 0, 0, 0, 0]);
    });
  });
});
