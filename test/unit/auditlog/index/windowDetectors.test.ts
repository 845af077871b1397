// Window detectors and detector settings in the log index: the index (window pass after the build,
// detector definitions carried to the workers as data) must agree with the streaming scan.
import * as assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileDetectors, compileWindowDetectors, detectRequest, resolveDetectorSettings, WindowScanner, type DetectorSelection } from '../../../../server/src/auditlog/detectors';
import { buildLogIndex, queryIndex, refreshLogIndex, timeOrder, type LogIndex } from '../../../../server/src/auditlog/index';
import { windowHitQuery } from '../../../../server/src/auditlog/detectors/onIndex/windowPass';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';
import { ViewerSession } from '../../../../server/src/auditlog/viewer/viewerSession';
import { generateLog, requestKey, streamingRequests } from './helpers';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-index-windows-');
const generated = join(tmp, 'generated.log');
generateLog(generated, 3000);

/** A deterministic log with bursts of every window detector among noise, some of it just below the thresholds. */
function burstyLines(count: number, seed: number, startMs: number): string[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const users = ['alice', 'bob', 'mallory', 'eve', 'system:kube-controller-manager', 'system:serviceaccount:ci:deployer'];
  const ips = ['10.0.0.1', '10.0.0.2', '203.0.113.5', '203.0.113.6', '2001:db8::1'];
  const lines: string[] = [];
  let time = startMs;
  // Now and then an episode: one user and address sending requests every ~2 s, denied or reading
  // secrets, sometimes just below a threshold (9 denials, 19 secrets), sometimes above.
  let episode: { left: number; user: string; ip: string; denied: boolean } | null = null;
  for (let i = 0; i < count; i++) {
    if (episode === null && random() < 0.02) episode = { left: pick([9, 12, 19, 25]), user: pick(users), ip: pick(ips), denied: random() < 0.5 };
    time += episode ? Math.floor(random() * 2_000) : Math.floor(random() * (random() < 0.1 ? 40_000 : 3_000));
    const user = episode ? episode.user : pick(users);
    const secret = episode ? !episode.denied || random() < 0.5 : random() < 0.5;
    const ns = `ns${Math.floor(random() * 4)}`;
    const name = secret ? `s${Math.floor(random() * 40)}` : `p${i % 7}`;
    const code = episode ? (episode.denied ? pick([401, 403, 403]) : 200) : random() < 0.2 ? pick([401, 403, 403]) : 200;
    const ip = episode ? episode.ip : pick(ips);
    if (episode && --episode.left === 0) episode = null;
    const stamp = new Date(time).toISOString();
    const event = {
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `w-${seed}-${i}`,
      stage: 'ResponseComplete',
      requestURI: `/api/v1/namespaces/${ns}/${secret ? 'secrets' : 'pods'}/${name}`,
      verb: random() < 0.9 ? 'get' : 'list',
      user: { username: user, groups: ['system:authenticated'] },
      sourceIPs: [ip],
      userAgent: 'kubectl/v1.31.0',
      objectRef: { resource: secret ? 'secrets' : 'pods', namespace: ns, name, apiVersion: 'v1' },
      responseStatus: { code },
      requestReceivedTimestamp: stamp,
      stageTimestamp: stamp,
    };
    lines.push(JSON.stringify(event));
  }
  return lines;
}

const bursty = join(tmp, 'bursty.log');
writeFileSync(bursty, burstyLines(2500, 3, Date.parse('2026-03-01T00:00:00Z')).join('\n') + '\n');

const SETTINGS = resolveDetectorSettings({
  systemPrincipals: ['system:serviceaccount:ci:*', 'system:node:*'],
  custom: [
    { id: 'eve-denied', title: 'Eve denied', severity: 'high', condition: 'user:eve code:(401 403)' },
    { id: 'pods-by-ip', title: 'Pod reads from one address', severity: 'low', condition: 'resource:pods', window: { key: ['sourceIP', 'user'], threshold: 4, seconds: 20 } },
  ],
  disabled: ['disallowed-k8s-user'],
});
const WITH_WINDOWS: DetectorSelection = resolveDetectorSettings({}).selection;

