import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { buildLogIndex, queryIndex, readRow, refreshLogIndex, timeOrder, type LogIndex } from '../../../../server/src/auditlog/index';
import { readLogSet } from '../../../../server/src/auditlog/readLogSet';
import { indexKeys, QUERIES, NOW, streamingKeys, streamingRequests } from './helpers';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-index-segments-');
let counter = 0;

function line(id: string, stage: string, extra: Record<string, unknown> = {}): string {
  const second = String(counter++ % 60).padStart(2, '0');
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID: id, stage, verb: 'get', requestURI: `/api/v1/namespaces/ns/pods/${id}`,
    user: { username: `user-${id}`, groups: ['g'] }, objectRef: { resource: 'pods', namespace: 'ns', name: id },
    requestReceivedTimestamp: `2026-02-22T10:00:${second}.000000Z`, stageTimestamp: `2026-02-22T10:00:${second}.004000Z`,
    ...(stage === 'ResponseComplete' ? { responseStatus: { code: 200 } } : {}),
    ...extra,
  });
}

function filler(prefix: string, n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(line(`${prefix}${i}`, 'RequestReceived'), line(`${prefix}${i}`, 'ResponseComplete'));
  return lines;
}

async function build(path: string, threads: number): Promise<LogIndex> {
  const b = buildLogIndex([path], { threads, splitMinBytes: 1 });
  const report = await b.done;
  assert.deepEqual(report.errors, []);
  return b.index;
}

async function assertLikeStreaming(index: LogIndex, paths: string[]): Promise<void> {
  const requests = await streamingRequests(paths);
  assert.equal(index.requestCount, requests.length);
  for (const query of ['', 'stage:ResponseComplete', 'stage:RequestReceived', 'user:user-x*', 'code:200', '-code:*']) {
    assert.deepEqual(indexKeys(index, (await queryIndex(index, query, { now: NOW })).rows), streamingKeys(requests, query), query);
  }
  // Stage masks and first-stage lines agree too.
  const expected = new Map(requests.map((r) => [`${r.auditID}@${r.stages[0]!.line}`, r.stages.map((s) => s.stage).sort().join(',')]));
  for (const row of timeOrder(index)) {
    const r = readRow(index, row);
    assert.equal([...r.stages].sort().join(','), expected.get(`${r.auditID}@${r.firstLine}`), `stages of ${r.auditID}`);
  }
}

