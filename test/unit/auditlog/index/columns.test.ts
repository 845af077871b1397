import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { GrowableIds, GrowableFloat64 } from '../../../../server/src/auditlog/index/growable';
import { buildLogIndex, facet, pageRows, queryIndex } from '../../../../server/src/auditlog/index';
import { testTempDir } from '../../../harness/tempDir';

describe('log index columns', () => {
  it('grows typed arrays and widens dictionary ids past 65,535 without losing values', () => {
    const ids = new GrowableIds();
    for (let i = 0; i < 70_000; i++) ids.push(i);
    assert.ok(ids.data instanceof Uint32Array);
    assert.equal(ids.length, 70_000);
    assert.equal(ids.data[65_535], 65_535);
    assert.equal(ids.data[69_999], 69_999);
    const small = new GrowableIds();
    for (let i = 0; i < 5000; i++) small.push(i % 7);
    assert.ok(small.data instanceof Uint16Array, 'stays at 2 bytes per row');
    const numbers = new GrowableFloat64(2);
    numbers.append([1, 2, 3]);
    numbers.push(NaN);
    assert.deepEqual([...numbers.view()], [1, 2, 3, NaN]);
  });

  it('indexes a column with more distinct values than 16 bits hold', async () => {
    const dir = testTempDir('k8s-audit-index-wide-');
    const path = join(dir, 'wide.log');
    const lines: string[] = [];
    for (let i = 0; i < 70_000; i++) lines.push(`{"auditID":"w${i}","stage":"ResponseComplete","verb":"get","objectRef":{"resource":"pods","name":"n${i}"}}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    const build = buildLogIndex([path], { threads: 0 });
    await build.done;
    assert.equal(build.index.requestCount, 70_000);
    for (const name of ['n0', 'n65535', 'n65536', 'n69999']) {
      const rows = (await queryIndex(build.index, `name:${name}`)).rows;
      assert.deepEqual(pageRows(build.index, rows, 0, 5).map((r) => r.auditID), [`w${name.slice(1)}`]);
    }
    assert.equal(facet(build.index, 'name').distinct, 70_000);
    assert.equal((await queryIndex(build.index, 'name:n6553*')).rows.length, 11);
  });
});