/** Per request key, the streaming findings (per-request detectors and window detectors) as "id:outcome", sorted. */
function streaming(requests: AuditRequest[], selection: DetectorSelection): Map<string, string> {
  const detectors = compileDetectors(selection);
  const windows = new WindowScanner(compileWindowDetectors(selection));
  const found = new Map<string, string[]>();
  const keyOf = (e: AuditRequest['primary']) => requestKey(e.file, e.offset, e.auditID, e.stage);
  for (const r of requests) {
    found.set(keyOf(r.primary), detectRequest(r, detectors).map((f) => `${f.detector.id}:${f.outcome}`));
    windows.add(r);
  }
  for (const f of windows.finish()) found.get(keyOf(f.event))!.push(`${f.detector.id}:hit`);
  return new Map([...found].map(([key, list]) => [key, list.sort().join(',')]));
}

function indexed(index: LogIndex): Map<string, string> {
  const found = new Map<string, string>();
  for (const row of timeOrder(index)) {
    const key = requestKey(index.fileOf(row, 'primary'), index.number(row, 'primaryOffset'), index.auditID(row), index.text(row, 'stage'));
    found.set(key, [...index.detectorsOf(row)].map((entry) => `${index.detectorIds[entry >> 1]}:${entry & 1 ? 'unknown' : 'hit'}`).sort().join(','));
  }
  return found;
}

function windowHits(findings: Map<string, string>, id: string): number {
  let n = 0;
  for (const list of findings.values()) if (list.split(',').includes(`${id}:hit`)) n++;
  return n;
}

async function assertAgree(paths: string[], selection: DetectorSelection, threads: number, label: string): Promise<LogIndex> {
  const build = buildLogIndex(paths, { threads, splitMinBytes: 1, detectors: selection });
  await build.done;
  if (threads === 2) assert.ok(build.index.segments.length >= 2, `${label}: split`);
  const expected = streaming(await streamingRequests(paths), selection);
  assert.deepEqual(indexed(build.index), expected, label);
  return build.index;
}

