import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildLogIndex, facet, pageRows, queryIndex, sortRows, timeOrder, type BuildProgress, type FacetField } from '../../../../server/src/auditlog/index';
import { compileQuery, parseQuery, requestPredicate } from '../../../../server/src/auditlog/query';
import { generateLog, NOW, streamingRequests } from './helpers';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-index-api-');
const generated = join(tmp, 'generated.log');
generateLog(generated, 4000, 11);

describe('log index: facets, pages, sorting, progress', () => {
  it('counts facet values exactly as a naive count over the streaming requests', async () => {
    const build = buildLogIndex([generated], { threads: 2, splitMinBytes: 1 });
    await build.done;
    const requests = await streamingRequests([generated]);
    const fields: [FacetField, (p: (typeof requests)[number]['primary']) => string | number | null][] = [
      ['user', (p) => p.user],
      ['verb', (p) => p.verb],
      ['resource', (p) => p.resource],
      ['namespace', (p) => p.namespace],
      ['code', (p) => p.code],
      ['userAgent', (p) => p.userAgent],
      ['resourcePath', (p) => (p.subresource ? `${p.resource}/${p.subresource}` : p.resource)],
    ];
    for (const query of ['', 'verb:get', '-user:system:*']) {
      const rows = (await queryIndex(build.index, query, { now: NOW })).rows;
      const matches = requestPredicate(compileQuery(parseQuery(query, { now: NOW })));
      const subset = requests.filter(matches);
      for (const [field, get] of fields) {
        const naive = new Map<string | number | null, number>();
        for (const r of subset) naive.set(get(r.primary), (naive.get(get(r.primary)) ?? 0) + 1);
        const result = facet(build.index, field, query === '' ? undefined : rows, 1000);
        assert.equal(result.distinct, naive.size, `${field} ${query}`);
        assert.equal(result.rows, subset.length);
        assert.deepEqual(new Map(result.top.map((v) => [v.value, v.count])), naive, `${field} ${query}`);
        const counts = result.top.map((v) => v.count);
        assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most frequent first');
        assert.deepEqual(facet(build.index, field, rows, 3).top, result.top.slice(0, 3), 'top N is a prefix');
      }
    }
  });

  it('pages and sorts results', async () => {
    const build = buildLogIndex([generated], { threads: 0 });
    await build.done;
    const index = build.index;
    const result = await queryIndex(index, 'verb:create');
    const times = [...result.rows].map((row) => index.number(row, 'time'));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'results come in time order');
    const page = pageRows(index, result.rows, 5, 10);
    assert.equal(page.length, 10);
    assert.equal(page[0]!.id, result.rows[5]);
    assert.equal(page[0]!.verb, 'create');
    assert.equal(typeof page[0]!.line, 'number');
    assert.equal(pageRows(index, result.rows, result.rows.length - 2, 10).length, 2);
    for (const key of ['latency', 'code', 'time'] as const) {
      for (const direction of ['asc', 'desc'] as const) {
        const sorted = [...sortRows(index, result.rows, key, direction)].map((row) => index.number(row, key));
        const expected = [...sorted].sort((a, b) => (direction === 'asc' ? a - b : b - a));
        assert.deepEqual(sorted, expected, `${key} ${direction}`);
        assert.equal(sorted.length, result.rows.length);
      }
    }
  });

  it('is queryable while it is built, and reports progress', async () => {
    const progress: BuildProgress[] = [];
    const build = buildLogIndex([generated], { threads: 2, splitMinBytes: 1, batchRows: 256, onProgress: (p) => progress.push(p) });
    let partial = -1;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (build.index.requestCount > 0) {
          clearInterval(timer);
          resolve();
        }
      }, 1);
    });
    partial = (await queryIndex(build.index, 'verb:get')).rows.length;
    const report = await build.done;
    const full = (await queryIndex(build.index, 'verb:get')).rows.length;
    assert.ok(partial >= 0 && partial <= full);
    assert.equal(report.requests, 4000);
    assert.ok(progress.some((p) => !p.done && p.rows > 0 && p.rows < 4000), 'rows were reported before the end');
    const last = progress.at(-1)!;
    assert.deepEqual([last.done, last.rows, last.bytesRead], [true, 4000, last.totalBytes]);
    assert.equal(timeOrder(build.index).length, 4000);
  });

  it('can be cancelled: workers stop and done rejects', async () => {
    let cancel = () => {};
    let cancelled = false;
    const build = buildLogIndex([generated], {
      threads: 2,
      splitMinBytes: 1,
      batchRows: 64,
      onProgress: (p) => {
        if (p.rows > 0 && !cancelled) {
          cancelled = true;
          cancel();
        }
      },
    });
    cancel = build.cancel;
    await assert.rejects(build.done, /cancelled/);
    assert.ok(cancelled, 'cancelled while workers were running');
    assert.ok(build.index.requestCount < 4000);
  });
});

describe('log index: free text over auditIDs', () => {
  it('finds a word in upper-case auditIDs as the evaluator does (case-folded), and only there', async () => {
    const file = join(tmp, 'upper-ids.log');
    const line = (auditID: string, user: string) =>
      JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', auditID, stage: 'ResponseComplete', verb: 'get', user: { username: user }, requestReceivedTimestamp: '2026-02-22T10:00:00Z' });
    writeFileSync(file, [line('ABCDEF-UPPER-1', 'alice'), line('abcdef-lower-2', 'bob'), line('0000-other-3', 'carol')].join('\n') + '\n');
    const index = (await buildLogIndex([file], { threads: 0 }).done).index;
    assert.equal(index.auditIdsHaveUppercase, true);
    for (const [query, expected] of [['abcdef', 2], ['upper', 1], ['LOWER', 1], ['other', 1], ['zzz', 0]] as const) {
      assert.equal((await queryIndex(index, query)).rows.length, expected, query);
    }
    const lowerOnly = join(tmp, 'lower-ids.log');
    writeFileSync(lowerOnly, [line('abcdef-1', 'alice'), line('abcdef-2', 'bob')].join('\n') + '\n');
    const lowerIndex = (await buildLogIndex([lowerOnly], { threads: 0 }).done).index;
    assert.equal(lowerIndex.auditIdsHaveUppercase, false);
    assert.equal((await queryIndex(lowerIndex, 'abcdef')).rows.length, 2);
    assert.equal((await queryIndex(lowerIndex, 'cdef-2')).rows.length, 1);
  });
});
