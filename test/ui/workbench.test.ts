import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { answered, answers, brushTimeline, cliCount, indexed, openViewer } from './logViewerFlow';
import { activeWebview, openWorkbench, quickOpen, resize, runCommand, SCREENSHOTS, type Workbench } from './workbench';

describe('the extension in the VS Code workbench (code-server + Chromium, installed from the .vsix)', { timeout: 180_000 }, () => {
  let workbench: Workbench;

  before(async () => {
    workbench = await openWorkbench({
      // Damaged input, named so the viewer opens it by default (the reader goes by the bytes, not the name).
      prepare: async (workspace) => {
        const gz = gzipSync(readFileSync(join(workspace, 'audit.log')));
        writeFileSync(join(workspace, 'audit-truncated.log'), gz.subarray(0, Math.floor(gz.length / 2)));
        writeFileSync(join(workspace, 'audit-binary.log'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, ...Array.from({ length: 4000 }, (_, i) => (i * 37) % 256)]));
      },
    });
  });

  after(async () => {
    await workbench?.close();
  });

  it('shows the broken policy error in the Problems panel and squiggles the value', async () => {
    const { page } = workbench;
    await quickOpen(page, 'broken-policy.yaml');
    await page.locator('.tab.active', { hasText: 'broken-policy.yaml' }).waitFor();
    await runCommand(page, 'View: Focus Problems');
    const problem = page.locator('.markers-panel .monaco-list-row', { hasText: 'was removed in Kubernetes 1.24' });
    await problem.first().waitFor({ timeout: 30_000 });
    const text = (await problem.first().textContent()) ?? '';
    assert.match(text, /api-version-removed/);
    // The Problems panel shows the 1-based position of the range start: line 1, column 13.
    assert.match(text, /\[Ln 1, Col 13\]/);
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-problems-panel.png') });
  });

  it('opens audit.log in the custom editor: a virtual table that scrolls to the last event by keyboard', async () => {
    const { page } = workbench;
    await quickOpen(page, 'audit.log');
    const webview = activeWebview(page);
    const rows = webview.locator('#rows .vt-row');
    await rows.first().waitFor({ timeout: 30_000 }).catch(async (error: unknown) => {
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-failed.png') });
      throw error;
    });
    // The first rows come while indexing goes on: count once the whole file is in.
    const summary = await indexed(webview);
    const total = Number(/^[\d,]+ of ([\d,]+) requests/.exec(summary)?.[1]?.replace(/,/g, ''));
    // The generated log has 2,000 requests (one row each, all stages grouped by auditID).
    assert.equal(total, 2000, summary);
    assert.equal(await webview.locator('#rows').getAttribute('aria-rowcount'), String(total + 1));
    // Only the rows on screen exist in the DOM.
    const drawn = await rows.count();
    assert.ok(drawn > 5 && drawn < 100, `${drawn} rows drawn`);
    const headers = await webview.locator('#rows [role=columnheader]').allTextContents();
    // The first column is the detector mark (its title is empty), then the request itself.
    assert.deepEqual(headers.slice(0, 4), ['', 'Time ▲', 'User', 'Verb']);
    assert.equal(await webview.locator('#rows [data-column="time"]').getAttribute('aria-sort'), 'ascending');
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer.png') });

    await webview.locator('#rows').press('End');
    const last = webview.locator(`#rows .vt-row[aria-rowindex="${total + 1}"]`);
    await last.waitFor();
    assert.equal(await last.getAttribute('aria-selected'), 'true');
    await webview.locator(`#rows .vt-row[aria-rowindex="${total + 1}"] .vt-cell:not(.loading)`).first().waitFor();
    // The details show the request's most complete stage, and its other stages folded below it.
    await webview.locator('#details-json', { hasText: '"stage": "ResponseComplete"' }).waitFor({ timeout: 20_000 });
    await webview.locator('#details-stages summary', { hasText: 'RequestReceived stage' }).click();
    await webview.locator('#details-stages .json', { hasText: '"stage": "RequestReceived"' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-end.png') });

    // Hiding the tab destroys the webview; its position and selection come back with it.
    await quickOpen(page, 'audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
    await quickOpen(page, 'audit.log');
    await activeWebview(page)
      .locator(`#rows .vt-row[aria-rowindex="${total + 1}"][aria-selected="true"]`)
      .waitFor({ timeout: 20_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-restore-failed.png') });
        throw error;
      });
  });

  it('shows the selected event redacted, reveals secrets on request, and reports skipped lines', async () => {
    const { page } = workbench;
    await quickOpen(page, 'secrets.audit.log');
    const webview = activeWebview(page);
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
    // One skipped line, in the singular.
    assert.match(await indexed(webview), /^3 of 3 requests · .* · 1 line skipped$/);
    assert.match((await webview.locator('#skipped').textContent()) ?? '', /line 3: /);
    await webview.locator('#rows .vt-row[aria-rowindex="2"]').click();
    const json = webview.locator('#details-json');
    await json.waitFor();
    // The pane must be on screen beside the table, not pushed out of the editor.
    const box = await webview.locator('#details').boundingBox();
    assert.ok(box && box.width > 200 && box.x + box.width <= 1400, JSON.stringify(box));
    assert.match((await json.textContent()) ?? '', /‹redacted 18 chars›/);
    assert.doesNotMatch((await json.textContent()) ?? '', /hunter2/);
    assert.equal(await webview.locator('#reveal-secrets').textContent(), 'Reveal 2 secret values');
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-details-redacted.png') });
    await webview.locator('#reveal-secrets').click();
    await webview.locator('#details-json', { hasText: 'hunter2-do-not-log' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-details-revealed.png') });
  });

  it('says when a log is damaged (a gzip that ends early) or not text, apart from the skipped lines, never as a silent partial or empty table', async () => {
    const { page } = workbench;
    let { webview } = await openViewer(page, 'audit-truncated.log');
    const summary = await indexed(webview, /partial: damaged input/);
    const requests = Number(/^([\d,]+) of/.exec(summary)?.[1]?.replace(/,/g, ''));
    assert.ok(requests > 0 && requests < 2000, summary);
    const warnings = webview.locator('#read-warnings');
    assert.equal(await warnings.getAttribute('role'), 'alert');
    const texts = await warnings.locator('p').allTextContents();
    assert.equal(texts.length, 1, texts.join(' | '));
    assert.match(texts[0]!, /^The gzip data ends early at line \d+: the rest of the file could not be read\.$/);
    // Not one of the ordinary skipped lines, and the rows read before the break are shown.
    assert.doesNotMatch(summary, /skipped/);
    assert.equal(await webview.locator('details.skipped').isVisible(), false);
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor();
    // Just under the header, in view at the sizes most laptops have.
    for (const size of [{ width: 1366, height: 768 }, { width: 1500, height: 950 }]) {
      await resize(page, webview, size);
      const box = await warnings.boundingBox();
      assert.ok(box && box.y + box.height < 150 && box.width > 600, `the warning at ${size.width}x${size.height}: ${JSON.stringify(box)}`);
      await page.screenshot({ path: join(SCREENSHOTS, `viewer-${size.width}x${size.height}-truncated-gzip.png`) });
    }

    // Nothing to filter either: the filter bar is hidden too (so not openViewer, which waits for it).
    await quickOpen(page, 'audit-binary.log');
    webview = activeWebview(page);
    await indexed(webview, /not read/);
    assert.equal(await webview.locator('#query').isVisible(), false);
    assert.deepEqual(await webview.locator('#read-warnings p').allTextContents(), ['This file was not read: binary data, not text (byte 0x02 at offset 4).']);
    // The message instead of an empty table and a "no events found" guess.
    assert.equal(await webview.locator('#rows').isVisible(), false);
    assert.equal(await webview.locator('.empty').isVisible(), false);
    for (const size of [{ width: 1366, height: 768 }, { width: 1500, height: 950 }]) {
      await resize(page, webview, size);
      await page.screenshot({ path: join(SCREENSHOTS, `viewer-${size.width}x${size.height}-binary-file.png`) });
    }
    await resize(page, webview, { width: 1400, height: 900 });
  });

  it('renders a hostile log as text: no script runs, no element is injected', async () => {
    const { page } = workbench;
    const dialogs: string[] = [];
    const errors: string[] = [];
    const onDialog = (dialog: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    };
    const onConsole = (message: { type(): string; text(): string }) => {
      if (message.type() === 'error' && /Content Security Policy|alert|xss|Refused/i.test(message.text())) errors.push(message.text());
    };
    page.on('dialog', onDialog);
    page.on('console', onConsole);
    try {
      await quickOpen(page, 'hostile.audit.log');
      const webview = activeWebview(page);
      const rows = webview.locator('#rows .vt-row');
      await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
      await indexed(webview, /^9 of 9 requests/);
      assert.equal(await rows.count(), 9);
      // Every row, then the details of each: the payloads must show up as text.
      for (let index = 0; index < 9; index++) {
        await rows.nth(index).click();
        await webview.locator('#details h2', { hasText: `line ${index + 1}` }).waitFor();
      }
      assert.match((await rows.first().textContent()) ?? '', /<script>alert\("xss"\)<\/script>/);
      assert.match((await webview.locator('#details-json').textContent()) ?? '', /<a href=\\"javascript:alert\(1\)\\">click<\/a>/);
      const injected = await webview.locator('#app script, #app img, #app svg, #app iframe, #app a, #app [onerror], #app [onload]').count();
      assert.equal(injected, 0, 'elements from log content were created');
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-hostile.png') });
    } finally {
      page.off('dialog', onDialog);
      page.off('console', onConsole);
    }
    assert.deepEqual(dialogs, []);
    assert.deepEqual(errors, []);
  });

  it('follows a growing log: appended events appear without a reload', async () => {
    const { page, workspace } = workbench;
    const file = join(workspace, 'growing.audit.log');
    const event = (i: number) =>
      `${JSON.stringify({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', auditID: `growing-${i}`, stage: 'ResponseComplete', verb: 'get', user: { username: `user-${i}` }, requestReceivedTimestamp: `2026-02-22T10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000000Z`, stageTimestamp: '2026-02-22T11:00:00.000000Z' })}\n`;
    writeFileSync(file, [1, 2, 3].map(event).join(''));
    // A file this new may not be in Quick Open's file search yet; the explorer shows it as it appears.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'growing.audit.log' }).dblclick({ timeout: 30_000 });
    const webview = activeWebview(page);
    await webview
      .locator('#summary', { hasText: '3 of 3 requests' })
      .waitFor({ timeout: 30_000 })
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-follow-failed.png') });
        throw error;
      });
    await webview.locator('#follow').click();
    assert.equal(await webview.locator('#follow').getAttribute('aria-pressed'), 'true');
    appendFileSync(file, Array.from({ length: 97 }, (_, i) => event(i + 4)).join(''));
    await webview.locator('#summary', { hasText: '100 of 100 requests' }).waitFor({ timeout: 15_000 });
    // Following: the newest event is on screen.
    await webview.locator('#rows .vt-row[aria-rowindex="101"] .vt-cell', { hasText: 'user-100' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-follow.png') });
  });

  it('offers completion and explains a rule on hover in a policy file', async () => {
    const { page } = workbench;
    await quickOpen(page, 'audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    // A new rule at the end of the file: `level: ` then ask for suggestions.
    await page.keyboard.press('Control+End');
    await page.keyboard.type('  - level: ');
    await page.keyboard.press('Control+Space');
    const suggestion = page.locator('.suggest-widget .monaco-list-row', { hasText: 'RequestResponse' });
    await suggestion.first().waitFor({ timeout: 20_000 });
    assert.ok((await page.locator('.suggest-widget .monaco-list-row', { hasText: 'Metadata' }).count()) > 0);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-policy-completion.png') });
    await page.keyboard.press('Escape');

    // Hover on the `- level: Request` rule (line 28): what it matches and what it logs.
    await page.keyboard.press('Control+G');
    await page.keyboard.type('28:7');
    await page.keyboard.press('Enter');
    await runCommand(page, 'Show or Focus Hover');
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'Request' });
    await hover.first().waitFor({ timeout: 20_000 });
    assert.match((await hover.first().textContent()) ?? '', /request bod/i);
    // The hover fades in: let its animation finish so the screenshot shows what a person reads.
    await page.waitForFunction(() => document.getAnimations().every((animation) => animation.playState !== 'running'));
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-policy-hover.png') });
    await page.keyboard.press('Escape');
  });

  it('narrows rows by query, facet click, facet exclusion, detector and timeline brush, as the CLI counts them', async () => {
    const { page, workspace } = workbench;
    const log = join(workspace, 'audit.log');
    const { webview, query } = await openViewer(page, 'audit.log');
    const matching = async (expected: number) => {
      await webview.locator('#summary', { hasText: `${expected.toLocaleString('en-US')} of 2,000 requests` }).waitFor({ timeout: 15_000 });
      assert.equal(await webview.locator('#rows').getAttribute('aria-rowcount'), String(expected + 1));
    };

    await query.fill('verb:create resource:pods/exec');
    await query.press('Enter');
    const exec = cliCount(log, 'verb:create resource:pods/exec');
    assert.ok(exec > 0);
    await matching(exec);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-query.png') });

    // A facet click adds its term to the query (the server writes it) and runs it; alt-click excludes the value.
    await query.fill('');
    await query.press('Enter');
    await matching(2000);
    let asked = await answers(webview);
    await webview.locator('[data-facet="verb"] button', { hasText: 'patch' }).first().click();
    await answered(webview, asked + 1);
    assert.equal(await query.inputValue(), 'verb:patch');
    await matching(cliCount(log, 'verb:patch'));
    const firstUser = webview.locator('[data-facet="user"] button').first();
    const user = (await firstUser.locator('.facet-name').textContent()) ?? '';
    asked = await answers(webview);
    await firstUser.click({ modifiers: ['Alt'] });
    await answered(webview, asked + 1);
    // Values with a colon (system:node:...) are quoted in the query.
    const excluded = `verb:patch -user:${/[\s():"]/.test(user) ? `"${user}"` : user}`;
    assert.equal(await query.inputValue(), excluded);
    await matching(cliCount(log, excluded));
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-facets.png') });

    // A detector filters by its own condition (detectors are queries in the same language).
    await webview.locator('#detections button').first().click();
    const detectorQuery = await query.inputValue();
    assert.notEqual(detectorQuery, '');
    await matching(cliCount(log, detectorQuery));
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-detector.png') });

    // Brushing the timeline adds a time range.
    await query.fill('');
    await query.press('Enter');
    await matching(2000);
    asked = await answers(webview);
    await brushTimeline(page, webview, 0.25, 0.6);
    await answered(webview, asked + 1);
    const brushed = await query.inputValue();
    assert.match(brushed, /^after:\S+ before:\S+$/);
    const inRange = cliCount(log, brushed);
    assert.ok(inRange > 0 && inRange < 2000, `${inRange} requests in ${brushed}`);
    await matching(inRange);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-timeline.png') });

    // Sorting by latency, slowest first: each click runs the query again; read the rows of the second answer.
    const sortedFrom = await answers(webview);
    await webview.locator('#rows [data-column="latency"]').click();
    await answered(webview, sortedFrom + 1);
    await webview.locator('#rows [data-column="latency"]').click();
    await answered(webview, sortedFrom + 2);
    assert.equal(await webview.locator('#rows [data-column="latency"]').getAttribute('aria-sort'), 'descending');
    const latencies = webview.locator('#rows .vt-row .vt-cell:nth-child(9)');
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor();
    const [first, second] = [await latencies.nth(0).textContent(), await latencies.nth(1).textContent()].map((text) => parseFloat(text ?? ''));
    assert.ok(first! >= second!, `${first} then ${second}`);
  });

  it('lets the user hide and reorder columns, and keeps the choice when the tab comes back', async () => {
    const { page } = workbench;
    await quickOpen(page, 'secrets.audit.log');
    const webview = activeWebview(page);
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
    await webview.locator('#columns summary').click();
    await webview.locator('#column-sourceIP').uncheck();
    // User agent is offered but hidden until picked.
    await webview.locator('#column-userAgent').check();
    await webview.locator('button[aria-label="Move Code left"]').click();
    const headers = async () => webview.locator('#rows [role=columnheader]').evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset.column));
    const expected = ['mark', 'time', 'user', 'verb', 'resource', 'namespace', 'code', 'name', 'latency', 'stages', 'detectors', 'userAgent'];
    assert.deepEqual(await headers(), expected);
    assert.equal(await webview.locator('#rows .vt-row').first().locator('.vt-cell').count(), expected.length);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-columns.png') });
    await quickOpen(page, 'audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
    await quickOpen(page, 'secrets.audit.log');
    await activeWebview(page).locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
    assert.deepEqual(await headers(), expected);
  });

  it('resizes columns by mouse and keyboard, adds JSON path columns, and keeps both when the tab comes back', async () => {
    const { page, workspace } = workbench;
    const event = (i: number, extra: Record<string, unknown>) =>
      JSON.stringify({
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        auditID: `path-${i}`,
        stage: 'ResponseComplete',
        verb: 'create',
        user: { username: `user-${i}` },
        objectRef: { resource: 'pods', namespace: 'prod' },
        requestReceivedTimestamp: `2026-02-22T10:00:0${i}.000000Z`,
        stageTimestamp: `2026-02-22T10:00:0${i}.005000Z`,
        ...extra,
      });
    const images = ['nginx:1.27, registry.example.com/app:v2', '', '<img src=x onerror=alert(1)>'];
    writeFileSync(
      join(workspace, 'paths.audit.log'),
      [
        event(1, { requestObject: { spec: { containers: [{ image: 'nginx:1.27' }, { image: 'registry.example.com/app:v2' }] } }, annotations: { 'authorization.k8s.io/decision': 'allow' }, responseStatus: { code: 201 } }),
        event(2, { annotations: { 'authorization.k8s.io/decision': 'forbid' }, responseStatus: { code: 403 } }),
        event(3, { requestObject: { spec: { containers: [{ image: images[2] }] } }, responseStatus: { code: 500 } }),
      ].join('\n') + '\n',
    );
    await quickOpen(page, 'paths.audit.log');
    let webview = activeWebview(page);
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
    await indexed(webview, /^3 of 3 requests/);
    const width = async (column: string) => (await webview.locator(`#rows [role=columnheader][data-column="${column}"]`).boundingBox())!.width;

    // Drag the right edge of the User column 120 px to the right.
    const before = await width('user');
    const handle = (await webview.locator('#rows [data-column="user"] .vt-resize').boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    for (let step = 1; step <= 6; step++) await page.mouse.move(handle.x + handle.width / 2 + step * 20, handle.y + handle.height / 2);
    await page.mouse.up();
    const resized = await width('user');
    assert.ok(Math.abs(resized - (before + 120)) <= 3, `user column ${before} -> ${resized}`);
    // The keyboard does the same from the focused edge: two steps of 10 px.
    const verb = await width('verb');
    await webview.locator('#rows [data-column="verb"] .vt-resize').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.ok(Math.abs((await width('verb')) - (verb + 20)) <= 2, `verb column ${verb} -> ${await width('verb')}`);

    // A path the query language rejects is explained inline; valid ones become columns.
    await webview.locator('#columns summary').click();
    const input = webview.locator('#column-path');
    await input.fill('requestObject[x]');
    await input.press('Enter');
    await webview.locator('#column-path-error', { hasText: 'bad path step' }).waitFor();
    assert.equal(await input.getAttribute('aria-invalid'), 'true');
    for (const path of ['requestObject.spec.containers[].image', 'annotations.authorization.k8s.io/decision']) {
      await input.fill(path);
      await input.press('Enter');
      await webview.locator(`#rows [role=columnheader][data-column="path:${path}"]`).waitFor();
    }
    await webview.locator('#columns summary').click();
    const cellsOf = async (path: string) => {
      const ids = await webview.locator('#rows [role=columnheader]').evaluateAll((cells) => cells.map((cell) => (cell as HTMLElement).dataset.column));
      const nth = ids.indexOf(`path:${path}`) + 1;
      assert.ok(nth > 0, JSON.stringify(ids));
      const cells = webview.locator(`#rows .vt-row .vt-cell:nth-child(${nth})`);
      await cells.first().waitFor();
      return cells.allTextContents();
    };
    const expectValues = async () => {
      // Values come with the rows from the server: wait until the first row has its image.
      await webview.locator('#rows .vt-row .vt-cell', { hasText: 'registry.example.com/app:v2' }).waitFor({ timeout: 15_000 });
      assert.deepEqual(await cellsOf('requestObject.spec.containers[].image'), images);
      assert.deepEqual(await cellsOf('annotations.authorization.k8s.io/decision'), ['allow', 'forbid', '']);
    };
    await expectValues();
    // Log content stays text.
    assert.equal(await webview.locator('#app img').count(), 0);
    // The table is wider than its pane now: focusing the last column's edge scrolls it into view.
    await webview.locator('#rows [role=columnheader][data-column="path:annotations.authorization.k8s.io/decision"] .vt-resize').focus();
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-path-columns.png') });

    // Hiding the tab rebuilds the webview: widths and path columns come back from its state.
    await quickOpen(page, 'audit-policy.yaml');
    await page.locator('.tab.active', { hasText: 'audit-policy.yaml' }).waitFor();
    await quickOpen(page, 'paths.audit.log');
    webview = activeWebview(page);
    await webview.locator('#rows .vt-row .vt-cell:not(.loading)').first().waitFor({ timeout: 30_000 });
    await indexed(webview, /^3 of 3 requests/);
    assert.ok(Math.abs((await width('user')) - resized) <= 1, `user column ${resized} -> ${await width('user')} after the tab came back`);
    await expectValues();
  });

  it('completes fields and values in the query bar by keyboard, and runs the completed query', async () => {
    const { page, workspace } = workbench;
    const log = join(workspace, 'audit.log');
    const { webview, query } = await openViewer(page, 'audit.log');
    await query.fill('');
    await query.press('Enter');
    await webview.locator('#summary', { hasText: '2,000 of 2,000 requests' }).waitFor({ timeout: 15_000 });
    assert.equal(await query.getAttribute('role'), 'combobox');
    const list = webview.locator('#query-completions[role=listbox]');
    const active = list.locator('[role=option][aria-selected=true] .completion-label');
    /** Moves down the open list until the active option is `label` (by keyboard only). */
    const pick = async (label: string) => {
      await list.locator('[role=option] .completion-label', { hasText: label }).first().waitFor({ timeout: 15_000 });
      for (let i = 0; i < 60 && (await active.textContent()) !== label; i++) await query.press('ArrowDown');
      assert.equal(await active.textContent(), label);
      assert.equal(await query.getAttribute('aria-expanded'), 'true');
      assert.equal(await query.getAttribute('aria-activedescendant'), await list.locator('[role=option][aria-selected=true]').getAttribute('id'));
    };

    await query.pressSequentially('ver');
    await pick('verb:');
    await query.press('Enter');
    assert.equal(await query.inputValue(), 'verb:');
    // Accepting a field leaves the list open with its values (with their counts).
    await pick('get');
    await query.pressSequentially('cr');
    await pick('create');
    assert.match((await list.locator('[role=option][aria-selected=true] .completion-detail').textContent()) ?? '', /^[\d,]+$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'ui-log-viewer-completion.png') });
    await query.press('Enter');
    assert.equal(await query.inputValue(), 'verb:create');
    assert.equal(await query.getAttribute('aria-expanded'), 'false');
    // Enter without an open list runs the query.
    await query.press('Enter');
    const expected = cliCount(log, 'verb:create');
    assert.ok(expected > 0);
    await webview.locator('#summary', { hasText: `${expected.toLocaleString('en-US')} of 2,000 requests` }).waitFor({ timeout: 15_000 });
    assert.equal(await webview.locator('#rows').getAttribute('aria-rowcount'), String(expected + 1));

    // Ctrl+Space opens the list; Escape closes only the list, a second Escape clears the query.
    await query.press('Control+Space');
    await list.locator('[role=option]').first().waitFor({ timeout: 15_000 });
    await query.press('Escape');
    assert.equal(await query.getAttribute('aria-expanded'), 'false');
    assert.equal(await query.inputValue(), 'verb:create');
    await query.press('Escape');
    assert.equal(await query.inputValue(), '');
    await webview.locator('#summary', { hasText: '2,000 of 2,000 requests' }).waitFor({ timeout: 15_000 });
  });
});
