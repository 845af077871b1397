import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../harness/codeServer';
import { answered, answers, brushTimeline, cliCount, filterAndRepaint, openAndIndex } from './logViewerFlow';
import { activeWebview, openWorkbench, quickOpen, SCREENSHOTS, type Workbench } from './workbench';

const REQUESTS = 1_000_000;
const FILE = 'audit-1m.log';

describe(`a log of ${REQUESTS.toLocaleString('en-US')} requests in the viewer`, { timeout: 600_000 }, () => {
  let workbench: Workbench;
  let log: string;

  before(async () => {
    workbench = await openWorkbench({
      prepare: async (workspace) => {
        log = join(workspace, FILE);
        execFileSync(process.execPath, [join(REPO_ROOT, 'scripts', 'generate-audit-log.mjs'), '--out', log, '--requests', String(REQUESTS), '--compact', '--seed', '7']);
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('opens, indexes, and narrows by query, facet, detector and time range to the counts of the CLI', async () => {
    const { page } = workbench;
    const { webview, timings } = await openAndIndex(page, FILE);
    assert.equal(timings.totalRequests, REQUESTS);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-large-log-opened.png') });

    const query = 'verb:create resource:pods/exec';
    const filtered = await filterAndRepaint(webview, query);
    assert.equal(filtered.matching, cliCount(log, query));
    assert.equal(await webview.locator('#rows').getAttribute('aria-rowcount'), String(filtered.matching + 1));
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-large-log-query.png') });

    // Selecting a row shows its whole event.
    await webview.locator('#rows .vt-row').first().click();
    await webview.locator('#details-json', { hasText: '"verb": "create"' }).waitFor({ timeout: 30_000 });

    // A facet click over the full log.
    await filterAndRepaint(webview, '');
    let before = await answers(webview);
    await webview.locator('[data-facet="namespace"] button', { hasText: 'payments' }).first().click();
    await answered(webview, before + 1);
    const facetQuery = await webview.locator('#query').inputValue();
    assert.equal(facetQuery, 'namespace:payments');
    await webview.locator('#summary', { hasText: `${cliCount(log, facetQuery).toLocaleString('en-US')} of` }).waitFor({ timeout: 60_000 });

    // A detector from the panel: its condition becomes the query.
    await webview.locator('#detections button', { hasText: 'Attach/Exec Pod' }).first().click();
    const detectorQuery = await webview.locator('#query').inputValue();
    await webview.locator('#summary', { hasText: `${cliCount(log, detectorQuery).toLocaleString('en-US')} of` }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-large-log-detector.png') });

    // A brushed time range.
    await filterAndRepaint(webview, '');
    before = await answers(webview);
    await brushTimeline(page, webview, 0.4, 0.5);
    await answered(webview, before + 1);
    const range = await webview.locator('#query').inputValue();
    assert.match(range, /^after:\S+ before:\S+$/);
    const inRange = cliCount(log, range);
    assert.ok(inRange > 0 && inRange < REQUESTS);
    await webview.locator('#summary', { hasText: `${inRange.toLocaleString('en-US')} of` }).waitFor({ timeout: 60_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-large-log-timeline.png') });

    // Hidden and shown again (a new page), the viewer shows the finished index, not the status it opened with.
    await quickOpen(page, 'audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
    await quickOpen(page, FILE);
    const shownAgain = activeWebview(page);
    await shownAgain.locator('#summary', { hasText: `${inRange.toLocaleString('en-US')} of ${REQUESTS.toLocaleString('en-US')} requests` }).waitFor({ timeout: 30_000 });
    assert.doesNotMatch((await shownAgain.locator('#summary').textContent()) ?? '', /indexing/);

    const report = { requests: REQUESTS, ...timings, filterToRepaintMs: filtered.ms };
    writeFileSync(join(SCREENSHOTS, 'large-log-timings.json'), JSON.stringify(report, null, 2));
    console.log(`large log: first rows ${timings.firstRowsMs.toFixed(0)} ms, indexed ${(timings.indexedMs / 1000).toFixed(1)} s, filter to repaint ${filtered.ms.toFixed(0)} ms`);
  });
});
