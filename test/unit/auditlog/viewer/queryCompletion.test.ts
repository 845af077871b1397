import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { quoteValue } from '../../../../server/src/auditlog/query/pattern';
import { ViewerSessions, type LogViewerSession } from '../../../../server/src/auditlog/viewer/viewerSessions';
import type { ViewerCompletion } from '../../../../server/src/protocol/logViewer';
import { parseQuery } from '../../../../server/src/auditlog/query';
import { testTempDir } from '../../../harness/tempDir';

/** One request per entry: [user, verb, resource, namespace, userAgent, code]. */
const REQUESTS: [string, string, string, string, string, number][] = [
  ['alice@example.com', 'create', 'pods', 'prod', 'kubectl/v1.33.1 (linux/amd64)', 201],
  ['alice@example.com', 'get', 'pods', 'prod', 'kubectl/v1.33.1 (linux/amd64)', 200],
  ['alice@example.com', 'get', 'secrets', 'prod', 'kubectl/v1.33.1 (linux/amd64)', 200],
  ['bob@example.com', 'create', 'pods/exec', 'dev', 'kubectl/v1.30.0 (darwin/arm64)', 101],
  ['system:kube-scheduler', 'get', 'pods', 'kube-system', 'kube-scheduler/v1.33.1', 200],
  ['system:kube-scheduler', 'list', 'nodes', '', 'kube-scheduler/v1.33.1', 200],
  ['system:kube-scheduler', 'watch', 'nodes', '', 'kube-scheduler/v1.33.1', 200],
  ['system:kube-scheduler', 'get', 'pods', 'kube-system', 'kube-scheduler/v1.33.1', 200],
  ['system:node:ip-10-0-1-5', 'patch', 'nodes/status', '', 'kubelet/v1.33.1', 200],
  ['carol (contractor)', 'delete', 'configmaps', 'dev', 'curl/8.5.0', 403],
];

function event(i: number, [user, verb, resourcePath, namespace, userAgent, code]: (typeof REQUESTS)[number]): string {
  const [resource, subresource] = resourcePath.split('/');
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    requestURI: `/api/v1/${namespace ? `namespaces/${namespace}/` : ''}${resource}`,
    verb,
    user: { username: user, groups: i % 2 === 0 ? ['system:authenticated', 'dev-team'] : ['system:authenticated'] },
    sourceIPs: ['10.0.0.1'],
    userAgent,
    objectRef: { resource, ...(subresource ? { subresource } : {}), ...(namespace ? { namespace } : {}), apiVersion: 'v1' },
    responseStatus: { metadata: {}, code },
    requestReceivedTimestamp: `2026-02-22T10:00:0${i}.000000Z`,
    stageTimestamp: `2026-02-22T10:00:0${i}.010000Z`,
  });
}

