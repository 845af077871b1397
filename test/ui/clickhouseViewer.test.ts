// The viewer on ClickHouse, as a user meets it: the workspace's audit.log loaded into a real
// ClickHouse server (Debian's 18.16, started here), "Open Audit Log from ClickHouse…" with the
// password asked once, then a query and a facet narrow the table to what `k8s-audit query
// --clickhouse` counts. A server that is down, a refused password and a missing table are said in words.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import { ClickHouseCluster, clickhouseMissing } from '../harness/clickhouse';
import { answered, answers, filterAndRepaint } from './logViewerFlow';
import { activeWebview, openWorkbench, runCommand, SCREENSHOTS, type Workbench } from './workbench';

const LARGE = { width: 1500, height: 950 };
const SMALL = { width: 1366, height: 768 };
const CLI = join(REPO_ROOT, 'dist', 'cli.js');

function cli(args: string[]): string {
  return execFileSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** Runs the command, picks a connection and, when the password is asked for, answers it. */
async function openFromClickHouse(page: Page, connection: string, password?: string): Promise<FrameLocator> {
  await runCommand(page, 'Open Audit Log from ClickHouse…');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: connection }).first().waitFor();
  await input.fill(connection);
  await page.locator('.quick-input-list .monaco-list-row[data-index="0"] .label-name', { hasText: new RegExp(`^${connection}$`) }).waitFor();
  await page.keyboard.press('Enter');
  if (password !== undefined) {
    const box = page.locator('.quick-input-widget input[type="password"]');
    await box.waitFor();
    await box.fill(password);
    await page.keyboard.press('Enter');
  }
  return activeWebview(page);
}

async function closeEditor(page: Page, title: string): Promise<void> {
  await page.locator('.tab.active', { hasText: title }).waitFor();
  await page.keyboard.press('Control+W');
  await page.locator('.tab', { hasText: title }).waitFor({ state: 'detached' });
}

