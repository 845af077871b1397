import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { compileQuery, parseQuery, QuerySyntaxError, toJq } from '../../../../server/src/auditlog/query';
import { parseAuditText } from '../../../../server/src/auditlog/reader/readAuditLog';
import { groupRequests } from '../../../../server/src/auditlog/requests';
import { testTempDir } from '../../../harness/tempDir';
import { NOW, QUERIES, SAMPLE } from './queryCases';

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
    const folder = testTempDir('k8s-audit-jq-');
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