describe('query bar completion', () => {
  const sessions = new ViewerSessions();
  let sessionId = 0;
  let session: LogViewerSession;
  const dir = testTempDir('k8s-audit-completion-');

  before(async () => {
    const file = join(dir, 'audit.log');
    writeFileSync(file, `${REQUESTS.map((request, i) => event(i, request)).join('\n')}\n`);
    ({ sessionId } = await sessions.open(file));
    session = sessions.get(sessionId);
  });
  after(() => sessions.close(sessionId));

  /** Completion with the cursor where `|` is (at the end without one). */
  function complete(textWithCursor: string): Promise<ViewerCompletion> {
    const cursor = textWithCursor.includes('|') ? textWithCursor.indexOf('|') : textWithCursor.length;
    return session.complete(textWithCursor.replace('|', ''), cursor);
  }
  const labels = (completion: ViewerCompletion) => completion.items.map((item) => item.label);
  /** The text after accepting the first item. */
  async function accept(textWithCursor: string, item = 0): Promise<string> {
    const text = textWithCursor.replace('|', '');
    const completion = await complete(textWithCursor);
    return text.slice(0, completion.from) + completion.items[item]!.insert + text.slice(completion.to);
  }

  it("offers the log's first and last request times after after: and before:, and they run as queries", async () => {
    assert.deepEqual(labels((await complete('after:'))), ['2026-02-22T10:00:00.000Z', '2026-02-22T10:00:09.000Z']);
    assert.deepEqual((await complete('before:2026-02-22T10:00:09')).items.map((item) => item.detail), ['the last request of the log']);
    assert.equal((await session.setQuery(await accept('after:', 1))).ok, true);
    assert.equal(session.status().matchingRows, 1);
    await session.setQuery('');
  });

  it('completes field names with ":" and their descriptions, and the time terms, at a word start', async () => {
    const all = (await complete(''));
    assert.deepEqual({ from: all.from, to: all.to }, { from: 0, to: 0 });
    for (const label of ['user:', 'verb:', 'resource:', 'namespace:', 'userAgent:', 'code:', 'after:', 'before:', 'last:']) assert.ok(labels(all).includes(label), label);
    const verb = all.items.find((item) => item.label === 'verb:')!;
    assert.deepEqual(verb, { label: 'verb:', insert: 'verb:', detail: 'verb', kind: 'field' });
    // Nothing joins a first term with AND / OR.
    assert.ok(!labels(all).includes('AND'));

    const ver = (await complete('ver'));
    assert.deepEqual({ from: ver.from, to: ver.to, labels: labels(ver) }, { from: 0, to: 3, labels: ['verb:'] });
    assert.deepEqual(labels((await complete('us'))), ['user:', 'userAgent:', 'user.extra.']);
    // An alias is offered when only it matches; JSON path starters once something is typed.
    assert.deepEqual(labels((await complete('ns'))), ['ns:']);
    assert.deepEqual(labels((await complete('requ'))), ['requestURI:', 'requestObject.']);
    assert.ok(labels((await complete('ann'))).includes('annotations["authorization.k8s.io/decision"]:'));
    // After a term: AND / OR too.
    const afterTerm = (await complete('verb:get '));
    assert.ok(labels(afterTerm).includes('AND') && labels(afterTerm).includes('OR'));
    assert.deepEqual(labels((await complete('verb:get O'))), ['objectRef.', 'OR']);
    // The quantifiers over a JSON path term, and a path inside one.
    assert.deepEqual(labels((await complete('-al'))), ['all(']);
    assert.deepEqual(labels((await complete('an'))), ['annotations["authorization.k8s.io/decision"]:', 'annotations["authorization.k8s.io/reason"]:', 'annotations["pod-security.kubernetes.io/enforce-policy"]:', 'any(']);
    assert.equal(await accept('all(pod|)'), 'all(podSpec.)');
    // Right after a closing ")" or quote no word is being typed: no list (Enter then runs the query
    // instead of taking the list's first field); after a space the next term's fields are offered.
    for (const text of ['verb:(get list)', '-all(podSpec.allContainers[].image:registry.k8s.io/*)', '(verb:get OR verb:list)', 'user:"alice@example.com"']) {
      assert.deepEqual(labels(await complete(text)), [], text);
    }
    assert.ok(labels(await complete('verb:(get list) ')).includes('user:'));
    // A quoted word is free text.
    assert.deepEqual((await complete('"ver')).items, []);
  });

  it('completes values of a field from the index, most frequent first, with their counts', async () => {
    const users = (await complete('user:'));
    assert.deepEqual({ from: users.from, to: users.to }, { from: 5, to: 5 });
    assert.deepEqual(
      users.items.map((item) => [item.label, item.detail, item.kind]),
      [
        ['system:kube-scheduler', '4', 'value'],
        ['alice@example.com', '3', 'value'],
        ['bob@example.com', '1', 'value'],
        ['carol (contractor)', '1', 'value'],
        ['system:node:ip-10-0-1-5', '1', 'value'],
      ],
    );
    assert.deepEqual(labels((await complete('verb:'))), ['get', 'create', 'delete', 'list', 'patch', 'watch']);
    assert.deepEqual(labels((await complete('code:'))), ['200', '101', '201', '403']);
    assert.deepEqual(labels((await complete('groups:'))), ['system:authenticated', 'dev-team']);
  });

  it('filters values by the typed prefix, then by what contains it (case-insensitive)', async () => {
    const cr = (await complete('verb:cr'));
    assert.deepEqual({ from: cr.from, to: cr.to, labels: labels(cr) }, { from: 5, to: 7, labels: ['create'] });
    assert.equal(await accept('verb:cr'), 'verb:create');
    // "kube" starts system:kube-* nowhere, but is contained in them.
    assert.deepEqual(labels((await complete('ua:KUBE'))), ['kube-scheduler/v1.33.1', 'kubectl/v1.33.1 (linux/amd64)', 'kubectl/v1.30.0 (darwin/arm64)', 'kubelet/v1.33.1']);
    assert.deepEqual(labels((await complete('user:sys'))), ['system:kube-scheduler', 'system:node:ip-10-0-1-5']);
    assert.deepEqual(labels((await complete('user:example'))), ['alice@example.com', 'bob@example.com']);
    assert.deepEqual(labels((await complete('user:system:*sched'))), ['system:kube-scheduler']);
    // resource: a "/" completes resource/subresource, as the query compares it.
    assert.deepEqual(labels((await complete('resource:pods/'))), ['pods/exec']);
    assert.deepEqual(labels((await complete('last:1'))), ['15m', '1h']);
  });

  it('quotes values the query language would split, so the accepted text parses back to the value', async () => {
    assert.equal(await accept('user:sys'), 'user:"system:kube-scheduler"');
    assert.equal(await accept('user:car'), 'user:"carol (contractor)"');
    assert.equal(await accept('ua:kubectl/v1.30'), 'ua:"kubectl/v1.30.0 (darwin/arm64)"');
    // An open quote is completed too (its range includes the quote).
    assert.equal(await accept('user:"car'), 'user:"carol (contractor)"');
    const empty = (await complete('namespace:')).items.find((item) => item.label === '""');
    assert.deepEqual(empty, { label: '""', insert: '""', detail: '3', kind: 'value' });
    assert.equal(quoteValue('a*b"c\\d'), '"a\\*b\\"c\\\\d"');
    assert.equal(quoteValue('kube-scheduler/v1.33.1'), 'kube-scheduler/v1.33.1');
    assert.equal(quoteValue('x y'), '"x y"');
    for (const value of ['carol (contractor)', 'system:node:x', 'a*b"c\\d', 'tab\there', '']) {
      const node = parseQuery(`user:${quoteValue(value)}`);
      assert.deepEqual(node.kind === 'match' ? node.values[0]!.parts : undefined, [value], value);
    }
  });

  it('completes the values of a negated field, and of a field in a value list', async () => {
    const negated = (await complete('-verb:'));
    assert.equal(negated.from, 6);
    assert.equal(labels(negated)[0], 'get');
    assert.equal(await accept('verb:create -user:bo'), 'verb:create -user:bob@example.com');
    // After "-" at a word start: fields, not AND / OR.
    assert.ok(labels((await complete('verb:get -')))[0] === 'user:' && !labels((await complete('verb:get -'))).includes('AND'));
    assert.equal(await accept('user:(bob@example.com OR sys'), 'user:(bob@example.com OR "system:kube-scheduler"');
    assert.equal(await accept('verb!=wa'), 'verb!=watch');
    // A comparison has no values to offer.
    assert.deepEqual((await complete('code>')).items, []);
  });

  it('completes the word the cursor is in, replacing all of it, and leaves the rest of the text alone', async () => {
    // Cursor in the middle of a value: the whole value is replaced.
    const middle = (await complete('verb:cr|eate user:alice@example.com'));
    assert.deepEqual({ from: middle.from, to: middle.to, labels: labels(middle) }, { from: 5, to: 11, labels: ['create'] });
    assert.equal(await accept('verb:cr|eate user:alice@example.com'), 'verb:create user:alice@example.com');
    // Cursor in a field name: the name and its ":" are replaced.
    assert.equal(await accept('ve|rb:create'), 'verb:create');
    // Values of the field before the cursor, though the text after it does not parse yet.
    assert.equal(await accept('verb:get user:|  -ns:'), 'verb:get user:"system:kube-scheduler"  -ns:');
    assert.equal(await accept('user:a| verb:get'), 'user:alice@example.com verb:get');
    // At the start of a word before another one: insert.
    const insert = (await complete('verb:get |user:x'));
    assert.deepEqual({ from: insert.from, to: insert.to }, { from: 9, to: 9 });
    // A cursor out of range is clamped.
    assert.equal((await session.complete('ver', 99)).to, 3);
  });

  it('offers nothing for an unknown field or a JSON path, and no values for fields the index does not list', async () => {
    assert.deepEqual((await complete('colour:')).items, []);
    assert.deepEqual((await complete('colour:re')).items, []);
    assert.deepEqual((await complete('requestObject.spec.replicas:')).items, []);
    assert.deepEqual((await complete('latency:')).items, []);
    assert.deepEqual((await complete('nosuchfield')).items, []);
    // Still a range, so a client can tell where the word is.
    const unknown = (await complete('verb:get colour:re'));
    assert.deepEqual({ from: unknown.from, to: unknown.to }, { from: 16, to: 18 });
  });
});

