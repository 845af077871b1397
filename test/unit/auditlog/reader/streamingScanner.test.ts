// readLogSet with the field scanner (what `k8s-audit query` and `scan` read with) against the
// JSON.parse path: the same requests, stages, fields and read problems, and the same query answers
// and detector findings when they are decided on the scanner's dictionary ids.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileDetectors, compileWindowDetectors, detectRequest, WindowScanner, type DetectorFinding } from '../../../../server/src/auditlog/detectors';
import { scannedDetectRequest, scannedRequestPredicate, scannedWindowDetectors } from '../../../../server/src/auditlog/index/scannedDecisions';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { compileQuery, parseQuery, requestPredicate } from '../../../../server/src/auditlog/query';
import { readLogSet, type LogSetResult } from '../../../../server/src/auditlog/readLogSet';
import { fieldScannerUnavailable } from '../../../../server/src/auditlog/reader/fieldScanner';
import { ScannedEvent } from '../../../../server/src/auditlog/reader/scannedEvent';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';
import { testTempDir } from '../../../harness/tempDir';
import { corpusLogs } from '../../helpers';
import { NOW, QUERIES } from '../index/helpers';
import { checkFixtureLogs, checkFuzzedPairs, damagedLogs, rotatedPair } from './scannerInputs';

const FIELDS = ['time', 'auditID', 'stage', 'level', 'user', 'groups', 'impersonatedUser', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'requestURI', 'code', 'sourceIP', 'userAgent', 'latencyMs', 'format', 'file', 'line', 'offset', 'recordBytes'] as const;

function eventView(event: NormalizedEvent, withBody = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = event[field];
  if (withBody) out.event = JSON.stringify(event.event);
  return out;
}

function findingView(finding: DetectorFinding): string {
  return JSON.stringify([finding.detector.id, finding.outcome, finding.reason, eventView(finding.event, false)]);
}

const ASTS = QUERIES.map((query) => parseQuery(query, { now: NOW }));
const DETECTORS = compileDetectors({ includeDisabled: true });
const WINDOW_DETECTORS = compileWindowDetectors({ includeDisabled: true });

interface Read {
  /** Per request: its stages (fields and decoded Event), its primary's position, query answers, findings. */
  requests: string[];
  windows: string[];
  result: Omit<LogSetResult, 'summaries'> & { summaries: unknown[] };
  /** Requests whose primary stage the scanner read, and stages held across a scan (then copied). */
  scannedPrimaries: number;
  heldCopies: number;
}

/** Reads the files as the CLI does; with the scanner, decides queries and detectors both ways and checks they agree. */
async function read(paths: string[], scanner: number | null): Promise<Read> {
  const requests: string[] = [];
  // Window conditions as scan decides them: on dictionary ids with the scanner (compared with the JSON.parse read below).
  const windows = new WindowScanner(scanner === null ? WINDOW_DETECTORS : scannedWindowDetectors(WINDOW_DETECTORS));
  const byIds = ASTS.map((ast) => scannedRequestPredicate(ast));
  const onEvents = ASTS.map((ast) => requestPredicate(compileQuery(ast)));
  const detect = scannedDetectRequest(DETECTORS);
  let scannedPrimaries = 0;
  let heldCopies = 0;
  const result = await readLogSet(
    paths,
    (request: AuditRequest) => {
      if (request.primary instanceof ScannedEvent) scannedPrimaries++;
      heldCopies += request.stages.filter((stage) => stage !== request.primary && !(stage instanceof ScannedEvent) && stage.format === 'k8s-json').length;
      const answers = onEvents.map((matches) => (matches(request) ? 1 : 0)).join('');
      const findings = detectRequest(request, DETECTORS).map(findingView);
      if (scanner !== null) {
        assert.equal(byIds.map((matches) => (matches(request) ? 1 : 0)).join(''), answers, `query answers for ${request.auditID}`);
        assert.deepEqual(detect(request).map(findingView), findings, `findings for ${request.auditID}`);
      }
      windows.add(request);
      requests.push(JSON.stringify({ auditID: request.auditID, primary: request.stages.indexOf(request.primary), stages: request.stages.map((e) => eventView(e)), answers, findings }));
    },
    scanner === null ? {} : { fieldScanner: true, fieldScannerInputBytes: scanner },
  );
  // Lines read by each path are the scanner's own statistic; everything else must be equal.
  const summaries = result.summaries.map(({ lines, ...summary }) => summary);
  return { requests, windows: windows.finish().map(findingView), result: { ...result, summaries }, scannedPrimaries, heldCopies };
}

async function assertSame(paths: string[], scanner: number, label: string): Promise<Read> {
  const expected = await read(paths, null);
  const actual = await read(paths, scanner);
  assert.deepEqual(actual.result, expected.result, `${label}: read result`);
  assert.equal(actual.requests.length, expected.requests.length, `${label}: requests`);
  for (let i = 0; i < expected.requests.length; i++) assert.equal(actual.requests[i], expected.requests[i], `${label}: request ${i}`);
  assert.deepEqual(actual.windows, expected.windows, `${label}: window detector findings`);
  return actual;
}

const tmp = testTempDir('k8s-audit-streaming-scanner-');

describe('readLogSet with the field scanner: same requests as JSON.parse', () => {
  it('the scanner loads', () => {
    assert.equal(fieldScannerUnavailable(), '');
  });

  it('on a generated log cut into rotated parts, plain and gzip, with scanner sizes that cut requests across scans', async () => {
    const [older, newer] = rotatedPair(tmp, 1500, 5);
    for (const capacity of [1 << 20, 4096, 700]) {
      const read = await assertSame([older, newer], capacity, `scanner ${capacity}`);
      // 700 bytes is shorter than many lines: those take the JSON.parse path, mixed with scanned ones.
      const scanned = capacity === 700 ? 50 : 1400;
      assert.ok(read.scannedPrimaries > scanned, `requests read by the scanner: ${read.scannedPrimaries}`);
      if (capacity < 1 << 20) assert.ok(read.heldCopies > 0, 'some stages were held across scans');
    }
  });

  it('on damaged input: a truncated .gz, a binary file, odd records', async () => {
    const read = await assertSame(damagedLogs(tmp), 2048, 'damaged');
    assert.ok(read.result.summaries.some((s) => (s as { damaged: boolean }).damaged), 'damage is reported');
    assert.equal(read.result.errors.length, 1, 'the missing file');
  });

  it('on every corpus log, one at a time and all in one read', async (t) => {
    const files = corpusLogs(t);
    if (files === null) return;
    let scanned = 0;
    for (const file of files) scanned += (await assertSame([file], 1 << 20, file)).scannedPrimaries;
    assert.ok(scanned > 0, 'the corpus has requests the scanner reads');
    await assertSame(files, 1500, 'the whole corpus in one read');
  });

  it('on every fixture log', async () => {
    await checkFixtureLogs(assertSame);
  });

  it('on fuzzed logs (property: any scanner size)', async () => {
    await checkFuzzedPairs(tmp, (paths, capacity) => assertSame(paths, capacity, `scanner ${capacity}`));
  });
});