describe('window detectors in the log index', () => {
  it('agree with the streaming scan on a generated log and on a bursty one, inline and in two workers', async () => {
    for (const threads of [0, 2]) {
      const index = await assertAgree([generated], WITH_WINDOWS, threads, `generated, ${threads} threads`);
      assert.ok(windowHits(indexed(index), 'forbidden-burst-by-user') > 0, 'the generated log has a 403 burst');
      const bursty2 = await assertAgree([bursty], WITH_WINDOWS, threads, `bursty, ${threads} threads`);
      const found = indexed(bursty2);
      for (const id of ['auth-failure-burst-by-source', 'forbidden-burst-by-user', 'many-secrets-read']) {
        const hits = windowHits(found, id);
        assert.ok(hits > 0 && hits < found.size / 2, `${id}: ${hits} hits, some rows and not all`);
      }
    }
    // Two files at once: keys carry over from one file to the next in time order.
    await assertAgree([bursty, generated], WITH_WINDOWS, 0, 'two files');
  });

  it('custom detectors, an edited allowlist and disabled ids reach the workers as data', async () => {
    assert.deepEqual(SETTINGS.errors, []);
    for (const threads of [0, 2]) {
      const index = await assertAgree([bursty], SETTINGS.selection, threads, `settings, ${threads} threads`);
      assert.ok(index.detectorIds.includes('eve-denied') && index.detectorIds.includes('pods-by-ip'));
      assert.ok(!index.detectorIds.includes('disallowed-k8s-user'));
      const found = indexed(index);
      assert.ok(windowHits(found, 'eve-denied') > 0 && windowHits(found, 'pods-by-ip') > 0);
    }
    // The allowlist changed the outcome: the CI service account is no longer excluded by default ...
    const defaults = indexed(await assertAgree([bursty], WITH_WINDOWS, 0, 'defaults'));
    const edited = indexed(await assertAgree([bursty], SETTINGS.selection, 0, 'edited'));
    assert.notEqual(windowHits(defaults, 'secret-get-successfully'), windowHits(edited, 'secret-get-successfully'));
  });

  it('a bare build runs the built-in window detectors, as k8s-audit scan does', async () => {
    const build = buildLogIndex([bursty], { threads: 0 });
    await build.done;
    assert.ok(build.index.detectorIds.includes('many-secrets-read'));
    assert.ok(windowHits(indexed(build.index), 'many-secrets-read') > 0);
  });

  it("the viewer's filter query for a window detector selects exactly its hit rows", async () => {
    const build = buildLogIndex([bursty], { threads: 0, detectors: SETTINGS.selection });
    await build.done;
    const index = build.index;
    for (const id of ['auth-failure-burst-by-source', 'forbidden-burst-by-user', 'many-secrets-read', 'pods-by-ip']) {
      const position = index.detectorIds.indexOf(id);
      const hit = [...timeOrder(index)].filter((row) => [...index.detectorsOf(row)].includes(position << 1));
      const query = windowHitQuery(index, id)!;
      assert.ok(query.startsWith('('), query);
      const { rows } = await queryIndex(index, query);
      assert.deepEqual([...rows], hit, id);
    }
    assert.equal(windowHitQuery(index, 'forbidden-request'), null, 'not a window detector');
    // A window detector without a burst filters to nothing.
    const never = resolveDetectorSettings({ custom: [{ id: 'never', title: 'Never', severity: 'low', condition: '', window: { key: ['user'], threshold: 100_000, seconds: 1 } }] });
    const quiet = buildLogIndex([bursty], { threads: 0, detectors: never.selection });
    await quiet.done;
    assert.equal((await queryIndex(quiet.index, windowHitQuery(quiet.index, 'never')!)).rows.length, 0);
  });

  it('a refresh that appends requests recomputes the bursts', async () => {
    const growing = join(tmp, 'growing.log');
    const lines = burstyLines(1200, 9, Date.parse('2026-03-02T00:00:00Z'));
    writeFileSync(growing, lines.slice(0, 600).join('\n') + '\n');
    const build = buildLogIndex([growing], { threads: 0, detectors: WITH_WINDOWS });
    await build.done;
    assert.deepEqual(indexed(build.index), streaming(await streamingRequests([growing]), WITH_WINDOWS), 'first half');
    appendFileSync(growing, lines.slice(600).join('\n') + '\n');
    const refresh = await refreshLogIndex(build.index);
    assert.equal(refresh.outcome, 'appended');
    await refresh.done;
    assert.deepEqual(indexed(refresh.index), streaming(await streamingRequests([growing]), WITH_WINDOWS), 'after the append');
  });

  it('the viewer lists window and custom detections, with a query that filters to their rows', async () => {
    const session = await ViewerSession.open(bursty, () => undefined, SETTINGS.selection);
    try {
      for (let i = 0; i < 200 && session.status().indexing; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const detections = session.status().detections;
      for (const id of ['many-secrets-read', 'pods-by-ip', 'eve-denied']) {
        const entry = detections.find((d) => d.id === id);
        assert.ok(entry && entry.hits > 0, id);
        const result = await session.setQuery(entry.query);
        assert.equal(result.ok, true, entry.query);
        assert.equal(result.ok && result.matchingRows, entry.hits, `${id}: filtering by it shows its rows`);
      }
      assert.equal(detections.find((d) => d.id === 'pods-by-ip')!.title, 'Pod reads from one address');
      await session.setQuery(detections.find((d) => d.id === 'eve-denied')!.query);
      const first = await session.event(0, false);
      assert.ok(first.detections.some((d) => d.title === 'Eve denied' && d.severity === 'high'));
    } finally {
      session.close();
    }
  });
});
