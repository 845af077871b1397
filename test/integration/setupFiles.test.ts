import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsFor, workspaceFile } from './helpers';

describe('audit setup files in VS Code', () => {
  before(async () => {
    await activateExtension();
  });

  it('a manifest with a weak maxage gets its warning at the value, and the quick fix raises it', async () => {
    const uri = workspaceFile('kube-apiserver.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await diagnosticsFor(uri, (list) => list.some((d) => d.code === 'audit-log-maxage'));
    const maxage = diagnostics.find((d) => d.code === 'audit-log-maxage')!;
    assert.equal(maxage.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(maxage.range), '7');
    assert.equal(maxage.range.start.line, 17);
    assert.match(maxage.message, /CIS 1\.2\.17 asks for 30 or more/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, maxage.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((action) => action.title === 'Set --audit-log-maxage=30');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    // Applied to an untitled copy: the workspace file stays as it is for the other tests.
    const copy = await vscode.workspace.openTextDocument({ language: 'yaml', content: document.getText() });
    await diagnosticsFor(copy.uri, (list) => list.some((d) => d.code === 'audit-log-maxage'));
    const edit = new vscode.WorkspaceEdit();
    for (const [, edits] of fix.edit.entries()) for (const change of edits) edit.replace(copy.uri, change.range, change.newText);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.match(copy.getText(), /--audit-log-maxage=30/);
    // The rest of this manifest is right, so the list empties.
    await diagnosticsFor(copy.uri, (list) => list.length === 0);
  });

  it('--audit-policy-file links to the workspace policy (through k8sAudit.cluster.pathMappings)', async () => {
    const uri = workspaceFile('kube-apiserver.yaml');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri);
    const policyLink = links.find((link) => link.range.start.line === 15);
    assert.ok(policyLink?.target, JSON.stringify(links));
    assert.equal(policyLink.target.path, workspaceFile('audit-policy.yaml').path);
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.getText(policyLink.range), '/etc/kubernetes/audit-policy.yaml');
  });

  it('hover on an audit flag explains it', async () => {
    const uri = workspaceFile('kube-apiserver.yaml');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(17, 10));
    const text = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : ''))).join('\n');
    assert.match(text, /--audit-log-maxage/);
    assert.match(text, /older than 7 days are deleted/);
  });

  it('JSON: AKS diagnostic settings get the kube-audit-admin warning', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'json',
      content: JSON.stringify({ logs: [{ category: 'kube-audit-admin', enabled: true }], workspaceId: '/subscriptions/x/workspaces/y' }, null, 2),
    });
    const diagnostics = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === 'aks-audit-admin-only'));
    assert.equal(document.getText(diagnostics.find((d) => d.code === 'aks-audit-admin-only')!.range), 'kube-audit-admin');
  });
});