describe('the log viewer on ClickHouse', { skip: clickhouseMissing(), timeout: 300_000 }, () => {
  let workbench: Workbench;
  let clickhouse: ClickHouseCluster;

  before(async () => {
    clickhouse = await ClickHouseCluster.start(1);
    workbench = await openWorkbench({
      viewport: LARGE,
      prepare: async (workspace) => {
        cli(['load', join(workspace, 'audit.log'), '--clickhouse', clickhouse.url]);
        const settingsFile = join(workspace, '.vscode', 'settings.json');
        const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
        settings['k8sAudit.clickhouse.connections'] = [
          { name: 'local', url: clickhouse.url, table: 'audit_events' },
          { name: 'missing', url: clickhouse.url, table: 'no_such_table' },
          { name: 'stranger', url: clickhouse.url, user: 'nobody' },
          { name: 'down', url: 'http://127.0.0.1:1' },
        ];
        writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
      },
    });
  });

  after(async () => {
    await workbench?.close();
    await clickhouse?.stop();
  });

  it('opens the table from a connection (the password asked once) and narrows by a query and a facet to the CLI\'s counts', async () => {
    const { page } = workbench;
    const webview = await openFromClickHouse(page, 'local', '');
    await webview.locator('#summary', { hasText: '2,000 of 2,000 requests' }).waitFor({ timeout: 60_000 });
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor();
    await page.locator('.tab.active', { hasText: 'local: audit_events' }).waitFor();
    assert.equal(await webview.locator('.file-name').textContent(), 'local: audit_events');
    assert.equal(await webview.locator('#open-raw').count(), 0, 'rows from ClickHouse have no file to open');
    await webview.locator('[data-facet="namespace"] button').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1500x950-opened.png') });

    const query = 'verb:(create patch) -user:system:*';
    const filtered = await filterAndRepaint(webview, query);
    const expected = Number(cli(['query', '--clickhouse', clickhouse.url, query, '--format', 'count']));
    assert.ok(expected > 0);
    assert.equal(filtered.matching, expected);
    await webview.locator('#summary', { hasText: `${expected.toLocaleString('en-US')} of 2,000 requests` }).waitFor();

    // A facet value of the narrowed result: the query gains its term and the count is the CLI's.
    const facet = webview.locator('[data-facet="user"] button', { hasNotText: '(empty)' }).first();
    await webview.locator('[data-facet="user"] h3', { hasText: /^User \(\d\)$/ }).waitFor();
    const before = await answers(webview);
    await facet.click();
    await answered(webview, before + 1);
    const faceted = await webview.locator('#query').inputValue();
    assert.match(faceted, /^verb:\(create patch\) -user:system:\* user:\S+$/);
    const facetCount = Number(cli(['query', '--clickhouse', clickhouse.url, faceted, '--format', 'count']));
    assert.ok(facetCount > 0 && facetCount < expected, `${faceted}: ${facetCount}`);
    await webview.locator('#summary', { hasText: `${facetCount.toLocaleString('en-US')} of 2,000 requests` }).waitFor({ timeout: 30_000 });

    // A row's details: every stage stored for the request, and where it was loaded from.
    await webview.locator('#rows .vt-row').first().click();
    await webview.locator('#details-json', { hasText: '"auditID"' }).waitFor({ timeout: 30_000 });
    await webview.locator('#details-summary', { hasText: 'loaded from' }).waitFor();
    assert.equal(await webview.locator('#details-title').textContent(), 'Request');
    assert.equal(await webview.locator('#open-raw-line').count(), 0);
    await webview.locator('#details-stages summary', { hasText: 'RequestReceived stage' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1500x950-narrowed.png') });
    await page.setViewportSize(SMALL);
    await webview.locator('html').evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1366x768-narrowed.png') });
    await page.setViewportSize(LARGE);
    await closeEditor(page, 'local: audit_events');
  });

  it('says in plain words when the table is missing, the password is refused or the server is down', async () => {
    const { page } = workbench;
    // The same server and user as "local": the stored password is used, nothing is asked.
    let webview = await openFromClickHouse(page, 'missing');
    await webview.locator('.error', { hasText: 'has no table default.no_such_table' }).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1500x950-missing-table.png') });
    await closeEditor(page, 'missing: no_such_table');

    webview = await openFromClickHouse(page, 'stranger', 'guess');
    const refused = webview.locator('.error', { hasText: 'refused user "nobody"' });
    await refused.waitFor({ timeout: 30_000 });
    assert.match((await refused.textContent()) ?? '', /The stored password was forgotten: open the connection again to enter it anew\./);
    await closeEditor(page, 'stranger: audit_events');
    // Forgotten: asked again.
    webview = await openFromClickHouse(page, 'stranger', 'again');
    await webview.locator('.error', { hasText: 'refused user "nobody"' }).waitFor({ timeout: 30_000 });
    await closeEditor(page, 'stranger: audit_events');

    webview = await openFromClickHouse(page, 'down', '');
    await webview.locator('.error', { hasText: 'ClickHouse at http://127.0.0.1:1 cannot be reached (connection refused)' }).waitFor({ timeout: 30_000 });
    await page.setViewportSize(SMALL);
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1366x768-down.png') });
    await page.setViewportSize(LARGE);
    await closeEditor(page, 'down: audit_events');
  });

  it('says so when the server goes away while the table is open: rows and queries that cannot be answered', async () => {
    const { page } = workbench;
    const webview = await openFromClickHouse(page, 'local');
    await webview.locator('#summary', { hasText: '2,000 of 2,000 requests' }).waitFor({ timeout: 60_000 });
    await clickhouse.kill();
    // The last rows were never fetched: asking for them fails, and the viewer says why.
    await webview.locator('#rows').press('End');
    await webview.locator('#query-message .query-error', { hasText: /^Error: ClickHouse at http:\/\/127\.0\.0\.1:\d+ cannot be reached \(connection refused\)/ }).waitFor({ timeout: 30_000 });
    const before = await answers(webview);
    await webview.locator('#query').fill('verb:get');
    await webview.locator('#query').press('Enter');
    await answered(webview, before + 1);
    assert.match((await webview.locator('#query-message').textContent()) ?? '', /^Error: ClickHouse at .* cannot be reached \(connection refused\)/);
    await page.screenshot({ path: join(SCREENSHOTS, 'clickhouse-viewer-1500x950-server-gone.png') });
    await closeEditor(page, 'local: audit_events');
  });
});
