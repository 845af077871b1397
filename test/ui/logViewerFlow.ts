// What a person does with a big log in the viewer, timed: open it, wait for the first rows and for
// indexing to finish, then filter. Shared by the UI test (which checks counts) and `npm run bench`.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/codeServer';
import { activeWebview, quickOpen } from './workbench';

export interface OpenTimings {
  firstRowsMs: number;
  indexedMs: number;
  totalRequests: number;
  /** Of the time to first rows: the webview page waiting for VS Code's webview service worker to start (before any of our code runs). */
  serviceWorkerStartMs: number;
}

/** Opens a log in the viewer with Quick Open and waits for its filter bar. */
export async function openViewer(page: Page, fileName: string): Promise<{ webview: FrameLocator; query: Locator }> {
  await quickOpen(page, fileName);
  const webview = activeWebview(page);
  const query = webview.locator('#query');
  await query.waitFor({ timeout: 30_000 });
  return { webview, query };
}

/**
 * Waits until the viewer has indexed the whole file (and, with `text`, until its summary says it): the
 * first rows arrive while indexing goes on, so counts read before this can be partial (36% on a busy machine).
 */
export async function indexed(webview: FrameLocator, text?: string | RegExp, timeoutMs = 60_000): Promise<string> {
  const summary = webview.locator('#summary', text === undefined ? {} : { hasText: text }).filter({ hasNotText: 'indexing' });
  await summary.waitFor({ timeout: timeoutMs });
  return (await summary.textContent()) ?? '';
}

/** The answers the query bar has shown so far (results and errors): wait for the next with `answered`. */
export async function answers(webview: FrameLocator): Promise<number> {
  return Number((await webview.locator('#query-message').getAttribute('data-answers')) ?? 0);
}

/** Waits until the query bar has shown its `count`th answer. */
export async function answered(webview: FrameLocator, count: number, timeoutMs = 60_000): Promise<void> {
  await webview.locator(`#query-message[data-answers="${count}"]`).waitFor({ timeout: timeoutMs });
}

/** Opens `fileName` with Quick Open and times first rows and the end of indexing. */
export async function openAndIndex(page: Page, fileName: string, timeoutMs = 180_000): Promise<{ webview: FrameLocator; timings: OpenTimings }> {
  // From the moment the user picks the file (Quick Open's own file search is not ours to time).
  await quickOpen(page, fileName);
  const started = performance.now();
  const startedAt = Date.now();
  const webview = activeWebview(page);
  await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: timeoutMs });
  // When the webview drew them (it stamps the frame), not when this poller noticed: Playwright polls
  // at up to 500 ms intervals, which would add up to half a second. Browser and Node share the clock.
  const stamped = webview.locator('html[data-first-rows-at]');
  await stamped.waitFor({ state: 'attached', timeout: timeoutMs });
  const firstRowsMs = Number(await stamped.getAttribute('data-first-rows-at')) - startedAt;
  const text = await indexed(webview, undefined, timeoutMs);
  const indexedMs = performance.now() - started;
  const totalRequests = Number(/of ([\d,]+) requests/.exec(text)?.[1]?.replace(/,/g, ''));
  const serviceWorkerStartMs = Number((await webview.locator('html').getAttribute('data-service-worker-start-ms')) ?? 0);
  return { webview, timings: { firstRowsMs, indexedMs, totalRequests, serviceWorkerStartMs } };
}

/** Runs a query from the filter bar and times it until the table shows the new count; returns it. */
export async function filterAndRepaint(webview: FrameLocator, query: string, timeoutMs = 60_000): Promise<{ ms: number; matching: number }> {
  const input = webview.locator('#query');
  const answersBefore = await answers(webview);
  await input.fill(query);
  const started = performance.now();
  await input.press('Enter');
  await answered(webview, answersBefore + 1, timeoutMs);
  const text = (await webview.locator('#query-message').textContent()) ?? '';
  const matching = Number(/([\d,]+) matching/.exec(text)?.[1]?.replace(/,/g, ''));
  // Repainted: the first row of the new result is drawn (or the table is empty).
  if (matching > 0) await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: timeoutMs });
  return { ms: performance.now() - started, matching };
}

/** Drags across the timeline from one fraction of its width to another (a time-range brush). */
export async function brushTimeline(page: Page, webview: FrameLocator, from: number, to: number): Promise<void> {
  const canvas = webview.locator('#timeline');
  const box = (await canvas.boundingBox())!;
  await canvas.hover({ position: { x: box.width * from, y: 20 } });
  await page.mouse.down();
  await canvas.hover({ position: { x: box.width * to, y: 20 } });
  await page.mouse.up();
}

/** What the CLI (the same engine, streaming) counts for a query: the viewer must show the same. */
export function cliCount(file: string, query: string): number {
  return Number(execFileSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'query', file, query, '--format', 'count'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim());
}
