// Runs test/integration (Mocha) inside a real VS Code: code-server's Node extension host, with the
// packaged .vsix unpacked as the extension under test. Exits non-zero if any test fails.
//   node --import tsx test/harness/runIntegration.ts path/to/extension.vsix
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  ensureCodeServer,
  launchChromium,
  makeWorkspace,
  remoteUri,
  REPO_ROOT,
  startCodeServer,
  tempDir,
  unpackVsix,
  workbenchUrl,
  type RunningCodeServer,
} from './codeServer';

const TIMEOUT_MS = 5 * 60_000;

async function main(): Promise<number> {
  const vsix = process.argv[2];
  if (!vsix) throw new Error('usage: runIntegration.ts EXTENSION.vsix');
  const entry = await ensureCodeServer();
  const dataDir = tempDir('k8s-audit-it-');
  const resultsFile = join(dataDir, 'results.json');
  const testsPath = join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  try {
    const extensionPath = await unpackVsix(vsix, join(dataDir, 'vsix'));
    const workspace = await makeWorkspace(join(dataDir, 'workspace'));
    // Its own process group: stopping it also stops the extension host and the language server.
    server = await startCodeServer({ entry, dataDir, env: { K8S_AUDIT_TEST_RESULTS: resultsFile }, ownProcessGroup: true });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const output: string[] = [];
    page.on('console', (message) => {
      // The extension host's console is forwarded to the page console; our suite tags its lines.
      const text = message.text();
      const tagged = text.indexOf('[integration]');
      if (tagged >= 0) output.push(text.slice(tagged));
    });
    let finish!: (code: number) => void;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', () => undefined);
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    await page.goto(
      workbenchUrl(server, workspace, [
        ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
        ['extensionTestsPath', remoteUri(server, testsPath)],
        ['skipWelcome', 'true'],
      ]),
    );
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), TIMEOUT_MS).unref());
    const code = await Promise.race([finished, timeout]);
    await page.screenshot({ path: join(REPO_ROOT, 'test-results', 'integration-final.png') }).catch(() => undefined);
    for (const line of output) console.log(line);
    let summary: { vscodeVersion: string; passed: number; failed: number; failures: { title: string; error: string }[] } | undefined;
    try {
      summary = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      summary = undefined;
    }
    // The data folder (and the log file in it) goes when this ends: print the end of the log instead.
    if (code === -1) console.error(`integration: timed out after ${TIMEOUT_MS / 1000} s; the end of code-server's log:\n${server.logTail(40)}`);
    if (!summary) {
      console.error(`integration: the suite wrote no results (exit code ${code}); the end of code-server's log:\n${server.logTail(40)}`);
      return 1;
    }
    for (const failure of summary.failures) console.error(`FAILED ${failure.title}\n${failure.error}`);
    console.log(`integration: Mocha ran inside VS Code ${summary.vscodeVersion} against ${vsix}`);
    console.log(`integration: ${summary.passed} passed, ${summary.failed} failed`);
    writeFileSync(join(REPO_ROOT, 'test-results', 'integration.json'), JSON.stringify(summary, null, 2));
    return code === 0 && summary.failed === 0 ? 0 : 1;
  } finally {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
