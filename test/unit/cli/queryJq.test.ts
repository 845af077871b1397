// `query --format jq` is "the same query as a jq program": on a multi-stage log, real jq running it
// must print exactly the requests (or, with --stages, the stages) that `k8s-audit query` prints.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, } from 'node:fs';
import {} from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateLog } from '../auditlog/index/helpers';
import { runCli } from '../helpers';
import { testTempDir } from '../../harness/tempDir';

const JQ = '/usr/bin/jq';
const NOW = '2026-02-22T12:00:00Z';

/** Queries over index fields, stages, bodies, time and free text; the stage ones are where grouping shows. */
const QUERIES = [
  '',
  'stage:ResponseComplete',
  'stage:RequestReceived',
  'stage:(ResponseStarted Panic)',
  'verb:create resource:pods/exec',
  'code>=400',
  '-user:system:* verb:(get list)',
  'command:*id*',
  'latency>20',
  'last:2h',
  'requestObject.spec.containers[].securityContext.privileged:true',
  '-all(podSpec.allContainers[].image:(nginx* registry.k8s.io/*))',
  'all(requestObject.spec.containers[].image:busybox) verb:create',
  '-all(requestObject.spec.containers[].image:registry.k8s.io/*) namespace:kube-system',
  'all(responseStatus.code<400)',
  'alice',
  'auditID:open-*',
  '-auditID:*',
];

function odd(event: Record<string, unknown>): string {
  return JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', verb: 'get', user: { username: 'alice@example.com' }, requestURI: '/api/v1/pods', objectRef: { resource: 'pods' }, requestReceivedTimestamp: '2026-02-22T11:00:00.000000Z', ...event });
}

describe('query --format jq on a multi-stage log', { skip: !existsSync(JQ) && 'jq not installed' }, () => {
  const tmp = testTempDir('k8s-audit-cli-jq-');
  const log = join(tmp, 'audit.log');
  generateLog(log, 1500);
  // The shapes grouping has to get right, beside the generator's RequestReceived + ResponseComplete pairs
  // and exec's ResponseStarted: requests still open at the end (reported in the order first seen, with
  // their most complete stage), a Panic, events without an auditID, a record that is not an event.
  appendFileSync(
    log,
    [
      odd({ auditID: 'open-z', stage: 'RequestReceived' }),
      odd({ auditID: 'open-a', stage: 'RequestReceived', verb: 'create', objectRef: { resource: 'pods', subresource: 'exec' } }),
      odd({ auditID: 'panic-1', stage: 'RequestReceived' }),
      odd({ stage: 'ResponseComplete', responseStatus: { code: 500 } }),
      odd({ auditID: 'open-a', stage: 'ResponseStarted', verb: 'create', objectRef: { resource: 'pods', subresource: 'exec' }, responseStatus: { code: 101 } }),
      odd({ auditID: 'panic-1', stage: 'Panic', responseStatus: { code: 500 } }),
      // Pods whose images all(…) has to tell apart: one untrusted beside a trusted one, and only trusted ones.
      odd({ auditID: 'mixed-1', stage: 'ResponseComplete', verb: 'create', objectRef: { resource: 'pods', namespace: 'kube-system' }, requestObject: { kind: 'Pod', spec: { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.9' }, { name: 'm', image: 'evil.example/miner' }] } } }),
      odd({ auditID: 'trusted-1', stage: 'ResponseComplete', verb: 'create', objectRef: { resource: 'pods', namespace: 'kube-system' }, requestObject: { kind: 'Pod', spec: { containers: [{ name: 'p', image: 'registry.k8s.io/pause:3.9' }], initContainers: [{ name: 'i', image: null }] } } }),
      JSON.stringify({ kind: 0 }),
      odd({ stage: 'RequestReceived', verb: 'list' }),
      '',
    ].join('\n'),
  );

  const events = (stdout: string) => stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { auditID?: string; stage: string });
  const jq = (program: string, args: string[] = ['-nc']) => {
    const result = spawnSync(JQ, [...args, program, log], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    return events(result.stdout);
  };
  const cli = (...args: string[]) => {
    const result = runCli(['query', '--now', NOW, ...args]);
    assert.equal(result.status, 0, result.stderr);
    return result.stdout;
  };

  it('selects the same requests as the CLI, in the same order, and counts the same', () => {
    const everything = Number(cli(log, '', '--format', 'count'));
    const allEvents = Number(spawnSync(JQ, ['-c', '.', log], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout.trim().split('\n').length);
    assert.ok(allEvents > 2 * everything, `the log has several stages per request (${allEvents} events, ${everything} requests)`);
    for (const query of QUERIES) {
      const program = cli(query, '--format', 'jq');
      const fromCli = events(cli(log, query));
      assert.deepEqual(jq(program), fromCli, `jq disagrees on "${query}"`);
      if (query.includes('all(')) assert.ok(fromCli.length > 0 && fromCli.length < everything, `"${query}" tells requests apart (${fromCli.length} of ${everything})`);
      assert.equal(Number(cli(log, query, '--format', 'count')), fromCli.length, `count of "${query}"`);
    }
  });

  it('with --stages: the same stages as the CLI prints, and --format count counts them', () => {
    for (const query of QUERIES) {
      const fromCli = events(cli(log, query, '--stages'));
      assert.deepEqual(jq(cli(query, '--format', 'jq', '--stages')), fromCli, `jq --stages disagrees on "${query}"`);
      assert.equal(Number(cli(log, query, '--stages', '--format', 'count')), fromCli.length, `--stages count of "${query}"`);
      const table = cli(log, query, '--stages', '--format', 'table').split('\n').filter((line) => line !== '');
      assert.equal(table.length - 1, fromCli.length, `--stages table of "${query}"`);
    }
  });

  it('honours --limit, and works with or without jq -n', () => {
    const program = cli('stage:ResponseComplete', '--format', 'jq', '--limit', '7');
    const fromCli = events(cli(log, 'stage:ResponseComplete', '--limit', '7'));
    assert.equal(fromCli.length, 7);
    assert.deepEqual(jq(program), fromCli);
    assert.deepEqual(jq(program, ['-c']), fromCli, 'without -n the first event is not lost');
  });

  it('says what it reads', () => {
    const program = cli('verb:get', '--format', 'jq');
    assert.match(program, /^# k8s-audit query 'verb:get': one result per request \(stages grouped by auditID\)/);
    assert.match(program, /jq -nc/);
  });
});
