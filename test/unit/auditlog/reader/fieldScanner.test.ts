import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { AuditStreamParser, type ParseSummary } from '../../../../server/src/auditlog/reader/auditStreamParser';
import { FieldScanner, fieldScannerUnavailable } from '../../../../server/src/auditlog/reader/fieldScanner';
import { ScannedEvent } from '../../../../server/src/auditlog/reader/scannedEvent';
import { generateLog } from '../index/helpers';
import { testTempDir } from '../../../harness/tempDir';
import { corpusLogs, fixtureLogs } from '../../helpers';
import { fuzzLog, render } from './fuzzLog';

const FIELDS = ['time', 'auditID', 'stage', 'level', 'user', 'groups', 'impersonatedUser', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'requestURI', 'code', 'sourceIP', 'userAgent', 'latencyMs', 'format', 'file', 'line', 'offset'] as const;

/** Everything a NormalizedEvent says, as plain data (the decoded Event as JSON). */
function view(event: NormalizedEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = event[field];
  out.event = JSON.stringify(event.event);
  return out;
}

interface Read {
  events: Record<string, unknown>[];
  summary: Omit<ParseSummary, 'lines'>;
  scanned: number;
  fallback: number;
}

/** Parses bytes in chunks of `chunk` bytes, with a scanner of `capacity` bytes (or none). */
function read(bytes: Buffer, chunk: number, capacity: number | null): Read {
  const events: Record<string, unknown>[] = [];
  let scanned = 0;
  const scanner = capacity === null ? null : FieldScanner.create(capacity, 64);
  if (capacity !== null) assert.ok(scanner, fieldScannerUnavailable());
  const parser = new AuditStreamParser(
    (event) => {
      if (event instanceof ScannedEvent) scanned++;
      events.push(view(event));
    },
    { file: 3, maxSkippedDetails: 10_000, ...(scanner ? { scan: { scanner, beforeScan: () => undefined } } : {}) },
  );
  for (let at = 0; at < bytes.length; at += chunk) parser.push(bytes.subarray(at, at + chunk));
  const { lines, ...summary } = parser.end();
  // Files of pretty-printed documents are not read line by line: the scanner has no part in them.
  assert.equal(lines?.scanned ?? 0, scanned, 'scanned lines are counted');
  return { events, summary, scanned, fallback: lines?.fallback ?? 0 };
}

/** The scanner path gives what the JSON.parse path gives, event by event and skip by skip. */
function assertSame(bytes: Buffer, chunk: number, capacity: number, label: string): Read {
  const expected = read(bytes, chunk, null);
  const actual = read(bytes, chunk, capacity);
  assert.deepEqual(actual.summary, expected.summary, `${label}: summary`);
  assert.equal(actual.events.length, expected.events.length, `${label}: events`);
  for (let i = 0; i < expected.events.length; i++) assert.deepEqual(actual.events[i], expected.events[i], `${label}: event ${i}`);
  return actual;
}

const tmp = testTempDir('k8s-audit-scanner-');

describe('field scanner: same events as JSON.parse', () => {
  it('reads plain Event lines itself, and leaves everything else to JSON.parse', () => {
    const plain = `${render({ members: [['kind', 'Event'], ['auditID', 'a'], ['stage', 'ResponseComplete'], ['verb', 'get'], ['requestReceivedTimestamp', '2026-02-22T10:00:00.5Z']] }, 0)}\n`;
    assert.equal(assertSame(Buffer.from(plain), 1 << 20, 1 << 20, 'plain').scanned, 1);
    const unsure = [
      '{"auditID":"a","verb":"get","items":[]}', // a key an Event does not have
      '{"auditID":"a","verb":"get","verb":"list"}', // duplicate key
      '{"auditID":"a","\\u0076erb":"get"}', // escaped key
      '{"auditID":"a","verb":"gét"}', // non-ASCII in a field read
      '{"auditID":"a","verb":"get","requestReceivedTimestamp":"2026-02-22T10:00:00+01:00"}', // zone offset
      '{"auditID":"a","verb":"get","responseStatus":{"code":200.5}}', // not an integer
      '{"kind":"EventList","items":[]}',
      '{"auditID":"a","verb":"get"} trailing',
      '{"auditID":"a","user":{"username":"\\ud800"}}', // lone surrogate
      '{"auditID":"a\\"b","verb":"get"}', // escaped auditID
    ];
    const read = assertSame(Buffer.from(`${unsure.join('\n')}\n`), 1 << 20, 1 << 20, 'unsure');
    assert.equal(read.scanned, 0);
    assert.equal(read.fallback, unsure.length);
  });

  it('on every corpus log', (t) => {
    const files = corpusLogs(t);
    if (files === null) return;
    let scanned = 0;
    for (const file of files) {
      scanned += assertSame(readFileSync(file), 1 << 20, 1 << 20, file).scanned;
      assertSame(readFileSync(file), 977, 700, `${file} (small chunks)`);
    }
    assert.ok(scanned > 0, 'the corpus has lines the scanner reads');
  });

  it('on every fixture log', () => {
    const files = fixtureLogs();
    for (const file of files) {
      assertSame(readFileSync(file), 1 << 20, 1 << 20, file);
      assertSame(readFileSync(file), 333, 1000, `${file} (small chunks)`);
    }
  });

  it('on a generated log, in chunks and scanner sizes that cut lines everywhere', () => {
    const file = join(tmp, 'generated.log');
    generateLog(file, 400, 11);
    const bytes = readFileSync(file);
    const whole = assertSame(bytes, 1 << 20, 1 << 20, 'generated');
    assert.equal(whole.fallback, 0, 'kube-apiserver lines never fall back');
    for (const [chunk, capacity] of [[7777, 3000], [100_000, 500], [333, 700], [65_536, 64]] as const) assertSame(bytes, chunk, capacity, `chunk ${chunk}, scanner ${capacity}`);
  });

  it('on fuzzed logs (property: any chunking, any scanner size)', () => {
    let scanned = 0;
    let fallback = 0;
    fc.assert(
      fc.property(fuzzLog, fc.integer({ min: 1, max: 4096 }), fc.integer({ min: 64, max: 8192 }), (bytes, chunk, capacity) => {
        const result = assertSame(bytes, chunk, capacity, `chunk ${chunk}, scanner ${capacity}`);
        scanned += result.scanned;
        fallback += result.fallback;
      }),
      { numRuns: 300 },
    );
    assert.ok(scanned > 0 && fallback > 0, `both paths ran (scanned ${scanned}, fallback ${fallback})`);
  });
});
