// A VS Code workbench in Chromium with the packaged extension installed from its .vsix, the way a user
// gets it, plus helpers to act as that user (quick open, panels, the custom editor's webview).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import {
  ensureCodeServer,
  installVsix,
  launchChromium,
  makeWorkspace,
  REPO_ROOT,
  startCodeServer,
  tempDir,
  workbenchUrl,
  type RunningCodeServer,
} from '../harness/codeServer';

export const SCREENSHOTS = join(REPO_ROOT, 'test-results');

export interface Workbench {
  page: Page;
  workspace: string;
  close(): Promise<void>;
}

export interface WorkbenchOptions {
  /** Runs on the workspace folder before VS Code starts (files made here are indexed from the start). */
  prepare?: (workspace: string) => Promise<void>;
  /** Requests in the generated audit.log of the workspace (default 2,000). */
  requests?: number;
  /** The browser window's size (default 1400x900). */
  viewport?: { width: number; height: number };
}

export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const vsix = process.env.K8S_AUDIT_VSIX;
  if (!vsix) throw new Error('K8S_AUDIT_VSIX must name the packaged extension (scripts/test.mjs sets it)');
  const entry = await ensureCodeServer();
  const dataDir = tempDir('k8s-audit-ui-');
  await installVsix(entry, dataDir, vsix);
  const workspace = await makeWorkspace(join(dataDir, 'workspace'), options.requests);
  await options.prepare?.(workspace);
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    // Its own process group: stopping it also stops the extension host and the language server, which
    // would otherwise outlive it and write into the data folder after it is removed.
    server = await startCodeServer({ entry, dataDir, ownProcessGroup: true });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    // The explorer lists the workspace once the remote file system is connected.
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    mkdirSync(SCREENSHOTS, { recursive: true });
    const openedServer = server;
    const openedBrowser = browser;
    return {
      page,
      workspace,
      close: async () => {
        await openedBrowser.close();
        await openedServer.stop();
        // Generated logs can be large (the 1M-request test writes 650 MB): leave nothing behind.
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
      },
    };
  } catch (error) {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    throw error;
  }
}

/** Opens a workspace file through Quick Open, as a user would with Ctrl+P. */
export async function quickOpen(page: Page, fileName: string): Promise<void> {
  // Wait until the best match is exactly this file: the list may still show rows of the previous quick
  // pick or of history, and "audit.log" also matches "secrets.audit.log". The list reuses its row
  // elements, so check the first row rather than hold on to a row element.
  const exactName = new RegExp(`^${fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const best = page.locator('.quick-input-list .monaco-list-row[data-index="0"] .label-name', { hasText: exactName });
  // A file made while VS Code runs reaches Quick Open's file list once the file watcher reports it:
  // a search typed before that does not find it, so type it again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(fileName);
    try {
      await best.waitFor({ timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

export async function runCommand(page: Page, title: string): Promise<void> {
  // On a loaded machine the workbench may still be reading the extensions' contributions when the
  // palette first opens (it then lists no such command): open it again (for up to 80 s), and keep a picture when it never shows.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 20_000 });
      break;
    } catch (error) {
      if (attempt === 4) {
        await page.screenshot({ path: join(SCREENSHOTS, `ui-failure-command-${title.replace(/[^A-Za-z0-9]+/g, '-')}.png`) }).catch(() => undefined);
        throw error;
      }
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
}

/** The content document of the active webview: two nested iframes deep. */
export function activeWebview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
}

/** Resizes the browser window and waits until the webview has taken the new width (and drawn a frame at it). */
export async function resize(page: Page, webview: FrameLocator, size: { width: number; height: number }): Promise<void> {
  const html = webview.locator('html');
  const nextFrame = () => html.evaluate(() => new Promise<number>((resolve) => requestAnimationFrame(() => resolve(window.innerWidth))));
  const before = await nextFrame();
  const changing = page.viewportSize()?.width !== size.width;
  await page.setViewportSize(size);
  if (!changing) return;
  for (let frames = 0; frames < 600 && (await nextFrame()) === before; frames++);
  await nextFrame();
}
