import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildLogIndex, type BuildOptions, type LogIndex } from '../../../../server/src/auditlog/index';
import { NUMBER_COLUMNS, STRING_COLUMNS } from '../../../../server/src/auditlog/index/schema';
import { fuzzLog } from '../reader/fuzzLog';
import { testTempDir } from '../../../harness/tempDir';
import { corpusLogs, fixtureLogs } from '../../helpers';
import { generateLog } from './helpers';

/** Everything an index holds, row by row, as plain data (rows sorted when two workers appended them, in either order). */
function dump(index: LogIndex, sorted: boolean): Record<string, unknown> {
  const rows: Record<string, unknown>[] = [];
  for (let row = 0; row < index.rowCount; row++) {
    rows.push({
      text: STRING_COLUMNS.map((column) => index.text(row, column)),
      numbers: NUMBER_COLUMNS.map((column) => index.number(row, column)),
      lines: [index.line(row, 'first'), index.line(row, 'primary'), index.fileOf(row, 'first'), index.fileOf(row, 'primary')],
      stages: index.stageMask.data[row],
      flags: index.flags.data[row],
      auditID: index.auditID(row),
      detectors: [...index.detectorsOf(row)].map((entry) => `${index.detectorIds[entry >> 1]}:${entry & 1 ? 'unknown' : 'hit'}`).sort(),
    });
  }
  const files = index.files.map(({ lines: _lines, ...file }) => file);
  const key = (row: Record<string, unknown>) => JSON.stringify([row.numbers, row.auditID, row.flags]);
  if (sorted) rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { rows, files, requests: index.requestCount, skipped: index.skipped(), skippedCount: index.skippedCount() };
}

async function built(paths: string[], options: BuildOptions): Promise<LogIndex> {
  const build = buildLogIndex(paths, { maxSkippedDetails: 10_000, ...options });
  const report = await build.done;
  assert.deepEqual(report.errors, []);
  return build.index;
}

/** The index built with the field scanner equals the one built with JSON.parse alone; returns the lines scanned. */
async function assertSameIndex(paths: string[], options: BuildOptions = { threads: 0 }): Promise<number> {
  const sorted = options.threads !== 0;
  const expected = dump(await built(paths, { ...options, fieldScanner: false }), sorted);
  const index = await built(paths, { ...options, fieldScanner: true });
  const actual = dump(index, sorted);
  assert.deepEqual(actual.files, expected.files, `${paths.join(', ')}: files`);
  assert.deepEqual(actual.skipped, expected.skipped, `${paths.join(', ')}: skipped lines`);
  assert.equal(actual.skippedCount, expected.skippedCount);
  assert.equal(actual.requests, expected.requests, `${paths.join(', ')}: requests`);
  const rows = expected.rows as unknown[];
  for (let row = 0; row < rows.length; row++) assert.deepEqual((actual.rows as unknown[])[row], rows[row], `${paths.join(', ')}: row ${row}`);
  assert.equal((actual.rows as unknown[]).length, rows.length);
  return index.files.reduce((sum, file) => sum + (file.lines?.scanned ?? 0), 0);
}

const tmp = testTempDir('k8s-audit-scanner-index-');

describe('log index: the field scanner gives the same rows, detections and skipped lines as JSON.parse', () => {
  it('on every corpus log, one by one and all at once', async (t) => {
    const files = corpusLogs(t);
    if (files === null) return;
    let scanned = 0;
    for (const file of files) scanned += await assertSameIndex([file]);
    await assertSameIndex(files);
    assert.ok(scanned > 0, 'the corpus has lines the scanner reads');
  });

  it('on every fixture log, and on all of them at once', async () => {
    const files = fixtureLogs();
    for (const file of files) await assertSameIndex([file]);
    await assertSameIndex(files);
  });

  it('on a generated log, on this thread and split between two workers', async () => {
    const file = join(tmp, 'generated.log');
    generateLog(file, 3000, 5);
    assert.ok((await assertSameIndex([file])) > 0);
    await assertSameIndex([file], { threads: 2, splitMinBytes: 1 });
    await assertSameIndex([file], { threads: 0, fieldScannerInputBytes: 2000 });
  });

  it('on thousands of requests open at once, completing in another order', async () => {
    const file = join(tmp, 'interleaved.log');
    const ids = Array.from({ length: 5000 }, (_, i) => `${(i * 2654435761) % 4294967296}-${i}`);
    const line = (id: string, stage: string) => JSON.stringify({ kind: 'Event', auditID: id, stage, verb: 'get', requestURI: `/api/v1/pods/${id}`, objectRef: { resource: 'pods', name: id }, requestReceivedTimestamp: '2026-02-22T10:00:00.000000Z' });
    const order = ids.map((id, i) => ({ id, key: (i * 7919) % 5003 })).sort((a, b) => a.key - b.key);
    // Some never complete: they are written by the end of the segment, oldest first.
    const text = [...ids.map((id) => line(id, 'RequestReceived')), ...order.filter((_, i) => i % 97 !== 0).map(({ id }) => line(id, 'ResponseComplete'))].join('\n');
    writeFileSync(file, `${text}\n`);
    await assertSameIndex([file]);
    await assertSameIndex([file], { threads: 0, fieldScannerInputBytes: 4096 });
  });

  it('on a line longer than the scanner reads at once', async () => {
    const file = join(tmp, 'long.log');
    const long = { kind: 'Event', auditID: 'long', stage: 'ResponseComplete', verb: 'create', objectRef: { resource: 'configmaps', namespace: 'app' }, requestObject: { data: { big: 'x'.repeat(2 * 1024 * 1024) } } };
    writeFileSync(file, `${JSON.stringify({ ...long, auditID: 'short', requestObject: {} })}\n${JSON.stringify(long)}\n${JSON.stringify({ ...long, auditID: 'after', requestObject: null })}\n`);
    await assertSameIndex([file]);
  });

  it('on fuzzed logs, with scanner inputs that cut lines and requests anywhere (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fuzzLog, fc.integer({ min: 64, max: 4096 }), async (bytes, inputBytes) => {
        const file = join(tmp, `fuzz-${run++}.log`);
        writeFileSync(file, bytes);
        await assertSameIndex([file], { threads: 0, fieldScannerInputBytes: inputBytes });
      }),
      { numRuns: 150 },
    );
  });
});