describe('query bar completion of JSON path keys', () => {
  const sessions = new ViewerSessions();
  let sessionId = 0;
  let session: LogViewerSession;
  const dir = testTempDir('k8s-audit-path-completion-');

  before(async () => {
    const file = join(dir, 'audit.log');
    const pod = (i: number, containers: Record<string, unknown>[]) =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Request',
        auditID: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        stage: 'ResponseComplete',
        verb: 'create',
        user: { username: 'alice' },
        objectRef: { resource: 'pods', namespace: 'prod', apiVersion: 'v1' },
        responseStatus: { code: 201 },
        requestObject: { kind: 'Pod', metadata: { name: `web-${i}`, labels: { app: 'web' } }, spec: { hostPID: i === 0, containers } },
        annotations: { 'authorization.k8s.io/decision': 'allow' },
        requestReceivedTimestamp: `2026-02-22T10:00:0${i}.000000Z`,
        stageTimestamp: `2026-02-22T10:00:0${i}.010000Z`,
      });
    const lines = [
      pod(0, [{ name: 'a', image: 'nginx', securityContext: { privileged: true } }]),
      pod(1, [{ name: 'b', image: 'redis' }]),
      pod(2, [{ name: 'c', image: 'busybox', imagePullPolicy: 'Always' }]),
    ];
    writeFileSync(file, `${lines.join('\n')}\n`);
    ({ sessionId } = await sessions.open(file));
    session = sessions.get(sessionId);
  });
  after(() => sessions.close(sessionId));

  const labels = async (text: string) => (await session.complete(text, text.length)).items.map((item) => item.label);

  it('offers the keys sample events have at the typed path, with what follows each', async () => {
    assert.deepEqual(await labels('requestObject.'), ['requestObject.kind:', 'requestObject.metadata.', 'requestObject.spec.']);
    assert.deepEqual(await labels('requestObject.spec.co'), ['requestObject.spec.containers[]']);
    assert.deepEqual(await labels('requestObject.spec.containers[].im'), ['requestObject.spec.containers[].image:', 'requestObject.spec.containers[].imagePullPolicy:']);
    assert.deepEqual(await labels('verb:create requestObject.spec.containers[].securityContext.'), ['requestObject.spec.containers[].securityContext.privileged:']);
    // A key with dots is written ["quoted"], as queries need it.
    assert.deepEqual(await labels('annotations.'), ['annotations["authorization.k8s.io/decision"]:']);
    // Nothing for a path the events do not have, or one the parser refuses.
    assert.deepEqual(await labels('requestObject.nosuch.'), []);
    assert.deepEqual(await labels('requestObject.spec[x.'), []);
  });

  it('completes to queries that run and match what the samples hold', async () => {
    const completion = await session.complete('requestObject.spec.containers[].securityContext.priv', 52);
    const query = `${completion.items[0]!.insert}true`;
    const result = await session.setQuery(query);
    assert.equal(result.ok, true, query);
    assert.equal(session.status().matchingRows, 1);
  });
});
