import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compileWindowDetectors,
  describeWindow,
  resolveDetectorSettings,
  SlidingWindow,
  WINDOW_DEFAULTS,
  WINDOW_DETECTOR_CATALOG,
  WindowScanner,
  type DetectorSelection,
} from '../../../../server/src/auditlog/detectors';
import { normalizeEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { parseQuery } from '../../../../server/src/auditlog/query';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';
import { auditEvent, type EventSpec } from './detectorEvents';

const T0 = Date.parse('2026-03-01T10:00:00Z');
let line = 0;

/** A request at T0 + `seconds`, on its own line (so reports can name it). */
function at(seconds: number, spec: EventSpec): AuditRequest {
  const raw = auditEvent(spec);
  const stamp = new Date(T0 + seconds * 1000).toISOString();
  raw.requestReceivedTimestamp = stamp;
  raw.stageTimestamp = stamp;
  line++;
  const event = normalizeEvent(raw, 'k8s-json', { file: 0, line, offset: line * 100 });
  return { auditID: event.auditID, stages: [event], primary: event };
}

/** Window findings of one detector over requests: the lines it hit. */
function hitLines(id: string, requests: AuditRequest[], selection: DetectorSelection = {}): number[] {
  const scanner = new WindowScanner(compileWindowDetectors({ ...selection, ids: [id] }));
  for (const request of requests) scanner.add(request);
  return scanner
    .finish()
    .map((f) => f.event.line)
    .sort((a, b) => a - b);
}

const lines = (requests: AuditRequest[]) => requests.map((r) => r.primary.line);
/** `n` requests `every` seconds apart starting at `start`. */
const series = (n: number, start: number, every: number, spec: (i: number) => EventSpec) => Array.from({ length: n }, (_, i) => at(start + i * every, spec(i)));

describe('SlidingWindow', () => {
  it('reports a whole burst once the threshold is reached, and later requests while it lasts', () => {
    const hits: string[] = [];
    const window = new SlidingWindow<string>({ threshold: 3, windowMs: 10_000, distinct: false }, (item) => hits.push(item));
    window.add('k', 0, '', 'a');
    window.add('k', 4_000, '', 'b');
    assert.deepEqual(hits, [], 'below the threshold');
    window.add('k', 9_000, '', 'c');
    assert.deepEqual(hits, ['a', 'b', 'c'], 'the burst, each once');
    window.add('k', 12_000, '', 'd'); // a left; b, c, d still 3
    assert.deepEqual(hits, ['a', 'b', 'c', 'd']);
    window.add('k', 30_000, '', 'e'); // alone again
    assert.deepEqual(hits, ['a', 'b', 'c', 'd']);
  });

  it('keeps keys apart and the window inclusive of its start', () => {
    const hits: string[] = [];
    const window = new SlidingWindow<string>({ threshold: 2, windowMs: 1_000, distinct: false }, (item) => hits.push(item));
    window.add('x', 0, '', 'x1');
    window.add('y', 500, '', 'y1');
    assert.deepEqual(hits, [], 'two keys, one request each');
    window.add('x', 1_000, '', 'x2'); // exactly windowMs after x1: still within
    assert.deepEqual(hits, ['x1', 'x2']);
    window.add('y', 1_501, '', 'y2'); // 1001 ms after y1: outside
    assert.deepEqual(hits, ['x1', 'x2']);
  });

  it('counts distinct values when asked to', () => {
    const hits: string[] = [];
    const window = new SlidingWindow<string>({ threshold: 3, windowMs: 60_000, distinct: true }, (item) => hits.push(item));
    for (const [i, value] of ['s1', 's1', 's2', 's2', 's1'].entries()) window.add('u', i * 1000, value, `r${i}`);
    assert.deepEqual(hits, [], 'two distinct values, five requests');
    window.add('u', 6_000, 's3', 'r5');
    assert.deepEqual(hits, ['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
  });

  it('forgets quiet keys without losing hits of busy ones', () => {
    let hits = 0;
    const window = new SlidingWindow<number>({ threshold: 2, windowMs: 10, distinct: false }, () => hits++);
    for (let i = 0; i < 10_000; i++) window.add(`k${i}`, i * 100, '', i); // every key once: never a burst
    assert.equal(hits, 0);
    for (let i = 0; i < 5_000; i++) window.add('busy', 1_000_000 + i, '', i);
    assert.equal(hits, 5_000);
  });
});

describe('window detectors', () => {
  const denied = (ip: string, user = 'mallory@example.com', code = 403): EventSpec => ({ verb: 'list', res: 'secrets', ns: 'a', code, ip, user });

  it('are data: conditions parse, thresholds and windows are documented in the description', () => {
    assert.deepEqual(
      WINDOW_DETECTOR_CATALOG.map((d) => d.id),
      ['auth-failure-burst-by-source', 'forbidden-burst-by-user', 'many-secrets-read'],
    );
    for (const d of WINDOW_DETECTOR_CATALOG) {
      parseQuery(d.condition);
      assert.ok(d.window.threshold >= 2 && d.window.windowMs >= 1000, d.id);
      assert.ok(d.description.includes(String(d.window.threshold)), `${d.id} documents its threshold`);
      assert.ok(d.references.length > 0 && d.remediation !== '', d.id);
      assert.match(describeWindow(d.window), /within \d+ (s|min)$/);
    }
    assert.deepEqual(WINDOW_DEFAULTS.authFailures, { threshold: 10, windowMs: 60_000 });
    assert.deepEqual(WINDOW_DEFAULTS.distinctSecrets, { threshold: 20, windowMs: 300_000 });
  });

  it('auth-failure-burst-by-source: 10 denials (401 or 403) from one IP within 60 s', () => {
    const burst = series(10, 0, 5, (i) => denied('203.0.113.7', `u${i}`, i % 2 ? 401 : 403));
    assert.deepEqual(hitLines('auth-failure-burst-by-source', burst), lines(burst), 'above: every request of the burst');
    assert.deepEqual(hitLines('auth-failure-burst-by-source', burst.slice(0, 9)), [], 'below the threshold');
    const slow = series(10, 0, 7, () => denied('203.0.113.7')); // 63 s from first to last
    assert.deepEqual(hitLines('auth-failure-burst-by-source', slow), [], 'spread over more than the window');
    const split = series(10, 0, 1, (i) => denied(i % 2 ? '203.0.113.7' : '203.0.113.8'));
    assert.deepEqual(hitLines('auth-failure-burst-by-source', split), [], 'two sources, five each');
    const allowed = series(12, 0, 1, () => ({ verb: 'get', res: 'pods', ns: 'a', ip: '203.0.113.7' }));
    assert.deepEqual(hitLines('auth-failure-burst-by-source', allowed), [], 'successes do not count');
  });

  it('forbidden-burst-by-user: 10 forbidden requests of one user within 60 s, system principals excluded', () => {
    const burst = series(11, 0, 2, (i) => denied(`198.51.100.${i}`));
    assert.deepEqual(hitLines('forbidden-burst-by-user', burst), lines(burst));
    assert.deepEqual(hitLines('forbidden-burst-by-user', burst.slice(0, 9)), []);
    const twoUsers = series(10, 0, 1, (i) => denied('10.0.0.1', i % 2 ? 'alice' : 'bob'));
    assert.deepEqual(hitLines('forbidden-burst-by-user', twoUsers), [], 'different users');
    const unauthorized = series(10, 0, 1, () => denied('10.0.0.1', 'mallory', 401));
    assert.deepEqual(hitLines('forbidden-burst-by-user', unauthorized), [], '401 is not a 403');
    const controller = series(10, 0, 1, () => denied('10.0.0.1', 'system:kube-controller-manager'));
    assert.deepEqual(hitLines('forbidden-burst-by-user', controller), [], 'allowlisted system principal');
  });

  it('many-secrets-read: 20 distinct secrets read by one user within 5 min', () => {
    const read = (i: number, user = 'mallory@example.com'): EventSpec => ({ verb: 'get', res: 'secrets', ns: `ns${i % 3}`, name: `s${i}`, user });
    const harvest = series(20, 0, 10, (i) => read(i));
    assert.deepEqual(hitLines('many-secrets-read', harvest), lines(harvest));
    assert.deepEqual(hitLines('many-secrets-read', harvest.slice(0, 19)), [], '19 distinct');
    const same = series(40, 0, 1, (i) => read(i % 5));
    assert.deepEqual(hitLines('many-secrets-read', same), [], '40 reads of 5 secrets');
    const slow = series(20, 0, 16, (i) => read(i)); // 304 s
    assert.deepEqual(hitLines('many-secrets-read', slow), [], 'outside the window');
    const controller = series(25, 0, 1, (i) => read(i, 'system:serviceaccount:kube-system:generic-garbage-collector'));
    assert.deepEqual(hitLines('many-secrets-read', controller), [], 'allowlisted system principal');
    const denials = series(25, 0, 1, (i) => ({ ...read(i), code: 403 }));
    assert.deepEqual(hitLines('many-secrets-read', denials), [], 'denied reads read nothing');
    // Later requests of the burst are hits while it lasts; the burst survives interleaved other users.
    const mixed = [...series(20, 0, 1, (i) => read(i)), ...series(5, 100, 1, (i) => read(i, 'alice'))];
    assert.deepEqual(hitLines('many-secrets-read', mixed), lines(mixed.slice(0, 20)));
  });

  it('take their thresholds from the definition (a custom window detector)', () => {
    const { selection, errors } = resolveDetectorSettings({
      custom: [{ id: 'exec-burst', title: 'Exec burst', severity: 'high', condition: 'resource:pods subresource:exec', window: { key: ['user', 'sourceIP'], threshold: 3, seconds: 30 } }],
    });
    assert.deepEqual(errors, []);
    const exec = (user: string): EventSpec => ({ verb: 'create', res: 'pods/exec', ns: 'a', name: 'p', user, code: 101 });
    const three = series(3, 0, 10, () => exec('eve'));
    assert.deepEqual(hitLines('exec-burst', three, selection), lines(three));
    assert.deepEqual(hitLines('exec-burst', series(3, 0, 16, () => exec('eve')), selection), [], '32 s');
    assert.deepEqual(hitLines('exec-burst', series(3, 0, 1, (i) => exec(i === 1 ? 'bob' : 'eve')), selection), []);
  });

  it('see requests in time order whatever order they complete in', () => {
    const burst = series(10, 0, 1, () => denied('203.0.113.9'));
    const shuffled = [burst[9]!, burst[3]!, burst[0]!, burst[7]!, burst[1]!, burst[8]!, burst[2]!, burst[6]!, burst[4]!, burst[5]!];
    assert.deepEqual(hitLines('auth-failure-burst-by-source', shuffled), lines(burst));
  });
});
