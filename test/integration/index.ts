// Entry point that VS Code loads as `extensionTestsPath`: runs the Mocha suite inside the real
// extension host and reports through Mocha's exit status (non-zero fails the whole run).
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import Mocha = require('mocha');

// Every *.test.ts beside this file, found by the build (scripts/build.mjs); each is required lazily,
// after Mocha has installed its globals (describe, it, ...).
import TEST_FILES = require('integration-test-files');

interface Summary {
  vscodeVersion: string;
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

export function run(): Promise<void> {
  // Reporting is done below with plain console lines that the driver picks up from the page console.
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: class Silent {} as unknown as Mocha.ReporterConstructor });
  mocha.suite.emit('pre-require', globalThis, 'integration', mocha);
  console.log(`[integration] VS Code ${vscode.version} (${vscode.env.appName}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, remote=${vscode.env.remoteName ?? 'none'})`);
  if (TEST_FILES.length === 0) throw new Error('no integration test files were bundled');
  for (const [name, load] of TEST_FILES) {
    console.log(`[integration] loading ${name}`);
    load();
  }
  const summary: Summary = { vscodeVersion: vscode.version, passed: 0, failed: 0, pending: 0, failures: [] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`[integration] ${summary.passed} passed, ${summary.failed} failed`);
      const resultsFile = process.env.K8S_AUDIT_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify(summary, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => {
      summary.passed++;
      console.log(`[integration] ✔ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on('pending', (test) => {
      summary.pending++;
      console.log(`[integration] - ${test.fullTitle()} (skipped)`);
    });
    runner.on('fail', (test, error: Error) => {
      summary.failed++;
      console.log(`[integration] ✘ ${test.fullTitle()}: ${error?.message ?? error}`);
      summary.failures.push({ title: test.fullTitle(), error: String(error?.stack ?? error) });
    });
  });
}
