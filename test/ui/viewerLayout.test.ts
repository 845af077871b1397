// The log viewer's layout at the window sizes most laptops have: the table gets the width, details open
// on selection (docked right or bottom, resizable, remembered), the side panel is compact, resizable and
// collapsible, the header is one line, and a query with an error marks the result it leaves on screen.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { answered, answers, cliCount, indexed, openViewer } from './logViewerFlow';
import { activeWebview, openWorkbench, quickOpen, resize, SCREENSHOTS, type Workbench } from './workbench';

const LARGE = { width: 1500, height: 950 };
const SMALL = { width: 1366, height: 768 };
type Size = typeof LARGE;
const sizeName = (size: Size) => `${size.width}x${size.height}`;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  assert.ok(found, 'element is not displayed');
  return found;
}

/** Ids of the columns whose header cell lies wholly inside the table's visible area. */
function wholeColumns(webview: FrameLocator): Promise<string[]> {
  return webview.locator('#rows').evaluate((grid) => {
    const area = grid.querySelector('.vt-body')!.getBoundingClientRect();
    const right = Math.min(area.right, document.documentElement.clientWidth);
    return [...grid.querySelectorAll<HTMLElement>('[role=columnheader]')]
      .filter((cell) => {
        const r = cell.getBoundingClientRect();
        return r.width > 0 && r.left >= area.left - 0.5 && r.right <= right + 0.5;
      })
      .map((cell) => cell.dataset.column!);
  });
}

/**
 * The user names in the rows on screen, and those cut with an ellipsis although they are no longer
 * than a node's name (system:node:ip-10-0-1-12): those must be readable whole.
 */
function userCells(webview: FrameLocator): Promise<{ seen: string[]; cut: string[] }> {
  return webview.locator('#rows').evaluate((grid) => {
    const position = [...grid.querySelectorAll<HTMLElement>('[role=columnheader]')].findIndex((cell) => cell.dataset.column === 'user');
    const cells = [...grid.querySelectorAll('.vt-body .vt-row')].map((row) => row.children[position] as HTMLElement | undefined).filter((cell): cell is HTMLElement => cell !== undefined && !cell.classList.contains('loading'));
    const seen = cells.map((cell) => cell.textContent ?? '');
    const cut = cells.filter((cell) => (cell.textContent ?? '').length <= 'system:node:ip-10-0-1-12'.length && cell.scrollWidth > cell.clientWidth + 1).map((cell) => cell.textContent ?? '');
    return { seen, cut };
  });
}

/** Node names and emails (the common user names) on screen are whole at this size. */
async function assertUsersReadable(webview: FrameLocator, size: Size): Promise<void> {
  const users = await userCells(webview);
  assert.ok(users.seen.some((user) => /^system:node:ip-/.test(user)) && users.seen.some((user) => user.endsWith('@example.com')), `node names and emails on screen: ${users.seen.join(', ')}`);
  assert.deepEqual(users.cut, [], `user names cut at ${sizeName(size)}`);
}

/** The header is one tidy line: every control on the same row, nothing cut off or wrapped. */
async function assertOneLineHeader(webview: FrameLocator, size: Size): Promise<void> {
  const layout = await webview.locator('.toolbar').evaluate((toolbar) => {
    const items = [...toolbar.children].filter((child) => (child as HTMLElement).offsetParent !== null).map((child) => child.getBoundingClientRect());
    const wrapped = [...toolbar.querySelectorAll<HTMLElement>('button, summary')].filter((control) => control.offsetParent !== null && control.getBoundingClientRect().height > 30).map((c) => c.textContent);
    const fileName = toolbar.querySelector<HTMLElement>('.file-name')!;
    return {
      height: toolbar.getBoundingClientRect().height,
      spread: Math.max(...items.map((r) => r.bottom)) - Math.min(...items.map((r) => r.top)),
      overflowing: toolbar.scrollWidth > toolbar.clientWidth + 1,
      fileNameCut: fileName.scrollWidth > fileName.clientWidth + 1,
      wrapped,
    };
  });
  assert.ok(layout.height <= 34 && layout.spread <= 30 && !layout.overflowing && !layout.fileNameCut && layout.wrapped.length === 0, `header at ${sizeName(size)}: ${JSON.stringify(layout)}`);
}

/** Hides the viewer's tab (VS Code destroys its webview) and shows it again. */
async function hideAndShow(page: Page, fileName: string): Promise<FrameLocator> {
  await quickOpen(page, 'audit-policy.yaml');
  await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
  await quickOpen(page, fileName);
  const webview = activeWebview(page);
  await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
  return webview;
}

