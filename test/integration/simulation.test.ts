import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SimulateResult, TuneResult } from '../../server/src/protocol/simulation';
import { activateExtension, workspaceFile } from './helpers';

// The workspace has a generated audit.log (2,000 requests); it is configured as the sample log.

const POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    userGroups: ["system:nodes"]
    verbs: [patch]
    resources:
      - group: ""
        resources: [nodes/status]
  - level: Request
    resources:
      - group: batch
        resources: [jobs]
  - level: Metadata
`;

/** Polls a provider until `accept` holds (the server reads the sample first), with a deadline instead of a fixed sleep. */
async function until<T>(get: () => Thenable<T> | Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

function titles(lenses: vscode.CodeLens[]): string[] {
  return lenses.map((lens) => lens.command?.title ?? '');
}

function lensAt(lenses: vscode.CodeLens[], line: number): string | undefined {
  return lenses.find((lens) => lens.range.start.line === line)?.command?.title;
}

describe('policy simulation in VS Code: CodeLens, the report, tune', () => {
  let document: vscode.TextDocument;

  before(async () => {
    await activateExtension();
    await vscode.workspace.getConfiguration('k8sAudit').update('simulation.logs', ['audit.log'], vscode.ConfigurationTarget.Workspace);
    document = await vscode.workspace.openTextDocument({ language: 'yaml', content: POLICY });
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('k8sAudit').update('simulation.logs', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('shows numbers above every rule from the configured sample log, and new numbers after an edit', async () => {
    const lenses = await until(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (list) => titles(list).some((t) => /% of requests/.test(t)),
      'CodeLens with numbers',
    );
    assert.match(lensAt(lenses, 2)!, /^Sample: audit\.log, 2,000 requests · [≈≥] .* in all · .*% unmatched \(not logged\) · Show report$/);
    assert.match(lensAt(lenses, 3)!, /^\d+(\.\d)?% of requests · not logged \(None\)$/);
    assert.equal(lensAt(lenses, 9), 'dead: matches no request of the sample');
    const catchAll = lensAt(lenses, 13)!;
    assert.match(catchAll, /^\d+(\.\d)?% of requests · ≈ [\d.]+ [kMG]?B\/day · Metadata$/);

    // Drop the lease updates too: the catch-all loses them, the new rule shows its share.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(3, 0), '  - level: None\n    verbs: [update]\n    resources:\n      - group: coordination.k8s.io\n        resources: [leases]\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = await until(
      () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri),
      (list) => /% of requests · not logged/.test(lensAt(list, 3) ?? '') && lensAt(list, 18) !== undefined && lensAt(list, 18) !== catchAll,
      'CodeLens after the edit',
    );
    assert.match(lensAt(after, 18)!, /% of requests · ≈ .* · Metadata$/);
    const share = (title: string) => Number(/^([\d.]+)%/.exec(title)![1]);
    assert.ok(share(lensAt(after, 18)!) < share(catchAll), `${lensAt(after, 18)} vs ${catchAll}`);
  });

  it('"Simulate Policy Against Log…" opens the report of the policy over the sample', async () => {
    const result = await vscode.commands.executeCommand<SimulateResult>('k8sAudit.simulatePolicy', document.uri);
    assert.ok(result && 'report' in result, JSON.stringify(result));
    assert.equal(result.report.totals.requests, 2000);
    assert.equal(result.report.rules.length, 4);
    assert.ok(result.report.rules[3]!.requests > 0);
    // The workbench reports tabs to the extension host asynchronously.
    const isReport = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && /simulationReport/.test(t.input.viewType);
    const tabs = await until(async () => vscode.window.tabGroups.all.flatMap((g) => g.tabs), (list) => list.some(isReport), 'the report tab', 10_000);
    const tab = tabs.find(isReport)!;
    assert.match(tab.label, /^Simulation: Untitled-\d+$/);
  });

  it('"Tune Policy from Log…" opens a proposal that kube-apiserver loads', async () => {
    const log = workspaceFile('audit.log').fsPath;
    const result = await vscode.commands.executeCommand<TuneResult>('k8sAudit.tunePolicy', document.uri, [log]);
    assert.ok(result && 'report' in result, JSON.stringify(result));
    assert.deepEqual(result.report.checks.lintErrors, []);
    assert.deepEqual(result.report.checks.sensitiveDataWarnings, []);
    const proposal = vscode.window.visibleTextEditors.find((e) => e.document.isUntitled && e.document.getText().startsWith('# Audit policy proposed by k8s-audit tune'));
    assert.ok(proposal, 'the proposal is open beside the policy');
  });
});
