// Input that is not an audit log or is damaged: the reader says what is wrong and where, once. The
// viewer's "lines skipped" report comes from the same parser (through the log index), so it is
// checked here too.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { buildLogIndex } from '../../../../server/src/auditlog/index';
import { parseAuditText, readAuditLog } from '../../../../server/src/auditlog/reader/readAuditLog';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-damaged-');

function line(i: number): string {
  return JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `id-${i}`, stage: 'ResponseComplete', verb: 'get', user: { username: `user-${i % 7}` }, requestURI: '/api/v1/pods', objectRef: { resource: 'pods', namespace: 'default' }, responseStatus: { code: 200 } });
}

/** Bytes of an executable-like file: a header with NULs, then a few short "lines". */
function binaryBytes(): Buffer {
  const bytes = Buffer.alloc(3000);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) % 251;
  bytes.write('\x7fELF\x02\x01\x01\x00', 0, 'latin1');
  return bytes;
}

async function viewerSkips(path: string) {
  const build = buildLogIndex([path], { threads: 0 });
  const report = await build.done;
  return { skipped: report.index.skipped().map((s) => ({ line: s.line, reason: s.reason })), events: report.events };
}

describe('input that is not text', () => {
  it('a binary file is "not text", once, with where; never an incomplete last line', async () => {
    const path = join(tmp, 'program.log');
    writeFileSync(path, binaryBytes());
    const summary = await readAuditLog(path, () => undefined);
    assert.equal(summary.events, 0);
    assert.deepEqual(summary.skipped.map((s) => [s.line, s.reason]), [[1, 'binary data, not text (byte 0x02 at offset 4): the file was not read']]);
    assert.equal(summary.damaged, true);
    assert.deepEqual((await viewerSkips(path)).skipped, [{ line: 1, reason: 'binary data, not text (byte 0x02 at offset 4): the file was not read' }]);
  });

  it('names compressed files it cannot read and UTF-16 text', () => {
    const cases: [Buffer, RegExp][] = [
      [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04]), /^xz-compressed data, not text: decompress it first \(only gzip is read\)/],
      [Buffer.from('BZh91AY&SY\x01\x02', 'latin1'), /^bzip2-compressed data, not text: decompress it first/],
      [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00]), /^zstd-compressed data, not text: decompress it first/],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), /^a zip archive, not text: extract it first/],
      [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${line(1)}\n`, 'utf16le')]), /^UTF-16 text: convert the file to UTF-8 first \(iconv -f UTF-16 -t UTF-8\)/],
    ];
    for (const [bytes, reason] of cases) {
      const summary = parseAuditText(bytes, () => undefined);
      assert.equal(summary.skipped.length, 1, String(reason));
      assert.match(summary.skipped[0]!.reason, reason);
      assert.equal(summary.damaged, true);
    }
  });

  it('binary bytes inside a log: that line is "binary data" with its offset, the rest is read', () => {
    const garbage = Buffer.from('\x00\x00\x13\x07junk', 'latin1');
    const text = Buffer.concat([Buffer.from(`${line(1)}\n`), garbage, Buffer.from(`\n${line(2)}\n`)]);
    const events: string[] = [];
    const summary = parseAuditText(text, (e) => events.push(e.auditID));
    assert.deepEqual(events, ['id-1', 'id-2']);
    assert.deepEqual(summary.skipped.map((s) => [s.line, s.reason]), [[2, `binary data, not text (byte 0x00 at offset ${line(1).length + 1})`]]);
    assert.equal(summary.damaged, true);
  });

  it('binary bytes on the last line are still binary, not an incomplete line', () => {
    const summary = parseAuditText(Buffer.concat([Buffer.from(`${line(1)}\n{"kind":`), Buffer.from([0x00, 0x01, 0x02])]), () => undefined);
    assert.match(summary.skipped[0]!.reason, /^binary data, not text \(byte 0x00 at offset \d+\)$/);
  });

  it('an ordinary unfinished last line is not damage', () => {
    const summary = parseAuditText(`${line(1)}\n${line(2).slice(0, 30)}`, () => undefined);
    assert.match(summary.skipped[0]!.reason, /incomplete last line/);
    assert.equal(summary.damaged, false);
  });
});

describe('a truncated .gz', () => {
  const text = `${Array.from({ length: 3000 }, (_, i) => line(i)).join('\n')}\n`;
  const gz = gzipSync(text);
  const path = join(tmp, 'cut.log.gz');
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));

  it('is one skipped entry at the line where the data ends, in the reader and in the viewer', async () => {
    const summary = await readAuditLog(path, () => undefined);
    assert.ok(summary.events > 0 && summary.events < 3000);
    assert.equal(summary.damaged, true);
    assert.equal(summary.skipped.length, 1, JSON.stringify(summary.skipped));
    assert.equal(summary.skipped[0]!.line, summary.events + 1);
    assert.equal(summary.skipped[0]!.reason, 'gzip data damaged (unexpected end of file): nothing after this point was read');
    const viewer = await viewerSkips(path);
    assert.deepEqual(viewer.skipped, summary.skipped.map((s) => ({ line: s.line, reason: s.reason })));
  });

  it('reads the same lines however slowly it is read: all zlib hands over before the damage', async () => {
    const fast = await readAuditLog(path, () => undefined);
    const slow = await readAuditLog(path, () => undefined, { afterChunk: () => new Promise((resolve) => setTimeout(resolve, 2)) });
    assert.equal(slow.events, fast.events);
    assert.deepEqual(slow.skipped, fast.skipped);
    // A lenient gunzip recovers a little more: zlib drops the output of the call that fails (at most
    // its 16 KiB output chunk), never more.
    const recovered = gunzipSync(gz.subarray(0, Math.floor(gz.length / 2)), { finishFlush: constants.Z_SYNC_FLUSH });
    const wholeLines = recovered.toString('utf8').split('\n').length - 1;
    const lineBytes = Buffer.byteLength(line(0)) + 1;
    assert.ok(fast.events <= wholeLines && wholeLines - fast.events <= Math.ceil(16384 / lineBytes), `${fast.events} of ${wholeLines}`);
  });
});
