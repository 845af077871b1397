// The viewer's session on ClickHouse (the server side of "the viewer on ClickHouse"): a query and a
// facet narrow it to the CLI's counts on the file; pages come in the table's order by keyset.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ViewerRow } from '../../../server/src/protocol/logViewer';
import { quoteValue } from '../../../server/src/auditlog/query/pattern';
import { ClickHouseClient } from '../../../server/src/store/clickhouseClient';
import { storeTable } from '../../../server/src/store/schema';
import { StoreViewerSession } from '../../../server/src/store/viewer/storeViewerSession';
import { ClickHouseCluster, clickhouseMissing } from '../../harness/clickhouse';
import { runCli } from '../helpers';
import { generateLog } from '../logindex/helpers';
import { load } from './helpers';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-store-viewer-');
const generated = join(tmp, 'generated.log');

function cliCount(query: string): number {
  const result = runCli(['query', generated, query, '--format', 'count']);
  assert.equal(result.status, 0, result.stderr);
  return Number(result.stdout);
}

async function allRows(session: StoreViewerSession, page: number): Promise<ViewerRow[]> {
  const rows: ViewerRow[] = [];
  for (let start = 0; start < session.matchingRows; start += page) rows.push(...(await session.rows(start, page)));
  return rows;
}

describe('the viewer session on ClickHouse', { skip: clickhouseMissing() }, () => {
  let clickhouse: ClickHouseCluster;
  let client: ClickHouseClient;

  before(async () => {
    generateLog(generated, 3000);
    clickhouse = await ClickHouseCluster.start(1);
    load([generated, '--clickhouse', clickhouse.url]);
    client = ClickHouseClient.fromUrl(clickhouse.url);
  });

  after(async () => {
    client?.close();
    await clickhouse?.stop();
  });

  it('narrows by a query and then a facet to the CLI\'s counts on the file', async () => {
    const session = new StoreViewerSession(client, storeTable());
    await session.open();
    assert.equal(session.totalRows, 3000);
    const narrowed = await session.setQuery('verb:(create patch) -user:system:*');
    assert.ok(narrowed.ok);
    assert.equal(narrowed.matchingRows, cliCount('verb:(create patch) -user:system:*'));
    const [users] = await session.facets(['user']);
    const top = users!.top[0]!;
    assert.ok(top.count > 0 && top.count < narrowed.matchingRows, JSON.stringify(users));
    const byFacet = `verb:(create patch) -user:system:* user:${quoteValue(top.value)}`;
    const faceted = await session.setQuery(byFacet);
    assert.ok(faceted.ok);
    assert.equal(faceted.matchingRows, top.count);
    assert.equal(faceted.matchingRows, cliCount(byFacet));
    const timeline = await session.timeline(50);
    assert.equal(timeline.requests.reduce((a, b) => a + b, 0), top.count);
  });

  it('pages in time order by keyset, the same rows however the pages are asked for', async () => {
    const session = new StoreViewerSession(client, storeTable());
    await session.open();
    await session.setQuery('code<300 OR podSpec.allContainers[].securityContext.privileged:true');
    assert.equal(session.matchingRows, cliCount('code<300 OR podSpec.allContainers[].securityContext.privileged:true'));
    const rows = await allRows(session, 150);
    assert.equal(rows.length, session.matchingRows);
    assert.deepEqual(rows.map((row) => row.position), rows.map((_row, i) => i));
    for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1]!.time <= rows[i]!.time, `time order at ${i}`);
    // A jump into the middle (from the nearest remembered page boundary) gives the same rows.
    const fresh = new StoreViewerSession(client, storeTable());
    await fresh.setQuery('code<300 OR podSpec.allContainers[].securityContext.privileged:true');
    assert.deepEqual(await fresh.rows(777, 40), rows.slice(777, 817));
    assert.deepEqual(await session.rows(777, 40), rows.slice(777, 817));
    const detail = await session.event(777, false);
    assert.equal(detail.position, 777);
    assert.match(detail.json, /"auditID"/);
  });

  it('reports a bad query with its position, as for files', async () => {
    const session = new StoreViewerSession(client, storeTable());
    const result = await session.setQuery('verb:get (user:x');
    assert.deepEqual(result.ok ? null : result.error.offset, 9);
  });
});
