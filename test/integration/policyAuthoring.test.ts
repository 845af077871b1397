import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { QUICK_FIX_CASES } from '../fixtures/quickFixCases';
import { activateExtension, diagnosticsFor } from './helpers';

const POLICY_HEAD = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n';

async function openPolicy(body: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: POLICY_HEAD + body });
  await vscode.window.showTextDocument(document);
  return document;
}

function labels(list: vscode.CompletionList): string[] {
  return list.items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))).join('\n');
}

describe('policy authoring in VS Code: completion, hover, quick fixes, explain', () => {
  before(async () => {
    await activateExtension();
  });

  it('completes levels, verbs and the resources of the enclosing API group', async () => {
    const document = await openPolicy('  - level: \n    verbs: [get, ]\n    resources:\n      - group: apps\n        resources: [dep]\n');
    const levels = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(3, 11));
    assert.ok(['None', 'Metadata', 'Request', 'RequestResponse'].every((level) => labels(levels).includes(level)), labels(levels).join(', '));
    const verbs = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(4, 17));
    assert.ok(labels(verbs).includes('watch') && !labels(verbs).includes('impersonate'), labels(verbs).join(', '));
    const resources = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(7, 23));
    assert.ok(labels(resources).includes('deployments') && labels(resources).includes('deployments/scale'), labels(resources).join(', '));
    assert.ok(!labels(resources).includes('pods'), 'pods is not in the apps group');
  });

  it('explains a rule on hover: what it matches, its level, and that bodies are logged', async () => {
    const document = await openPolicy('  - level: RequestResponse\n    resources:\n      - group: ""\n        resources: ["pods"]\n  - level: Metadata\n');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(3, 5));
    const text = hoverText(hovers);
    assert.match(text, /RequestResponse/);
    assert.match(text, /pods/);
  });

  it('applies the quick fix for a misplaced key and the warning goes away', async () => {
    const document = await openPolicy('  - level: Metadata\n    resources:\n      - group: ""\n        resources: ["secrets"]\n        verbs: ["get"]\n  - level: Metadata\n');
    const diagnostics = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === 'unknown-field'));
    const dropped = diagnostics.find((d) => d.code === 'unknown-field')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, dropped.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => /Move "verbs" to the rule/.test(action.title) && action.edit);
    assert.ok(fix, `no quick fix among ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind?.value, vscode.CodeActionKind.QuickFix.value);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await diagnosticsFor(document.uri, (list) => !list.some((d) => d.code === 'unknown-field'));
    // The key now sits on the rule (same indentation as `resources`), where the apiserver reads it.
    assert.match(document.getText(), /\n {4}verbs: \["?get"?\]\n/);
  });

  it('migrates a v1beta1 policy to v1 with one quick fix', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n  - level: Metadata\n' });
    const diagnostics = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === 'api-version-removed'));
    const removed = diagnostics.find((d) => d.code === 'api-version-removed')!;
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, removed.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.edit && /audit\.k8s\.io\/v1\b/.test(action.title));
    assert.ok(fix, actions.map((a) => a.title).join(' | '));
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    await diagnosticsFor(document.uri, (list) => list.length === 0);
    assert.match(document.getText(), /^apiVersion: audit\.k8s\.io\/v1\n/);
  });

  it('explains which rule decides a request (the Explain a Request command)', async () => {
    const document = await openPolicy('  - level: None\n    users: ["system:kube-proxy"]\n  - level: Request\n    resources:\n      - group: ""\n        resources: ["pods/exec"]\n  - level: Metadata\n');
    const result = await vscode.commands.executeCommand<{ ruleIndex?: number; level: string; summary: string }>(
      'k8sAudit.explainRequest',
      { verb: 'create', resource: 'pods/exec', namespace: 'prod', user: 'alice' },
      document.uri,
    );
    assert.equal(result.level, 'Request');
    assert.equal(result.ruleIndex, 1);
    const unmatched = await vscode.commands.executeCommand<{ ruleIndex?: number; level: string }>('k8sAudit.explainRequest', { verb: 'get', resource: 'pods', user: 'system:kube-proxy' }, document.uri);
    assert.equal(unmatched.level, 'None');
    assert.equal(unmatched.ruleIndex, 0);
  });

  for (const { code, text } of QUICK_FIX_CASES) {
    it(`quick fix for ${code}: applied in the editor, the diagnostic goes and no error appears`, async () => {
      const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
      const diagnostics = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === code));
      const target = diagnostics.find((d) => d.code === code)!;
      const before = diagnostics.filter((d) => d.code === code).length;
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, target.range, vscode.CodeActionKind.QuickFix.value);
      const candidates = actions.filter((action) => action.edit && action.kind?.value === vscode.CodeActionKind.QuickFix.value);
      const fix = candidates.find((action) => action.isPreferred) ?? candidates[0];
      assert.ok(fix, `no quick fix for ${code}; offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      const after = await diagnosticsFor(document.uri, (list) => list.filter((d) => d.code === code).length < before);
      assert.deepEqual(
        after.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => `${d.code}: ${d.message}`),
        [],
        `after "${fix.title}":\n${document.getText()}`,
      );
    });
  }
});
