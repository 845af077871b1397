import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NormalizedEvent } from '../../../server/src/auditlog/normalizedEvent';
import { compileQuery, parseQuery, QuerySyntaxError, toJq } from '../../../server/src/auditlog/query';
import { parseAuditText } from '../../../server/src/auditlog/reader/readAuditLog';
import { groupRequests } from '../../../server/src/auditlog/requests';

const NOW = Date.parse('2026-03-01T12:00:00Z');

/** A small but varied sample: every field the language reads, bodies, odd shapes. */
const SAMPLE: Record<string, unknown>[] = [
  { auditID: 'e01', stage: 'ResponseComplete', level: 'Metadata', verb: 'get', user: { username: 'alice@example.com', groups: ['dev', 'system:authenticated'] }, sourceIPs: ['10.0.0.1'], userAgent: 'kubectl/v1.30.0', requestURI: '/api/v1/namespaces/prod/secrets/db', objectRef: { resource: 'secrets', namespace: 'prod', name: 'db', apiVersion: 'v1' }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-03-01T11:50:00.000000Z', stageTimestamp: '2026-03-01T11:50:00.120000Z', annotations: { 'authorization.k8s.io/decision': 'allow' } },
  { auditID: 'e02', stage: 'ResponseComplete', level: 'Metadata', verb: 'list', user: { username: 'bob@example.com', groups: ['sre'] }, sourceIPs: ['203.0.113.9'], userAgent: 'curl/8.1', requestURI: '/api/v1/secrets', objectRef: { resource: 'secrets', apiVersion: 'v1' }, responseStatus: { code: 403 }, requestReceivedTimestamp: '2026-03-01T10:00:00Z', stageTimestamp: '2026-03-01T10:00:02.5Z', annotations: { 'authorization.k8s.io/decision': 'forbid' } },
  { auditID: 'e03', stage: 'ResponseStarted', level: 'Request', verb: 'create', user: { username: 'alice@example.com' }, requestURI: '/api/v1/namespaces/prod/pods/web-1/exec?command=sh&command=-c&command=cat+%2Fetc%2Fshadow&container=web', objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web-1' }, responseStatus: { code: 101 }, requestReceivedTimestamp: '2026-03-01T11:59:00.5+01:00' },
  { auditID: 'e04', stage: 'ResponseComplete', level: 'RequestResponse', verb: 'create', user: { username: 'system:serviceaccount:kube-system:replicaset-controller' }, requestURI: '/api/v1/namespaces/kube-system/pods', objectRef: { resource: 'pods', namespace: 'kube-system' }, responseStatus: { code: 201 }, requestObject: { kind: 'Pod', metadata: { generateName: 'dbg-' }, spec: { hostPID: true, containers: [{ name: 'a', image: 'nginx', securityContext: { privileged: false } }, { name: 'b', image: 'busybox:1.36', securityContext: { privileged: true }, ports: [{ hostPort: 8080 }] }] } }, responseObject: { metadata: { name: 'dbg-x1' } }, requestReceivedTimestamp: '2026-03-01T11:58:00Z' },
  { auditID: 'e05', stage: 'ResponseComplete', level: 'Request', verb: 'patch', user: { username: 'carol' }, impersonatedUser: { username: 'system:admin', groups: ['system:masters'] }, requestURI: '/apis/apps/v1/namespaces/web/deployments/api', objectRef: { resource: 'deployments', apiGroup: 'apps', namespace: 'web', name: 'api' }, responseStatus: { code: 200 }, requestObject: { spec: { template: { spec: { hostNetwork: true, volumes: [{ name: 'h', hostPath: { path: '/var/run/docker.sock' } }] } } } } },
  { auditID: 'e06', stage: 'RequestReceived', verb: 'watch', user: { username: 'system:node:n1', groups: ['system:nodes'] }, requestURI: '/api/v1/nodes?watch=true&resourceVersion=1', objectRef: { resource: 'nodes' }, requestReceivedTimestamp: 'not a time' },
  { auditID: 'e07', stage: 'ResponseComplete', verb: 'get', user: { username: 'Dave' }, requestURI: '/healthz', userAgent: 'Mozilla/5.0 (X11; Linux)', responseStatus: { code: 500, message: 'x' }, requestReceivedTimestamp: '2026-02-28T23:59:59.999Z' },
  { auditID: 'e08', stage: 'ResponseComplete', verb: 'create', user: { username: 'erin' }, requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterroles', objectRef: { resource: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io' }, responseStatus: { code: 201 }, requestObject: { metadata: { name: 'all' }, rules: [{ verbs: ['*'], resources: ['pods', 'pods/exec'] }, { verbs: ['get'], resources: ['secrets'] }] } },
  { auditID: 'e09', stage: 'ResponseComplete', verb: 'update', user: 'not an object', objectRef: ['odd'], responseStatus: { code: '200' }, sourceIPs: 'x', requestObject: { data: { password: 'hunter2', n: 5, t: true, z: null } } },
  { auditID: 'e10', stage: 'ResponseComplete', verb: 'delete', user: { username: 'frank*star', groups: [1, 'g'] }, requestURI: '/api/v1/namespaces/a&b/configmaps/x"y', objectRef: { resource: 'configmaps', namespace: 'a&b', name: 'x"y' }, responseStatus: { code: 200 }, requestReceivedTimestamp: '2026-03-01T11:45:00Z', stageTimestamp: '2026-03-01T11:45:00Z' },
];

function sampleEvents(): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  parseAuditText(SAMPLE.map((e) => JSON.stringify(e)).join('\n'), (e) => events.push(e));
  return events;
}

