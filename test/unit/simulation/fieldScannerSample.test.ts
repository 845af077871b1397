// readSample (what `k8s-audit simulate`, `tune` and the language server's sample cache read with)
// through the field scanner against the JSON.parse path: every column of the TrafficSample, the read
// result, and the simulation report of policies over it must be the same.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fieldScannerUnavailable } from '../../../server/src/auditlog/reader/fieldScanner';
import { readSample } from '../../../server/src/simulation/readSample';
import { simulationReport } from '../../../server/src/simulation/report';
import { simulatePolicy } from '../../../server/src/simulation/simulate';
import { simulationPolicy } from '../../../server/src/simulation/simulationPolicy';
import { testTempDir } from '../../harness/tempDir';
import { checkFixtureLogs, checkFuzzedPairs, damagedLogs, rotatedPair } from '../auditlog/reader/scannerInputs';
import { corpusLogs, FIXTURES } from '../helpers';

const POLICIES = [
  readFileSync(join(FIXTURES, 'workspace', 'audit-policy.yaml'), 'utf8'),
  // Bodies everywhere, resourceNames (the one rule part that reads the object name), omitStages.
  [
    'apiVersion: audit.k8s.io/v1',
    'kind: Policy',
    'omitStages: [RequestReceived]',
    'rules:',
    '- level: None',
    '  resources: [{group: "", resources: [configmaps], resourceNames: [kube-root-ca.crt, cm-1, e1]}]',
    '- level: RequestResponse',
    '  resources: [{group: "", resources: [secrets, pods, "pods/*"]}]',
    '- level: Request',
    '  verbs: [create, update, patch, delete]',
    '- level: Metadata',
    '  omitStages: [ResponseStarted]',
  ].join('\n'),
].map((text) => simulationPolicy(text)!);

/** Every column and table of the sample (typed arrays up to their length, maps as entries), as JSON; not its cache of scanned kinds. */
function sampleView(sample: object): string {
  return JSON.stringify(sample, (key, value: unknown) => {
    if (key === 'scannedKinds') return undefined;
    if (value instanceof Map) return [...value];
    if (value !== null && typeof value === 'object' && 'data' in value && 'length' in value && ArrayBuffer.isView(value.data)) {
      return Array.from((value.data as Uint8Array).subarray(0, value.length as number));
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    return value;
  });
}

interface Read {
  sample: string;
  result: unknown;
  reports: string[];
}

async function read(paths: string[], scanner: number | null): Promise<Read> {
  const { sample, read } = await readSample(paths, {
    detectors: { includeDisabled: true },
    ...(scanner === null ? { fieldScanner: false } : { fieldScannerInputBytes: scanner }),
  });
  // Lines read by each path are the scanner's own statistic; everything else must be equal.
  const result = { ...read, summaries: read.summaries.map(({ lines, ...summary }) => summary) };
  const reports = POLICIES.map((policy) => JSON.stringify(simulationReport({ policyName: 'p', logs: paths, policy, simulation: simulatePolicy(sample, policy.policy, { rowBytes: true }), read })));
  return { sample: sampleView(sample), result, reports };
}

async function assertSame(paths: string[], scanner: number, label: string): Promise<Read> {
  const expected = await read(paths, null);
  const actual = await read(paths, scanner);
  assert.deepEqual(actual.result, expected.result, `${label}: read result`);
  assert.ok(actual.sample === expected.sample, `${label}: the samples differ`);
  for (let i = 0; i < POLICIES.length; i++) assert.equal(actual.reports[i], expected.reports[i], `${label}: report of policy ${i}`);
  return actual;
}

const tmp = testTempDir('k8s-audit-sample-scanner-');

describe('readSample with the field scanner: the same sample and simulation as JSON.parse', () => {
  it('on a generated log in rotated parts, plain and gzip; scanner sizes that cut requests across scans', async () => {
    assert.equal(fieldScannerUnavailable(), '', 'the scanner loads (else both reads are JSON.parse)');
    const pair = rotatedPair(tmp, 1500, 5);
    const reads = await Promise.all([1 << 20, 4096, 700].map((capacity) => assertSame(pair, capacity, `scanner ${capacity}`)));
    for (const read of reads) assert.ok(read.sample.length > 10_000, 'a sample with rows');
  });

  it('on bodies, creates with generateName, objectRef names that are not strings', async () => {
    const file = join(tmp, 'bodies.log');
    const event = (id: string, extra: Record<string, unknown>) =>
      JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', auditID: id, stage: 'ResponseComplete', requestURI: '/api/v1/namespaces/a/configmaps', verb: 'get', user: { username: 'u', groups: ['g'] }, stageTimestamp: '2026-02-22T10:00:00.000000Z', ...extra });
    const ref = (name: unknown) => ({ resource: 'configmaps', namespace: 'a', apiVersion: 'v1', ...(name === undefined ? {} : { name }) });
    writeFileSync(
      file,
      [
        event('e1', { verb: 'create', objectRef: ref(undefined), requestObject: { metadata: { generateName: 'cm-' } }, responseObject: { metadata: { name: 'cm-1' }, data: { k: 'v\u00e9\u003c' } } }),
        event('e2', { objectRef: ref(undefined), responseObject: { metadata: { name: 'cm-1' } } }),
        event('e3', { objectRef: ref(7), responseObject: { metadata: { name: 'e1' } } }),
        event('e4', { objectRef: ref('kube-root-ca.crt'), responseObject: { metadata: { name: 'other' } } }),
        event('e5', { objectRef: ref(undefined), verb: 'list' }),
        event('e6', { objectRef: ref('cm-1'), verb: 'update', requestObject: { a: [1, 2.5, 1e3, true, null, 'x\ty'] }, responseObject: null }),
        // Spacing and escapes the re-serialised body does not keep.
        '{"kind":"Event","level":"Request","auditID":"e7","stage":"ResponseComplete","verb":"patch","objectRef":{"resource":"secrets","name":"s"},"requestURI":"/api/v1/secrets/s","requestObject": { "data" : {"k":"\\u0076\\/"} },"stageTimestamp":"2026-02-22T10:00:01Z"}',
      ].join('\n') + '\n',
    );
    for (const capacity of [1 << 20, 300]) await assertSame([file], capacity, `bodies, scanner ${capacity}`);
  });

  it('on damaged input: a truncated .gz, a binary file, odd records', async () => {
    const read = await assertSame(damagedLogs(tmp), 2048, 'damaged');
    assert.equal((read.result as { errors: unknown[] }).errors.length, 1, 'the missing file');
  });

  it('on every corpus log, one at a time and all in one read', async (t) => {
    const files = corpusLogs(t);
    if (files === null) return;
    for (const file of files) await assertSame([file], 1 << 20, file);
    await assertSame(files, 1500, 'the whole corpus in one read');
  });

  it('on every fixture log', async () => {
    await checkFixtureLogs(assertSame);
  });

  it('on fuzzed logs (property: any scanner size)', async () => {
    await checkFuzzedPairs(tmp, (paths, capacity) => assertSame(paths, capacity, `scanner ${capacity}`));
  });
});