describe('the log viewer layout at 1366x768 and 1500x950', { timeout: 240_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({ viewport: LARGE });
  });

  after(async () => {
    await workbench?.close();
  });

  it('gives the table the width with no row selected (seven whole columns at 1500x950) under a one-line header', async () => {
    const { page } = workbench;
    const { webview } = await openViewer(page, 'audit.log');
    await indexed(webview, '2,000 of 2,000 requests');
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1500x950-default.png') });
    assert.equal(await webview.locator('#details').isVisible(), false, 'no row is selected: no details pane');
    const whole = await wholeColumns(webview);
    for (const column of ['time', 'user', 'verb', 'resource', 'namespace', 'name', 'code']) assert.ok(whole.includes(column), `${column} is not wholly visible at 1500x950: ${whole.join(', ')}`);
    await assertOneLineHeader(webview, LARGE);
    // The generated log is one day: the time of day in the cells, the date in the header's and each cell's tooltip.
    const time = webview.locator('#rows .vt-body .vt-row').first().locator('.vt-cell').nth(1);
    assert.match((await time.textContent()) ?? '', /^\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match((await time.getAttribute('title')) ?? '', /^2026-02-22T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.match((await webview.locator('#rows [data-column="time"]').getAttribute('title')) ?? '', /2026-02-22/);

    // Node names and emails, the common user names, are whole (a long service account name may be cut).
    const { query } = await openViewer(page, 'audit.log');
    const showUsers = async (text: string) => {
      const before = await answers(webview);
      await query.fill(text);
      await query.press('Enter');
      await answered(webview, before + 1);
      // The answer empties the table's rows; wait for the new result's rows to be drawn.
      await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor();
    };
    try {
      // Ends in ")": completion offers nothing there, so Enter runs the query whenever it comes.
      await showUsers('user:(system:node:* *@example.com)');
      await assertUsersReadable(webview, LARGE);
      await resize(page, webview, SMALL);
      await assertUsersReadable(webview, SMALL);
    } finally {
      // The tests after this one expect the whole log.
      await showUsers('');
    }
    await indexed(webview, '2,000 of 2,000 requests');

    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-default.png') });
    await assertOneLineHeader(webview, SMALL);
    assert.ok((await wholeColumns(webview)).length >= 6, `whole columns at 1366x768: ${await wholeColumns(webview)}`);

    // Every header action is reachable by keyboard: the menu opens with Enter, Esc closes it.
    const menu = webview.locator('#export-menu');
    await menu.locator('summary').focus();
    await menu.locator('summary').press('Enter');
    for (const id of ['export-csv', 'export-jsonl', 'copy-jq', 'open-raw']) await webview.locator(`#${id}`).waitFor();
    await webview.locator('#export-csv').focus();
    await page.keyboard.press('Escape');
    assert.equal(await menu.getAttribute('open'), null);
    assert.equal(await menu.locator('summary').evaluate((summary) => summary === document.activeElement), true);
    await resize(page, webview, LARGE);
  });

  it('opens details on selection, docked right or bottom (by keyboard or mouse), resizable, remembered; Esc and close give the width back', async () => {
    const { page } = workbench;
    let webview = (await openViewer(page, 'audit.log')).webview;
    await indexed(webview, '2,000 of 2,000 requests');
    const table = webview.locator('#rows');
    const details = webview.locator('#details');
    const full = await box(table);

    await webview.locator('#rows .vt-row[aria-rowindex="3"]').click();
    await webview.locator('#details-json').waitFor();
    let pane = await box(details);
    let rows = await box(table);
    assert.ok(pane.x >= rows.x + rows.width - 2 && Math.abs(pane.y - rows.y) <= 30 && pane.width > 250, `docked right by default: table ${JSON.stringify(rows)}, details ${JSON.stringify(pane)}`);
    assert.equal(await webview.locator('#details-dock-right').getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1500x950-details-right.png') });

    // The edge between table and details: Left makes the details wider (three steps of 10 px).
    await webview.locator('#details-splitter').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    const wider = (await box(details)).width;
    assert.ok(Math.abs(wider - (pane.width + 30)) <= 2, `details ${pane.width} -> ${wider}`);
    // Screen readers hear the size and its limits.
    const edgeValue = await webview.locator('#details-splitter').evaluate((edge) => ['now', 'min', 'max'].map((name) => Number(edge.getAttribute(`aria-value${name}`))));
    assert.ok(Math.abs(edgeValue[0]! - wider) <= 2 && edgeValue[1]! < edgeValue[0]! && edgeValue[0]! < edgeValue[2]!, JSON.stringify(edgeValue));

    // Esc (on the table) closes the details and gives the width back; a new selection opens them as they were.
    await table.focus();
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });
    assert.ok(Math.abs((await box(table)).width - full.width) <= 1, `table width back: ${full.width} -> ${(await box(table)).width}`);
    await webview.locator('#rows .vt-row[aria-rowindex="3"]').click();
    await webview.locator('#details-json').waitFor();
    assert.ok(Math.abs((await box(details)).width - wider) <= 2, `details width remembered: ${wider} -> ${(await box(details)).width}`);

    // Docked at the bottom by keyboard.
    await webview.locator('#details-dock-bottom').focus();
    await page.keyboard.press('Space');
    assert.equal(await webview.locator('#details-dock-bottom').getAttribute('aria-pressed'), 'true');
    pane = await box(details);
    rows = await box(table);
    assert.ok(pane.y >= rows.y + rows.height - 2 && Math.abs(pane.width - rows.width) <= 20, `docked bottom: table ${JSON.stringify(rows)}, details ${JSON.stringify(pane)}`);
    assert.ok(Math.abs(rows.width - full.width) <= 1, 'docked at the bottom, the table keeps its width');
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1500x950-details-bottom.png') });

    // Taller by keys (Up: two steps) and by dragging the edge up 40 px.
    await webview.locator('#details-splitter').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    const edge = await box(webview.locator('#details-splitter'));
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 4; step++) await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2 - step * 10);
    await page.mouse.up();
    const taller = (await box(details)).height;
    assert.ok(Math.abs(taller - (pane.height + 60)) <= 3, `details ${pane.height} -> ${taller}`);

    // Hiding the tab rebuilds the webview: the selection, the dock and the size come back.
    webview = await hideAndShow(page, 'audit.log');
    await webview.locator('#rows .vt-row[aria-rowindex="3"][aria-selected="true"]').waitFor({ timeout: 20_000 });
    await webview.locator('#details-json').waitFor();
    assert.equal(await webview.locator('#details-dock-bottom').getAttribute('aria-pressed'), 'true');
    assert.ok(Math.abs((await box(webview.locator('#details'))).height - taller) <= 2, `height after the tab came back: ${taller} -> ${(await box(webview.locator('#details'))).height}`);

    await resize(page, webview, SMALL);
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-details-bottom.png') });
    // Back to the right with the mouse.
    await webview.locator('#details-dock-right').click();
    assert.equal(await webview.locator('#details-dock-right').getAttribute('aria-pressed'), 'true');
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-details-right.png') });

    // The close button gives the width back too.
    const narrowed = await box(webview.locator('#rows'));
    await webview.locator('#details-close').click();
    await webview.locator('#details').waitFor({ state: 'hidden' });
    assert.ok((await box(webview.locator('#rows'))).width > narrowed.width + 200, 'the table takes the width back');
    assert.equal(await webview.locator('#rows .vt-row[aria-selected="true"]').count(), 0);
    await resize(page, webview, LARGE);
  });

  it('keeps the side panel compact: one line per detection, unjudged detectors folded, facets in view; resizable and collapsible', async () => {
    const { page } = workbench;
    let webview = (await openViewer(page, 'audit.log')).webview;
    await resize(page, webview, SMALL);
    await indexed(webview, '2,000 of 2,000 requests');
    await webview.locator('[data-facet]').first().waitFor();

    const judged = webview.locator('#detections-judged button[data-detector]');
    assert.ok((await judged.count()) > 0);
    const lines = await judged.evaluateAll((buttons) =>
      buttons.map((button) => ({ height: button.getBoundingClientRect().height, title: button.getAttribute('title') ?? '', text: button.querySelector('.detection-title')?.textContent ?? '', hits: Number((button as HTMLElement).dataset.hits) })),
    );
    for (const line of lines) {
      assert.ok(line.height <= 24, `a detection takes one line: ${JSON.stringify(line)}`);
      assert.ok(line.title.includes(line.text) && line.text !== '', `the whole title is in the tooltip: ${JSON.stringify(line)}`);
      assert.ok(line.hits > 0, `only detectors with hits are listed by severity: ${JSON.stringify(line)}`);
    }
    // Detectors that need request bodies this Metadata-level log does not have: their own folded group.
    const unjudged = webview.locator('#detections-unknown');
    assert.equal(await unjudged.getAttribute('open'), null);
    assert.match((await unjudged.locator('summary').textContent()) ?? '', /not judged/i);
    assert.ok((await unjudged.locator('button[data-detector]').count()) > 0);

    // The first facet is on screen without scrolling.
    const facetHeading = await box(webview.locator('[data-facet] h3').first());
    const sidebar = await box(webview.locator('#sidebar'));
    assert.ok(facetHeading.y >= sidebar.y && facetHeading.y + facetHeading.height <= sidebar.y + sidebar.height && facetHeading.y + facetHeading.height <= SMALL.height, `first facet at ${JSON.stringify(facetHeading)} in the panel ${JSON.stringify(sidebar)}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-side-panel.png') });

    // Wider by keys (five steps of 10 px) and narrower by dragging its edge 30 px left.
    const splitter = webview.locator('#sidebar-splitter');
    await splitter.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    assert.ok(Math.abs((await box(webview.locator('#sidebar'))).width - (sidebar.width + 50)) <= 2, `side panel ${sidebar.width} -> ${(await box(webview.locator('#sidebar'))).width}`);
    const edge = await box(splitter);
    await page.mouse.move(edge.x + edge.width / 2, edge.y + 40);
    await page.mouse.down();
    for (let step = 1; step <= 3; step++) await page.mouse.move(edge.x + edge.width / 2 - step * 10, edge.y + 40);
    await page.mouse.up();
    const resized = (await box(webview.locator('#sidebar'))).width;
    assert.ok(Math.abs(resized - (sidebar.width + 20)) <= 3, `side panel ${sidebar.width} -> ${resized}`);

    // Collapsed, the table takes its width; the state survives hiding the tab; the keyboard opens it again.
    const toggle = webview.locator('#toggle-sidebar');
    const tableWidth = (await box(webview.locator('#rows'))).width;
    await toggle.click();
    await webview.locator('#sidebar').waitFor({ state: 'hidden' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.ok((await box(webview.locator('#rows'))).width >= tableWidth + resized - 2, 'the table takes the side panel width');
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-side-panel-collapsed.png') });
    await resize(page, webview, LARGE);
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1500x950-side-panel-collapsed.png') });
    webview = await hideAndShow(page, 'audit.log');
    assert.equal(await webview.locator('#sidebar').isVisible(), false);
    await webview.locator('#toggle-sidebar').focus();
    await page.keyboard.press('Enter');
    await webview.locator('#sidebar').waitFor();
    assert.equal(await webview.locator('#toggle-sidebar').getAttribute('aria-expanded'), 'true');
    assert.ok(Math.abs((await box(webview.locator('#sidebar'))).width - resized) <= 2, 'the width it had');
  });

  it('marks the result stale while the query has an error, and unmarks it when the query is fixed', async () => {
    const { page, workspace } = workbench;
    const log = join(workspace, 'audit.log');
    const { webview, query } = await openViewer(page, 'audit.log');
    const run = async (text: string) => {
      const before = await answers(webview);
      await query.fill(text);
      await query.press('Enter');
      await answered(webview, before + 1);
    };
    const creates = cliCount(log, 'verb:create');
    await run('verb:create');
    await webview.locator('#summary', { hasText: `${creates.toLocaleString('en-US')} of 2,000 requests` }).waitFor({ timeout: 15_000 });
    assert.equal(await webview.locator('#stale-note').isVisible(), false);

    await run('verb:(create');
    await webview.locator('.query-caret').waitFor();
    const note = webview.locator('#stale-note');
    await note.waitFor();
    assert.match((await note.textContent()) ?? '', /previous/i);
    // Said to screen readers too: the grid is described by the note, which is a live region.
    assert.match((await webview.locator('#rows').getAttribute('aria-describedby')) ?? '', /\bstale-note\b/);
    assert.equal(await note.getAttribute('role'), 'status');
    assert.match((await webview.locator('#summary').textContent()) ?? '', new RegExp(`previous result.*${creates.toLocaleString('en-US')} of 2,000 requests`, 'i'));
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1500x950-stale-query.png') });
    await resize(page, webview, SMALL);
    await page.screenshot({ path: join(SCREENSHOTS, 'viewer-1366x768-stale-query.png') });
    await resize(page, webview, LARGE);

    await run('verb:get');
    await note.waitFor({ state: 'hidden' });
    assert.doesNotMatch((await webview.locator('#rows').getAttribute('aria-describedby')) ?? '', /stale-note/);
    const gets = cliCount(log, 'verb:get');
    await webview.locator('#summary', { hasText: `${gets.toLocaleString('en-US')} of 2,000 requests` }).waitFor({ timeout: 15_000 });
    assert.doesNotMatch((await webview.locator('#summary').textContent()) ?? '', /previous/i);
  });
});
