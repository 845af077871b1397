import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { activeWebview, openWorkbench, quickOpen, runCommand, SCREENSHOTS, type Workbench } from './workbench';

describe('Audit Compliance Report in the workbench', { timeout: 180_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench();
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows each control with its status and evidence, screenshots at two sizes, and opens an evidence line', async () => {
    const { page } = workbench;
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await quickOpen(page, 'kube-apiserver.yaml');
    await page.locator('.tab.active', { hasText: 'kube-apiserver.yaml' }).waitFor();
    await runCommand(page, 'Audit Compliance Report');
    const webview = activeWebview(page);
    const maxage = webview.locator('[data-control="cis-1.2.17"]');
    await maxage.waitFor({ timeout: 60_000 });
    assert.equal(await maxage.locator('.status').textContent(), 'Fail');
    assert.equal(await maxage.locator('.evidence-link').first().textContent(), 'kube-apiserver.yaml:18');
    assert.equal(await webview.locator('[data-control="cis-3.2.1"] .status').textContent(), 'Pass');
    assert.equal(await webview.locator('#controls [role="listitem"]').count(), 11);
    // The workspace's hostile log is among the inputs: its values are text, nothing was injected.
    assert.match((await webview.locator('.inputs').textContent()) ?? '', /hostile\.audit\.log/);
    assert.equal(await webview.locator('#app script, #app img, #app svg, #app iframe, #app [onerror], #app [onload], #app a[href^="javascript"]').count(), 0);

    for (const [width, height] of [
      [1366, 768],
      [1500, 950],
    ] as const) {
      await page.setViewportSize({ width, height });
      await maxage.waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, `ui-compliance-report-${width}x${height}.png`) });
    }
    // The status filter: only the failing controls.
    await webview.locator('.chip.fail').click();
    const shown = await webview.locator('#controls [role="listitem"]').evaluateAll((cards) => cards.map((card) => card.getAttribute('data-control')));
    assert.ok(shown.length > 0 && shown.includes('cis-1.2.17') && !shown.includes('cis-3.2.1'), shown.join(', '));
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-compliance-report-failing.png') });
    await webview.locator('.chip.fail').click();

    await maxage.locator('.evidence-link').first().click();
    await page.locator('.statusbar-item', { hasText: /Ln 18, Col 1/ }).first().waitFor({ timeout: 20_000 });
    assert.deepEqual(dialogs, []);
  });
});