describe('log index: segments, merges, appends and damage', () => {
  it('merges requests whose stages straddle the split between two workers', async () => {
    const path = join(tmp, 'straddle.log');
    const lines = [
      ...filler('a', 40),
      line('x-straddle', 'RequestReceived'),
      line('y-started', 'RequestReceived'),
      line('y-started', 'ResponseStarted', { responseStatus: { code: 101 } }),
      line('z-open', 'RequestReceived'),
      line('w-dup', 'ResponseComplete'),
      ...filler('b', 10),
      ...filler('c', 10),
      line('x-straddle', 'ResponseComplete', { verb: 'delete' }),
      line('y-started', 'ResponseComplete', { responseStatus: { code: 500 } }),
      line('w-dup', 'ResponseComplete'),
      ...filler('d', 40),
    ];
    writeFileSync(path, `${lines.join('\n')}\n`);
    const index = await build(path, 2);
    assert.equal(index.segments.length, 2);
    const split = index.segments[1]!.start;
    const text = readFileSync(path, 'utf8');
    assert.ok(split > text.indexOf('x-straddle') && split < text.lastIndexOf('x-straddle'), 'the split falls inside request x');
    await assertLikeStreaming(index, [path]);
    const rows = [...timeOrder(index)].map((row) => readRow(index, row));
    const x = rows.filter((r) => r.auditID === 'x-straddle');
    assert.equal(x.length, 1);
    assert.deepEqual([x[0]!.verb, x[0]!.stages, x[0]!.incomplete, x[0]!.firstLine], ['delete', ['RequestReceived', 'ResponseComplete'], false, 81]);
    assert.equal(x[0]!.line, text.slice(0, text.lastIndexOf('x-straddle')).split('\n').length);
    const y = rows.find((r) => r.auditID === 'y-started')!;
    assert.deepEqual([y.code, y.stages.length], [500, 3]);
    assert.equal(rows.find((r) => r.auditID === 'z-open')!.incomplete, true);
    assert.equal(rows.filter((r) => r.auditID === 'w-dup').length, 2, 'a reused auditID after a final stage is a new request, as in the grouper');
    // Both builds list the same rows in the same order.
    const one = await build(path, 1);
    assert.deepEqual(indexKeys(one, timeOrder(one)), indexKeys(index, timeOrder(index)));
  });

  it('reports skipped lines with their line numbers in either segment', async () => {
    const path = join(tmp, 'skips.log');
    const lines = [...filler('a', 30), 'not json at all', '{"kind": 0}', ...filler('b', 30), '{"auditID": "broken', ...filler('c', 5)];
    writeFileSync(path, `${lines.join('\n')}\n`);
    const streaming = await readLogSet([path], () => undefined);
    const expected = streaming.summaries[0]!.skipped.map((s) => [s.line, s.reason]);
    assert.equal(expected.length, 3);
    for (const threads of [0, 2]) {
      const index = await build(path, threads);
      if (threads === 2) assert.equal(index.segments.length, 2);
      assert.deepEqual(index.skipped().map((s) => [s.line, s.reason]), expected, `threads ${threads}`);
      assert.equal(index.skippedCount(), 3);
    }
  });

  it('handles a truncated final line like the reader, and picks it up once it is complete', async () => {
    const path = join(tmp, 'growing.log');
    const whole = line('t-last', 'ResponseComplete');
    writeFileSync(path, `${filler('a', 3).join('\n')}\n${line('open', 'RequestReceived')}\n${whole.slice(0, 50)}`);
    const index = await build(path, 0);
    assert.deepEqual(index.skipped().map((s) => [s.line, s.reason]), [[8, 'incomplete last line (the file may still be being written)']]);
    assert.equal(index.requestCount, 4);
    appendFileSync(path, `${whole.slice(50)}\n${line('open', 'ResponseComplete')}\n${line('n-new', 'ResponseComplete')}\n`);
    const refresh = await refreshLogIndex(index);
    assert.equal(refresh.outcome, 'appended');
    assert.equal(refresh.index, index);
    await refresh.done;
    assert.deepEqual(index.skipped(), []);
    await assertLikeStreaming(index, [path]);
    const open = [...timeOrder(index)].map((row) => readRow(index, row)).filter((r) => r.auditID === 'open');
    assert.deepEqual(open.map((r) => [r.stages, r.incomplete, r.firstLine, r.line]), [[['RequestReceived', 'ResponseComplete'], false, 7, 9]]);
    const unchanged = await refreshLogIndex(index);
    assert.equal(unchanged.outcome, 'unchanged');
  });

  it('continues after a complete but unterminated last line once its newline arrives', async () => {
    const path = join(tmp, 'unterminated.log');
    writeFileSync(path, `${filler('a', 2).join('\n')}\n${line('u', 'RequestReceived')}`);
    const index = await build(path, 0);
    assert.equal(index.requestCount, 3);
    appendFileSync(path, `\n${line('u', 'ResponseComplete')}\n`);
    const refresh = await refreshLogIndex(index);
    assert.equal(refresh.outcome, 'appended');
    await refresh.done;
    await assertLikeStreaming(index, [path]);
  });

  it('rebuilds when the file was rotated (shrank or changed its first bytes)', async () => {
    const path = join(tmp, 'rotated.log');
    writeFileSync(path, `${filler('a', 20).join('\n')}\n`);
    const index = await build(path, 0);
    writeFileSync(path, `${filler('b', 5).join('\n')}\n`);
    const refresh = await refreshLogIndex(index);
    assert.equal(refresh.outcome, 'rebuilt');
    assert.notEqual(refresh.index, index);
    await refresh.done;
    await assertLikeStreaming(refresh.index, [path]);
  });

  it('indexes appended data of a large file with workers, merging requests left open', async () => {
    const path = join(tmp, 'append-big.log');
    writeFileSync(path, `${[...filler('a', 50), line('x-open', 'RequestReceived')].join('\n')}\n`);
    const index = await build(path, 2);
    appendFileSync(path, `${[...filler('b', 50), line('x-open', 'ResponseComplete')].join('\n')}\n`);
    const refresh = await refreshLogIndex(index);
    await refresh.done;
    await assertLikeStreaming(index, [path]);
  });

  it('reads a damaged gzip up to the damage and reports it, as the reader does', async () => {
    const plain = `${filler('g', 400).join('\n')}\n`;
    const gz = gzipSync(plain);
    const damaged = Buffer.from(gz);
    for (let i = Math.floor(gz.length / 2); i < Math.floor(gz.length / 2) + 64; i++) damaged[i] = damaged[i]! ^ 0x5a;
    const path = join(tmp, 'damaged.log.gz');
    writeFileSync(path, damaged);
    const streaming = await readLogSet([path], () => undefined);
    const index = await build(path, 2);
    assert.equal(index.segments.length, 1, 'gzip is never split');
    assert.deepEqual(index.skipped().map((s) => [s.line, s.reason]), streaming.summaries[0]!.skipped.map((s) => [s.line, s.reason]));
    assert.ok(index.skipped().some((s) => /gzip data damaged/.test(s.reason)));
    await assertLikeStreaming(index, [path]);
    // A body query on a gzip file streams it again instead of seeking.
    const truncated = join(tmp, 'truncated.log.gz');
    writeFileSync(truncated, gz.subarray(0, gz.length - 100));
    const t = await build(truncated, 0);
    await assertLikeStreaming(t, [truncated]);
    const requests = await streamingRequests([truncated]);
    for (const query of QUERIES.filter((q) => q.includes('Object'))) {
      assert.deepEqual(indexKeys(t, (await queryIndex(t, query, { now: NOW })).rows), streamingKeys(requests, query), query);
    }
  });

  it('reads empty, missing, BOM and CRLF files like the reader', async () => {
    const empty = join(tmp, 'empty.log');
    writeFileSync(empty, '');
    const missing = join(tmp, 'missing.log');
    const crlf = join(tmp, 'crlf.log');
    writeFileSync(crlf, `\uFEFF${filler('r', 60).join('\r\n')}\r\n`);
    const b = buildLogIndex([empty, missing, crlf], { threads: 2, splitMinBytes: 1 });
    const report = await b.done;
    assert.deepEqual(report.errors.map((e) => e.file), [missing]);
    assert.equal(b.index.segments.filter((s) => s.file === 1).length, 2, 'the CRLF file was split');
    await assertLikeStreaming(b.index, [empty, crlf]);
    const rows = [...timeOrder(b.index)].map((row) => readRow(b.index, row));
    const streaming = await streamingRequests([crlf]);
    const lines = new Map(streaming.map((r) => [r.auditID, [r.stages[0]!.line, r.stages[0]!.offset, r.primary.line, r.primary.offset]]));
    for (const r of rows) assert.deepEqual([r.firstLine, r.firstOffset, r.line, r.offset], lines.get(r.auditID), r.auditID);
  });
});
