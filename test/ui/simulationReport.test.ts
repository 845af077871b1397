import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { activeWebview, openWorkbench, quickOpen, runCommand, SCREENSHOTS, type Workbench } from './workbench';

// A policy replayed over the workspace's generated audit.log (configured as the sample): the CodeLens
// in the editor, and the report beside it, compared with the policy at git HEAD after an edit.

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  # Node heartbeats
  - level: None
    userGroups: ["system:nodes"]
    verbs: [update]
    resources:
      - group: coordination.k8s.io
        resources: [leases]
  - level: RequestResponse
    resources:
      - group: ""
        resources: [secrets]
  - level: Request
    resources:
      - group: batch
        resources: [jobs, cronjobs]
  - level: Request
    verbs: [create, update, patch, delete]
  - level: Metadata
`;

async function screenshots(page: Page, name: string, show?: Locator): Promise<void> {
  for (const [width, height] of [
    [1366, 768],
    [1500, 950],
  ] as const) {
    await page.setViewportSize({ width, height });
    // The report lays itself out again at the new width: wait for the frame after the resize.
    await activeWebview(page).locator('main.report').waitFor();
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    // The report is drawn anew when a re-simulation of the edited policy arrives: a section found just
    // before that is gone, so look it up again (the locator does) until it holds still.
    if (show) await scrollIntoViewOnceSettled(show);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}x${height}.png`) });
  }
}

async function scrollIntoViewOnceSettled(target: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3 || !String(error).includes('not attached')) throw error;
    }
  }
}

describe('policy simulation in the workbench: CodeLens and the report', { timeout: 240_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({
      prepare: async (workspace) => {
        mkdirSync(join(workspace, '.vscode'), { recursive: true });
        writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'k8sAudit.simulation.logs': ['audit.log'] }));
        writeFileSync(join(workspace, 'sim-audit-policy.yaml'), POLICY);
        const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.com', ...args], { cwd: workspace, stdio: 'ignore' });
        git('init', '-q');
        git('add', 'sim-audit-policy.yaml');
        git('commit', '-q', '-m', 'policy');
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows CodeLens with numbers above the rules', async () => {
    const { page } = workbench;
    await quickOpen(page, 'sim-audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'sim-audit-policy.yaml' }).waitFor();
    const lens = page.locator('.codelens-decoration', { hasText: '% of requests' });
    await lens.first().waitFor({ timeout: 60_000 });
    await page.locator('.codelens-decoration', { hasText: /^Sample: audit\.log, 2,000 requests/ }).waitFor();
    await page.locator('.codelens-decoration', { hasText: 'dead: matches no request of the sample' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-simulation-codelens.png') });
  });

  it('opens the report beside the policy: bars by rule and level, exposures linking to their rule, compared with git HEAD', async () => {
    const { page } = workbench;
    await runCommand(page, 'Kubernetes Audit: Simulate Policy Against Log');
    // Which logs: the configured sample first, then logs open in the viewer, then a file chooser.
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Sample logs (k8sAudit.simulation.logs)' }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Choose log files…' }).waitFor();
    await page.keyboard.press('Enter');
    const report = activeWebview(page).locator('main.report');
    await report.waitFor({ timeout: 60_000 });
    const webview = activeWebview(page);
    assert.equal(await webview.locator('.bars.rules .bar, .bars.rules .dead').count(), 5);
    const exposure = webview.locator('ul.exposures li', { hasText: 'get secrets' });
    await exposure.waitFor();
    await screenshots(page, 'ui-simulation-report');

    // An exposure's link goes to its rule's line in the policy.
    await exposure.locator('button.link').click();
    await page.locator('.monaco-editor .view-line', { hasText: 'level: RequestResponse' }).waitFor();
    // The policy's own tab (the report's is "Simulation: sim-audit-policy.yaml").
    await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^sim-audit-policy\.yaml$/ }).waitFor();
    // The cursor is put on the rule's line (the status bar says where it is once it has moved).
    await page.locator('.statusbar-item', { hasText: /^Ln 12, Col 1$/ }).waitFor();

    // Lower the secrets rule to Metadata, then compare with git HEAD.
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    // As a user does: start the level, pick it from the completion list (which then closes).
    await page.keyboard.type('Meta');
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'Metadata' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.suggest-widget.visible').waitFor({ state: 'hidden' });
    await page.locator('.monaco-editor .view-line', { hasText: '- level: Metadata' }).first().waitFor();
    const compare = activeWebview(page).locator('select[aria-label="Compare with"]');
    await compare.selectOption('head');
    const changes = activeWebview(page).locator('section', { hasText: 'Compared with git HEAD' });
    await changes.locator('.grid.changes span', { hasText: 'RequestResponse → Metadata' }).first().waitFor({ timeout: 30_000 });
    // The secret reads are no longer logged with their values.
    await activeWebview(page).locator('ul.exposures li', { hasText: 'get secrets' }).waitFor({ state: 'detached' });
    await screenshots(page, 'ui-simulation-compare', changes);
  });
});