function matching(query: string): string[] {
  const predicate = compileQuery(parseQuery(query, { now: NOW }));
  return sampleEvents().filter(predicate).map((e) => e.auditID);
}

function syntaxError(query: string): QuerySyntaxError {
  try {
    parseQuery(query, { now: NOW });
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  assert.fail(`expected a syntax error for ${query}`);
}

const QUERIES: [string, string[]][] = [
  ['', ['e01', 'e02', 'e03', 'e04', 'e05', 'e06', 'e07', 'e08', 'e09', 'e10']],
  ['verb:get', ['e01', 'e07']],
  ['verb:get resource:secrets', ['e01']],
  ['verb:get AND resource:secrets', ['e01']],
  ['verb:get OR verb:list', ['e01', 'e02', 'e07']],
  ['verb:(get list) -user:bob*', ['e01', 'e07']],
  ['user:system:*', ['e04', 'e06']],
  ['-user:system:*', ['e01', 'e02', 'e03', 'e05', 'e07', 'e08', 'e09', 'e10']],
  ['user:frank\\*star', ['e10']],
  ['user:*@example.com', ['e01', 'e02', 'e03']],
  ['user:"alice@example.com"', ['e01', 'e03']],
  ['code>=400', ['e02', 'e07']],
  ['code<300 code>200', ['e04', 'e08']],
  ['code:2*', ['e01', 'e04', 'e05', 'e08', 'e10']],
  ['code:*', ['e01', 'e02', 'e03', 'e04', 'e05', 'e07', 'e08', 'e10']],
  ['-code:*', ['e06', 'e09']],
  ['code!=200', ['e02', 'e03', 'e04', 'e06', 'e07', 'e08', 'e09']],
  ['resource:pods/exec', ['e03']],
  ['resource:pods', ['e03', 'e04']],
  ['resource:pods -subresource:*', ['e04']],
  ['ns:prod name:web-*', ['e03']],
  ['name:dbg-x1', ['e04']],
  ['namespace:"a&b" name:"x\\"y"', ['e10']],
  ['groups:system:*', ['e01', 'e06']],
  ['groups:g', ['e10']],
  ['as:system:admin', ['e05']],
  ['impersonatedUser.groups[]:system:masters', ['e05']],
  ['decision:forbid', ['e02']],
  ['annotations["authorization.k8s.io/decision"]:allow', ['e01']],
  ['ip:10.*', ['e01']],
  ['ua:curl*', ['e02']],
  ['latency>100', ['e01', 'e02']],
  ['latency>=2.5s', ['e02']],
  ['latency:0', ['e10']],
  ['after:2026-03-01T11:00Z', ['e01', 'e04', 'e10']],
  ['before:2026-03-01', ['e07']],
  ['after:2026-03-01 before:2026-03-01T11:00Z', ['e02', 'e03']],
  ['last:15m', ['e01', 'e04', 'e10']],
  ['time>=2026-03-01T11:58:00Z', ['e04']],
  ['command:*shadow*', ['e03']],
  ['command:"sh -c cat /etc/shadow"', ['e03']],
  ['requestObject.spec.containers[].securityContext.privileged:true', ['e04']],
  ['requestObject.spec.containers[1].image:busybox*', ['e04']],
  ['podSpec.allContainers[].securityContext.privileged:true', ['e04']],
  ['podSpec.hostNetwork:true OR podSpec.hostPID:true', ['e04', 'e05']],
  ['podSpec.volumes[].hostPath.path:(/var/run/docker.sock /proc)', ['e05']],
  ['podSpec.allContainers[].ports[].hostPort>=1024', ['e04']],
  ['requestObject.rules[].verbs[]:\\*', ['e08']],
  ['requestObject.rules[].resources[]:pods/exec', ['e08']],
  ['requestObject.data:*hunter2*', ['e09']],
  ['requestObject.data.n:5 requestObject.data.t:true', ['e09']],
  ['requestObject.data[]:hunter2', ['e09']],
  ['-requestObject:*', ['e01', 'e02', 'e03', 'e06', 'e07', 'e10']],
  ['responseStatus.message:*', ['e07']],
  ['objectRef[0]:odd', ['e09']],
  ['secrets', ['e01', 'e02']],
  ['ALICE', ['e01', 'e03']],
  ['"linux)"', ['e07']],
  ['mozilla*x11', ['e07']],
  ['(verb:create OR verb:patch) (user:erin OR as:*) NOT code:500', ['e05', 'e08']],
  ['NOT (verb:get OR verb:list OR verb:create)', ['e05', 'e06', 'e09', 'e10']],
  ['stage:ResponseStarted OR level:RequestResponse', ['e03', 'e04']],
  ['uri:/healthz*', ['e07']],
  ['apiGroup:rbac.authorization.k8s.io', ['e08']],
  ['id:e0?', []],
  ['name:""', ['e02', 'e06', 'e07', 'e09']],
  ['name:all', ['e08']],
  // Quantifiers over the values a path reaches: any(…) is the plain term ("some value matches");
  // all(…) is "every value matches" (true when there is none), so -all(…) is "some value does not".
  ['any(podSpec.allContainers[].image:nginx)', ['e04']],
  ['all(requestObject.spec.containers[].image:nginx)', ['e01', 'e02', 'e03', 'e05', 'e06', 'e07', 'e08', 'e09', 'e10']],
  ['-all(podSpec.allContainers[].image:(nginx "registry.k8s.io/*"))', ['e04']],
  ['-all(podSpec.allContainers[].image:(nginx busybox*))', []],
  ['podSpec.allContainers[].image:* all(podSpec.allContainers[].image:(nginx busybox*))', ['e04']],
  ['-all(podSpec.allContainers[].ports[].hostPort<1024)', ['e04']],
  ['-all(podSpec.allContainers[].ports[].hostPort>=1024)', []],
  ['-all(requestObject.data[]:hunter2)', ['e09']],
  ['-all(requestObject.data[]:(hunter2 5 true))', []],
  ['verb:create -all(requestObject.rules[].resources[]:(pods secrets))', ['e08']],
  ['all(requestObject.rules[].verbs[]:get) verb:create', ['e03', 'e04']],
  ['-all(sourceIPs[]:10.*) OR NOT all(user.groups[]:(dev system:*))', ['e02', 'e10']],
];

describe('query language', () => {
  it('parses terms, implicit AND, OR, NOT and parentheses into an AST', () => {
    const ast = parseQuery('verb:get -user:system:* (code>=400 OR "x y")', { now: NOW });
    assert.deepEqual(ast.kind, 'and');
    const items = (ast as { items: unknown[] }).items;
    assert.equal(items.length, 3);
    assert.deepEqual(items[1], {
      kind: 'not',
      item: { kind: 'match', field: { kind: 'index', name: 'user' }, values: [{ parts: ['system:', ''], source: 'system:*', offset: 15 }], offset: 10 },
    });
    assert.equal((items[2] as { kind: string }).kind, 'or');
    assert.deepEqual(parseQuery('last:15m', { now: NOW }), { kind: 'compare', field: { kind: 'index', name: 'time' }, op: '>=', value: NOW - 15 * 60_000, offset: 0 });
    assert.deepEqual(parseQuery('  '), { kind: 'all' });
  });

  it('reports bad queries with an offset and a message', () => {
    const cases: [string, number, RegExp][] = [
      ['verb:get (user:x', 9, /missing "\)"/],
      ['verb:get)', 8, /without a matching/],
      ['verb: x', 4, /missing value after "verb:"/],
      ['frobnicate:1', 0, /unknown field "frobnicate"/],
      ['code>abc', 5, /not a number/],
      ['user>3', 5, /user is text/],
      ['last:soon', 5, /not a duration/],
      ['after:yesterday', 6, /not a date/],
      ['user:"open', 5, /missing closing quote/],
      ['verb:get OR', 11, /query ends where a term was expected/],
      ['()', 0, /empty parentheses/],
      ['user:()', 5, /empty value list/],
      ['time:2026', 0, /compare time with a date/],
      ['code>4*', 5, /wildcards cannot be compared/],
      ['a.b[x]:1', 3, /bad path step/],
      ['all(verb:get)', 4, /all\(…\) takes a JSON path term/],
      ['any(after:2026-03-01)', 4, /any\(…\) takes a JSON path term/],
      ['all(requestObject.kind:Pod OR requestObject.kind:Job)', 27, /all\(…\) holds one term/],
      ['all(requestObject.kind:Pod', 26, /all\(…\) holds one term/],
      ['all()', 4, /all\(…\) takes a JSON path term/],
      ['all(alice)', 4, /all\(…\) takes a JSON path term/],
      ['all(requestObject.kind!=Pod)', 4, /write -requestObject\.kind:VALUE/],
    ];
    for (const [query, offset, message] of cases) {
      const error = syntaxError(query);
      assert.match(error.message, message, query);
      assert.equal(error.offset, offset, `${query}: ${error.message}`);
    }
  });

  it('evaluates every kind of term over normalised events', () => {
    for (const [query, expected] of QUERIES) {
      assert.deepEqual(matching(query), expected, query);
    }
  });

  it('translates to jq filters that select exactly what the engine selects', { skip: !existsSync('/usr/bin/jq') && 'jq not installed' }, () => {
    const folder = mkdtempSync(join(tmpdir(), 'k8s-audit-jq-'));
    const log = join(folder, 'sample.jsonl');
    writeFileSync(log, `${SAMPLE.map((e) => JSON.stringify(e)).join('\n')}\n`);
    let compared = 0;
    for (const [query] of QUERIES) {
      const program = `${toJq(parseQuery(query, { now: NOW }))} | .auditID`;
      const result = spawnSync('/usr/bin/jq', ['-nr', program, log], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${query}: ${result.stderr}`);
      assert.equal(result.stderr, '', `${query}: jq must not fail on odd shapes (jq 1.6 exits 0 after an error on an earlier input)`);
      const fromJq = result.stdout.split('\n').filter((line) => line !== '');
      // The program judges requests, as the CLI does: those still open at the end come last.
      const predicate = compileQuery(parseQuery(query, { now: NOW }));
      const requests = groupRequests(sampleEvents()).filter((r) => predicate(r.primary)).map((r) => r.auditID);
      assert.deepEqual(fromJq, requests, `jq disagrees on ${query}\n${program}`);
      assert.deepEqual([...fromJq].sort(), matching(query).sort(), `one event per request here: ${query}`);
      compared++;
    }
    assert.equal(compared, QUERIES.length);
  });
});

describe('query lexer details', () => {
  it('keeps hyphens, colons and slashes inside values, and unquotes escapes', () => {
    const ast = parseQuery('name:my-pod-1 user:(system:node:* "eks:*") uri:/api/v1/x?a=b -ns:kube-system msg:"a \\"b\\" c\\*"'.replace('msg:', 'responseStatus.message:'));
    const items = (ast as { items: { kind: string; item?: { values: unknown[] }; values?: { parts: string[] }[] }[] }).items;
    assert.deepEqual(items[0]!.values![0]!.parts, ['my-pod-1']);
    assert.deepEqual(items[1]!.values!.map((v) => v.parts), [['system:node:', ''], ['eks:', '']]);
    assert.deepEqual(items[2]!.values![0]!.parts, ['/api/v1/x?a=b']);
    assert.equal(items[3]!.kind, 'not');
    assert.deepEqual(items[4]!.values![0]!.parts, ['a "b" c*']);
  });

  it('reads numbers, dates and durations in comparisons', () => {
    assert.deepEqual(parseQuery('code>=-1'), { kind: 'compare', field: { kind: 'index', name: 'code' }, op: '>=', value: -1, offset: 0 });
    assert.equal((parseQuery('latency>2m') as { value: number }).value, 120_000);
    assert.equal((parseQuery('time<2026-02-22T10:00:00.5+01:00') as { value: number }).value, Date.parse('2026-02-22T09:00:00.500Z'));
    assert.equal((parseQuery('after:1771754400000') as { value: number }).value, 1771754400000);
  });
});
