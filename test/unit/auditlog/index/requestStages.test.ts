import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildLogIndex, MAX_STAGE_SPAN_BYTES, readRequestStages, type LogIndex } from '../../../../server/src/auditlog/index';
import { ViewerSessions } from '../../../../server/src/auditlog/viewer/viewerSessions';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-stages-');

function line(auditID: string, stage: string, second: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Request',
    auditID,
    stage,
    verb: 'create',
    requestURI: '/api/v1/namespaces/prod/pods/web/exec?command=sh&stdin=true',
    user: { username: 'alice' },
    objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web', apiVersion: 'v1' },
    requestReceivedTimestamp: '2026-02-22T10:00:00.000000Z',
    stageTimestamp: `2026-02-22T10:00:${String(second).padStart(2, '0')}.000000Z`,
    ...extra,
  });
}

const EXEC = 'aaaaaaaa-0000-0000-0000-000000000001';
const OTHER = 'bbbbbbbb-0000-0000-0000-000000000002';
// Two requests interleaved; the exec one logs three stages.
const LINES = [
  line(EXEC, 'RequestReceived', 0),
  line(OTHER, 'RequestReceived', 1, { annotations: { note: `mentions ${EXEC} in passing` } }),
  line(EXEC, 'ResponseStarted', 2),
  line(OTHER, 'ResponseComplete', 3),
  line(EXEC, 'ResponseComplete', 4, { responseStatus: { code: 101 } }),
];

async function indexOf(file: string): Promise<LogIndex> {
  return (await buildLogIndex([file], { threads: 0 }).done).index;
}

function rowOf(index: LogIndex, auditID: string): number {
  for (let row = 0; row < index.rowCount; row++) if (!index.isDead(row) && index.auditID(row) === auditID) return row;
  throw new Error(`no row for ${auditID}`);
}

describe('every stage of a request, read again', () => {
  it('finds the stages between the first and the primary one in a JSON-lines file, and only that request', async () => {
    const file = join(tmp, 'interleaved.log');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const index = await indexOf(file);
    const exec = await readRequestStages(index, rowOf(index, EXEC));
    assert.deepEqual(exec.events.map((e) => e.stage), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    assert.ok(exec.events.every((e) => e.auditID === EXEC));
    assert.equal(exec.partial, false);
    const other = await readRequestStages(index, rowOf(index, OTHER));
    assert.deepEqual(other.events.map((e) => e.stage), ['RequestReceived', 'ResponseComplete']);
  });

  it('streams a gzip file to the same answer', async () => {
    const file = join(tmp, 'interleaved.log.gz');
    writeFileSync(file, gzipSync(`${LINES.join('\n')}\n`));
    const index = await indexOf(file);
    const exec = await readRequestStages(index, rowOf(index, EXEC));
    assert.deepEqual(exec.events.map((e) => e.stage), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
  });

  it('reads only the primary stage, and says so, when the stages are too far apart', async () => {
    const file = join(tmp, 'far.log');
    const filler: string[] = [];
    for (let bytes = 0, i = 0; bytes <= MAX_STAGE_SPAN_BYTES; i++) {
      const text = line(`f-${i}`, 'ResponseComplete', 5);
      filler.push(text);
      bytes += text.length + 1;
    }
    writeFileSync(file, `${[LINES[0], ...filler, LINES[2], LINES[4]].join('\n')}\n`);
    const index = await indexOf(file);
    const exec = await readRequestStages(index, rowOf(index, EXEC));
    assert.deepEqual(exec.events.map((e) => e.stage), ['ResponseComplete']);
    assert.equal(exec.partial, true);
  });

  it('shows the other stages in the details of the viewer, redacted like the primary one', async () => {
    const file = join(tmp, 'viewer.log');
    writeFileSync(file, `${LINES.join('\n')}\n`);
    const sessions = new ViewerSessions();
    const { sessionId } = await sessions.open(file);
    try {
      const session = sessions.get(sessionId);
      await session.setQuery(`auditID:${EXEC}`);
      const details = await session.event(0, false);
      assert.match(details.json, /"stage": "ResponseComplete"/);
      assert.deepEqual(details.otherStages.map((s) => s.stage), ['RequestReceived', 'ResponseStarted']);
      assert.match(details.otherStages[0]!.json, /"stage": "RequestReceived"/);
      assert.equal(details.stagesPartial, false);
    } finally {
      sessions.close(sessionId);
    }
  });
});
