// Damaged or unreadable input in the viewer: the status names it apart from the ordinary skipped
// lines, so the viewer never shows a partial (or empty) result as if it were the whole file.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ViewerSessions } from '../../../../server/src/auditlog/viewer/viewerSessions';
import type { ViewerStatus } from '../../../../server/src/protocol/logViewer';
import { generateLog } from '../index/helpers';

const tmp = mkdtempSync(join(tmpdir(), 'k8s-audit-viewer-damaged-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const plain = join(tmp, 'audit.log');
generateLog(plain, 400);
const plainText = readFileSync(plain);
const gz = gzipSync(plainText);

async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The status once the whole file is indexed (on a busy machine `open` can answer before that). */
async function openStatus(path: string): Promise<ViewerStatus> {
  const sessions = new ViewerSessions();
  const { sessionId } = await sessions.open(path);
  try {
    const session = sessions.get(sessionId);
    await until(() => !session.status().indexing, 'indexing to finish');
    return session.status();
  } finally {
    sessions.close(sessionId);
  }
}

describe('the viewer on damaged or unreadable input', () => {
  it('a truncated .gz: a warning where the data ends, not a skipped line; the rows before it are shown', async () => {
    const path = join(tmp, 'cut.log.gz');
    writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
    const status = await openStatus(path);
    assert.ok(status.totalRows > 0 && status.totalRows < 400, String(status.totalRows));
    assert.equal(status.warnings.length, 1, JSON.stringify(status.warnings));
    const [warning] = status.warnings;
    assert.equal(warning!.kind, 'gzip-ends-early');
    assert.ok(warning!.line! > 1);
    assert.equal(warning!.message, `The gzip data ends early at line ${warning!.line}: the rest of the file could not be read.`);
    // The ordinary "N lines skipped" list is for odd records; the damage is not one of them.
    assert.equal(status.skippedCount, 0);
    assert.deepEqual(status.skipped, []);
  });

  it('gzip data damaged in the middle: the rest of the file could not be read', async () => {
    const path = join(tmp, 'corrupt.log.gz');
    const bytes = Buffer.from(gz);
    for (let i = Math.floor(bytes.length / 2); i < Math.floor(bytes.length / 2) + 64; i++) bytes[i] = 0xff - bytes[i]!;
    writeFileSync(path, bytes);
    const status = await openStatus(path);
    // zlib may inflate some garbage before it notices (those lines are skipped as usual); then it stops.
    const gzipWarnings = status.warnings.filter((w) => w.kind.startsWith('gzip'));
    assert.equal(gzipWarnings.length, 1, JSON.stringify(status.warnings));
    assert.match(gzipWarnings[0]!.message, /^The gzip data is damaged at line \d+: the rest of the file could not be read\.$/);
  });

  it('a binary file: one clear message that it was not read, no skipped line', async () => {
    const path = join(tmp, 'program.log');
    writeFileSync(path, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, ...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)]));
    const status = await openStatus(path);
    assert.equal(status.totalRows, 0);
    assert.deepEqual(
      status.warnings.map((w) => [w.kind, w.message]),
      [['not-text', 'This file was not read: binary data, not text (byte 0x02 at offset 4).']],
    );
    assert.equal(status.skippedCount, 0);
  });

  it('an xz file says to decompress it', async () => {
    const path = join(tmp, 'audit.log.xz');
    writeFileSync(path, Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00, 0x04, 0xe6, 0xd6, 0xb4, 0x46]));
    const status = await openStatus(path);
    assert.deepEqual(status.warnings.map((w) => w.message), ['This file was not read: xz-compressed data, not text: decompress it first (only gzip is read).']);
  });

  it('binary bytes on some lines: those lines are named as damage, the rest is read', async () => {
    const path = join(tmp, 'holes.log');
    const lines = plainText.toString('utf8').split('\n');
    const first = lines.slice(0, 10).join('\n');
    writeFileSync(path, Buffer.concat([Buffer.from(`${first}\n`), Buffer.from('\x00\x00\x00\x00junk\n', 'latin1'), Buffer.from(lines.slice(10).join('\n'))]));
    const status = await openStatus(path);
    assert.ok(status.totalRows > 100);
    assert.deepEqual(status.warnings.map((w) => [w.kind, w.line]), [['binary-line', 11]]);
    assert.match(status.warnings[0]!.message, /^Line 11 holds binary data, not text \(byte 0x00 at offset \d+\): it was skipped, the rest was read\.$/);
    assert.equal(status.skippedCount, 0);
  });

  it('a file that cannot be read: says why instead of showing an empty log', async () => {
    const folder = join(tmp, 'folder.log');
    mkdirSync(folder);
    assert.deepEqual((await openStatus(folder)).warnings.map((w) => [w.kind, w.message]), [['unreadable', 'folder.log could not be read: is a folder, not a file.']]);
    assert.deepEqual((await openStatus(join(tmp, 'missing.log'))).warnings.map((w) => w.message), ['missing.log could not be read: no such file.']);
  });

  it('a followed file that goes away says so, and is read again when it comes back', async () => {
    const path = join(tmp, 'followed.log');
    writeFileSync(path, plainText);
    const statuses: ViewerStatus[] = [];
    const sessions = new ViewerSessions((_id, status) => statuses.push(status), 50);
    const { sessionId } = await sessions.open(path);
    try {
      const session = sessions.get(sessionId);
      await until(() => !session.status().indexing, 'indexing to finish');
      const status = session.status();
      assert.equal(status.totalRows, 400);
      assert.deepEqual(status.warnings, []);
      unlinkSync(path);
      await until(() => statuses.some((s) => s.warnings.some((w) => w.kind === 'unreadable')), 'the missing file to be reported');
      assert.equal(statuses.at(-1)!.warnings[0]!.message, 'followed.log could not be read: no such file.');
      writeFileSync(path, plainText);
      await until(() => statuses.at(-1)!.totalRows === 400 && !statuses.at(-1)!.indexing, 'the file to be read again');
      assert.deepEqual(statuses.at(-1)!.warnings, []);
    } finally {
      sessions.close(sessionId);
    }
  });

  it('an intact log has no warnings', async () => {
    const status = await openStatus(plain);
    assert.deepEqual(status.warnings, []);
    assert.equal(status.totalRows, 400);
  });
});
