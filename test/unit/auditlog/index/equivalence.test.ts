import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildLogIndex, queryIndex, timeOrder, type LogIndex } from '../../../../server/src/auditlog/index';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';
import { FIXTURES } from '../../helpers';
import { generateLog, indexKeys, NOW, QUERIES, requestKey, streamingFindings, streamingKeys, streamingRequests } from './helpers';
import { testTempDir } from '../../../harness/tempDir';

const tmp = testTempDir('k8s-audit-index-');
const generated = join(tmp, 'generated.log');
generateLog(generated, 3000);

async function assertSameAnswers(index: LogIndex, requests: AuditRequest[], label: string): Promise<void> {
  assert.equal(index.requestCount, requests.length, `${label}: request count`);
  for (const query of QUERIES) {
    const result = await queryIndex(index, query, { now: NOW });
    assert.deepEqual(indexKeys(index, result.rows), streamingKeys(requests, query), `${label}: ${query}`);
  }
  const expected = streamingFindings(requests);
  for (const row of timeOrder(index)) {
    const key = requestKey(index.fileOf(row, 'primary'), index.number(row, 'primaryOffset'), index.auditID(row), index.text(row, 'stage'));
    const found = [...index.detectorsOf(row)].map((entry) => `${index.detectorIds[entry >> 1]}:${entry & 1 ? 'unknown' : 'hit'}`).sort().join(',');
    assert.equal(found, expected.get(key), `${label}: detectors of ${key}`);
  }
}

describe('log index answers like the streaming path', () => {
  it('on a generated log, built on this thread', async () => {
    const build = buildLogIndex([generated], { threads: 0 });
    await build.done;
    await assertSameAnswers(build.index, await streamingRequests([generated]), 'inline');
  });

  it('on a generated log, built by two workers (split mid-file) and by one', async () => {
    const requests = await streamingRequests([generated]);
    const two = buildLogIndex([generated], { threads: 2, splitMinBytes: 1 });
    await two.done;
    assert.equal(two.index.segments.length, 2, 'the file was split');
    await assertSameAnswers(two.index, requests, 'two workers');
    const one = buildLogIndex([generated], { threads: 1 });
    await one.done;
    assert.equal(one.index.segments.length, 1);
    await assertSameAnswers(one.index, requests, 'one worker');
    // Same rows in the same time order, whatever the split.
    const rowsOf = (index: LogIndex) => indexKeys(index, timeOrder(index)).join('\n');
    assert.equal(rowsOf(two.index), rowsOf(one.index));
    const order = (index: LogIndex) => [...timeOrder(index)].map((row) => `${index.auditID(row)}/${index.line(row, 'first')}`);
    assert.deepEqual(order(two.index), order(one.index));
  });

  it('on every fixture format, and on several files at once', async () => {
    const formats = join(FIXTURES, 'logs', 'formats');
    const files = [...readdirSync(formats).map((name) => join(formats, name)), join(FIXTURES, 'logs', 'scan-sample.jsonl'), join(FIXTURES, 'workspace', 'hostile.audit.log'), join(FIXTURES, 'workspace', 'secrets.audit.log')];
    for (const file of files) {
      const build = buildLogIndex([file], { threads: 0 });
      await build.done;
      await assertSameAnswers(build.index, await streamingRequests([file]), file);
    }
    const build = buildLogIndex(files, { threads: 0 });
    await build.done;
    await assertSameAnswers(build.index, await streamingRequests(files), 'all fixtures');
  });
});
