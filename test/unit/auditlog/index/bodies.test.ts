import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildLogIndex, queryIndex, timeOrder } from '../../../../server/src/auditlog/index';
import { auditEvent, cronJob, deployment, execUri, pod, role } from '../detectors/detectorEvents';
import { indexKeys, NOW, requestKey, streamingFindings, streamingKeys, streamingRequests } from './helpers';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-index-bodies-');

/** Requests with bodies: detectors decide on them (hit), or cannot for lack of them (unknown). */
function bodyLog(): string {
  const privileged = { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] };
  const hostPath = { volumes: [{ name: 'root', hostPath: { path: '/' } }], containers: [{ name: 'c', image: 'alpine' }] };
  const events = [
    auditEvent({ verb: 'create', res: 'pods', ns: 'app', req: pod(privileged) }),
    auditEvent({ verb: 'create', res: 'pods', ns: 'app', level: 'Metadata' }),
    auditEvent({ verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'app', req: deployment(hostPath) }),
    auditEvent({ verb: 'create', res: 'cronjobs', apiGroup: 'batch', ns: 'app', req: cronJob({ hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }) }),
    auditEvent({ verb: 'patch', res: 'pods', ns: 'app', name: 'p', req: { spec: {} }, resp: pod(privileged) }),
    auditEvent({ verb: 'create', res: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', req: role([{ resources: ['secrets'], verbs: ['*'] }]) }),
    auditEvent({ verb: 'create', res: 'pods/exec', ns: 'app', name: 'web-0', uri: execUri('sh', '-c', 'cat /var/run/secrets/kubernetes.io/serviceaccount/token') }),
    auditEvent({ verb: 'get', res: 'secrets', ns: 'prod', name: 'db', code: 403 }),
    auditEvent({ verb: 'create', res: 'pods', ns: 'app', req: null }),
    auditEvent({ verb: 'create', res: 'pods', ns: 'app', req: 'not an object' }),
  ];
  return events.map((event, i) => JSON.stringify({ ...event, auditID: `body-${i}` })).join('\n') + '\n';
}

const QUERIES = [
  'requestObject.spec.containers[].securityContext.privileged:true',
  'podSpec.allContainers[].securityContext.privileged:true',
  'podSpec.volumes[].hostPath.path:/',
  'podSpec.hostNetwork:true',
  'responseObject.spec.containers[].image:busybox',
  'requestObject.rules[].resources[]:secrets',
  'requestObject:*',
  '-requestObject:* verb:create',
  'requestObject:"not an object"',
  'requestObject.kind:Pod OR code:403',
  'NOT (requestObject.kind:* OR responseObject.kind:*)',
];

describe('log index: body terms', () => {
  it('re-reads only rows with a body and decides them with the streaming evaluator', async () => {
    const file = join(tmp, 'bodies.log');
    writeFileSync(file, bodyLog());
    const build = buildLogIndex([file], { threads: 0 });
    await build.done;
    const requests = await streamingRequests([file]);
    for (const query of QUERIES) {
      const result = await queryIndex(build.index, query, { now: NOW });
      assert.deepEqual(indexKeys(build.index, result.rows), streamingKeys(requests, query), query);
    }
    const privileged = await queryIndex(build.index, 'verb:create requestObject.spec.containers[].securityContext.privileged:true');
    assert.equal(privileged.rows.length, 1);
    assert.equal(privileged.bodyChecked, 5, 'only creates with a requestObject are re-read');
    const expected = streamingFindings(requests);
    let unknown = 0;
    let hits = 0;
    for (const row of timeOrder(build.index)) {
      const key = requestKey(0, build.index.number(row, 'primaryOffset'), build.index.auditID(row), 'ResponseComplete');
      const found = [...build.index.detectorsOf(row)].map((e) => `${build.index.detectorIds[e >> 1]}:${e & 1 ? 'unknown' : 'hit'}`).sort();
      assert.equal(found.join(','), expected.get(key));
      unknown += found.filter((f) => f.endsWith(':unknown')).length;
      hits += found.filter((f) => f.endsWith(':hit')).length;
    }
    assert.ok(unknown > 0 && hits > 0, 'the log has both outcomes');
  });

  it('decides paths into impersonatedUser and unusual annotations without re-reading rows that have neither', async () => {
    const file = join(tmp, 'impersonation.log');
    const events = [
      auditEvent({ verb: 'get', res: 'pods', ns: 'app' }),
      auditEvent({ verb: 'get', res: 'pods', ns: 'app', as: { username: 'admin', groups: ['system:masters'] } }),
      auditEvent({ verb: 'list', res: 'secrets', ns: 'app', as: { username: 'bob' } }),
      auditEvent({ verb: 'create', res: 'pods', ns: 'app', annotations: { 'pod-security.kubernetes.io/audit-violations': 'privileged' } }),
      auditEvent({ verb: 'create', res: 'pods', ns: 'app', annotations: { 'authorization.k8s.io/reason': 'RBAC' } }),
      { ...auditEvent({ verb: 'get', res: 'pods' }), impersonatedUser: null },
    ];
    writeFileSync(file, events.map((event, i) => JSON.stringify({ ...event, auditID: `imp-${i}` })).join('\n') + '\n');
    const requests = await streamingRequests([file]);
    for (const fieldScanner of [true, false]) {
      const build = buildLogIndex([file], { threads: 0, fieldScanner });
      await build.done;
      const cases: [string, number, number][] = [
        ['impersonatedUser.groups[]:system:masters', 1, 2],
        ['impersonatedUser.username:*', 2, 2],
        ['-impersonatedUser.groups[]:*', 5, 2],
        ['annotations["pod-security.kubernetes.io/audit-violations"]:*', 1, 1],
        // Inherited members are found by the evaluator's walk (as they always were): the index leaves them to it.
        ['annotations.constructor:*', 6, 6],
        ['annotations["authorization.k8s.io/decision"]:allow', 6, 6],
      ];
      for (const [query, matches, reread] of cases) {
        const result = await queryIndex(build.index, query, { now: NOW });
        assert.deepEqual(indexKeys(build.index, result.rows), streamingKeys(requests, query), query);
        assert.equal(result.rows.length, matches, `${query}: matches`);
        assert.equal(result.bodyChecked, reread, `${query}: rows re-read (field scanner ${fieldScanner})`);
      }
    }
  });
});
