import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { AuditStreamParser } from '../../../../server/src/auditlog/reader/auditStreamParser';
import { parseAuditText, readAuditLog } from '../../../../server/src/auditlog/reader/readAuditLog';
import { rotatedFileSet } from '../../../../server/src/auditlog/reader/rotatedFiles';
import { groupRequests } from '../../../../server/src/auditlog/requests';
import { testTempDir } from '../../../harness/tempDir';

function event(id: string, stage = 'ResponseComplete', extra = ''): string {
  return `{"auditID":"${id}","stage":"${stage}","verb":"get","user":{"username":"u"},"requestURI":"/api/v1/pods"${extra}}`;
}

function parse(content: string | Buffer, maxRecordBytes?: number) {
  const events: NormalizedEvent[] = [];
  const summary = parseAuditText(content, (e) => events.push(e), maxRecordBytes ? { maxRecordBytes } : {});
  return { events, summary };
}

const tmp = testTempDir('k8s-audit-reader-');

describe('streaming reader', () => {
  it('counts and explains bad lines without stopping', () => {
    const lines = [
      event('a'),
      'this is not json',
      `${event('b').slice(0, 40)}[Truncated...]`,
      '{"kind": 0}',
      '',
      '   ',
      '42',
      event('c'),
      event('d').slice(0, 30),
    ];
    const { events, summary } = parse(lines.join('\n'));
    assert.deepEqual(events.map((e) => e.auditID), ['a', 'c']);
    assert.deepEqual(
      summary.skipped.map((s) => s.line),
      [2, 3, 4, 7, 9],
    );
    assert.match(summary.skipped[0]!.reason, /not JSON and not a known audit text format/);
    assert.match(summary.skipped[1]!.reason, /Truncated/);
    assert.match(summary.skipped[2]!.reason, /not an audit event/);
    assert.match(summary.skipped[4]!.reason, /incomplete last line/);
  });

  it('reads CRLF line ends and a UTF-8 BOM, keeping byte offsets exact', () => {
    const text = `\uFEFF${event('a')}\r\n${event('b')}\r\n`;
    const { events, summary } = parse(text);
    assert.equal(summary.skippedCount, 0);
    assert.deepEqual(events.map((e) => [e.auditID, e.line, e.offset]), [
      ['a', 1, 3],
      ['b', 2, Buffer.byteLength(`\uFEFF${event('a')}\r\n`)],
    ]);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    const text = Buffer.from(`${event('a', 'RequestReceived')}\n${event('a')}\nnoise\n${event('é')}\n`);
    const whole = parse(text);
    const events: NormalizedEvent[] = [];
    const parser = new AuditStreamParser((e) => events.push(e));
    for (let i = 0; i < text.length; i += 7) parser.push(text.subarray(i, i + 7));
    const summary = parser.end();
    assert.deepEqual(events.map((e) => [e.auditID, e.line, e.offset]), whole.events.map((e) => [e.auditID, e.line, e.offset]));
    assert.deepEqual(summary.skipped, whole.summary.skipped);
    assert.equal(events[2]!.auditID, 'é');
  });

  it('skips a line longer than the limit without holding it, then carries on', () => {
    const huge = event('big', 'ResponseComplete', `,"requestObject":{"x":"${'y'.repeat(5000)}"}`);
    const { events, summary } = parse([event('a'), huge, event('c')].join('\n'), 1000);
    assert.deepEqual(events.map((e) => e.auditID), ['a', 'c']);
    assert.equal(summary.skipped[0]!.line, 2);
    assert.match(summary.skipped[0]!.reason, /longer than the 1000-byte limit/);
    // Under the default limit the same line is an ordinary event.
    assert.equal(parse(huge).events.length, 1);
  });

  it('never crashes on odd JSON shapes', () => {
    const odd = ['{"kind":0}', '{"auditID":5,"requestURI":"/x","verb":{},"user":"x","objectRef":[1],"sourceIPs":"ip","responseStatus":{"code":"200"}}', 'null', '[1,2]', '{"verb":"get","user":{"groups":[1,"g",null]}}'];
    const { events, summary } = parse(odd.join('\n'));
    assert.equal(events.length, 2);
    assert.equal(events[0]!.code, null);
    assert.deepEqual(events[1]!.groups, ['g']);
    assert.equal(summary.skippedCount, 4);
  });

  it('reads gzip files, and reports damage without failing', async () => {
    const text = Array.from({ length: 2000 }, (_, i) => event(`id-${i}`)).join('\n') + '\n';
    const gz = join(tmp, 'audit.log.gz');
    writeFileSync(gz, gzipSync(text));
    const good = await readAuditLog(gz, () => undefined);
    assert.equal(good.gzip, true);
    assert.equal(good.events, 2000);

    const cut = join(tmp, 'cut.log.gz');
    const bytes = gzipSync(text);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const damaged = await readAuditLog(cut, () => undefined);
    assert.ok(damaged.events > 0 && damaged.events < 2000, `read ${damaged.events} events`);
    assert.ok(damaged.skipped.some((s) => /gzip data damaged/.test(s.reason)), JSON.stringify(damaged.skipped));
  });

  it('rejects only when the file cannot be opened', async () => {
    await assert.rejects(readAuditLog(join(tmp, 'missing.log'), () => undefined), /ENOENT/);
  });

  it('orders a rotated file set oldest first', async () => {
    const folder = testTempDir('k8s-audit-rotated-');
    for (const name of ['audit.log', 'audit.log.1', 'audit.log.2.gz', 'audit-2026-03-01T10-00-00.000.log.gz', 'audit-2026-02-28T10-00-00.000.log', 'other.log']) {
      writeFileSync(join(folder, name), '');
    }
    const files = await rotatedFileSet(join(folder, 'audit.log'));
    assert.deepEqual(files.map((f) => f.slice(folder.length + 1)), [
      'audit.log.2.gz',
      'audit.log.1',
      'audit-2026-02-28T10-00-00.000.log',
      'audit-2026-03-01T10-00-00.000.log.gz',
      'audit.log',
    ]);
  });

  it('groups stages into one request per auditID', () => {
    const { events } = parse([event('a', 'RequestReceived'), event('b'), event('a', 'ResponseStarted'), event('a'), '{"verb":"get"}'].join('\n'));
    const requests = groupRequests(events);
    assert.deepEqual(requests.map((r) => [r.auditID, r.stages.length, r.primary.stage]), [
      ['b', 1, 'ResponseComplete'],
      ['a', 3, 'ResponseComplete'],
      ['', 1, ''],
    ]);
  });

  it('ranks stage names that are Object.prototype members like any unknown stage', () => {
    // An unknown stage ranks below RequestReceived, whatever its name.
    for (const stage of ['Foo', 'constructor', 'toString', '__proto__']) {
      const { events } = parse([event('a', stage), event('a', 'RequestReceived')].join('\n'));
      const [request] = groupRequests(events);
      assert.equal(request!.primary.stage, 'RequestReceived', stage);
    }
  });
});
