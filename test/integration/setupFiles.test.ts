import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ComplianceReportResult } from '../../server/src/protocol/compliance';
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

  it('Audit Compliance Report over the workspace: the weak maxage fails CIS 1.2.17 at its line, the mapped policy passes 3.2.1; export to Markdown and HTML', async () => {
    const result = await vscode.commands.executeCommand<ComplianceReportResult>('k8sAudit.complianceReport');
    assert.ok(result, 'no report');
    const { report } = result;
    const manifest = workspaceFile('kube-apiserver.yaml').fsPath;
    assert.deepEqual(report.inputs.manifests, [manifest]);
    assert.equal(report.inputs.policy, workspaceFile('audit-policy.yaml').fsPath);
    assert.ok(report.inputs.logs.includes(workspaceFile('audit.log').fsPath), report.inputs.logs.join(', '));
    const byId = new Map(report.controls.map((c) => [c.id, c]));
    assert.equal(byId.get('cis-1.2.17')!.status, 'fail');
    assert.deepEqual(byId.get('cis-1.2.17')!.evidence, [{ file: manifest, line: 18, text: '- --audit-log-maxage=7' }]);
    assert.equal(byId.get('cis-3.2.1')!.status, 'pass');
    for (const c of report.controls) if (c.status !== 'manual') assert.ok(c.evidence.length > 0, c.id);
    assert.ok(report.log && report.log.requests > 0);

    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const markdown = await vscode.commands.executeCommand<vscode.Uri>('k8sAudit.exportComplianceReport', 'markdown', vscode.Uri.joinPath(folder, 'report-export.md'));
    const html = await vscode.commands.executeCommand<vscode.Uri>('k8sAudit.exportComplianceReport', 'html', vscode.Uri.joinPath(folder, 'report-export.html'));
    const markdownText = new TextDecoder().decode(await vscode.workspace.fs.readFile(markdown));
    assert.match(markdownText, /\| `cis-1\.2\.17` \| FAIL \|/);
    const htmlText = new TextDecoder().decode(await vscode.workspace.fs.readFile(html));
    assert.match(htmlText, /^<!DOCTYPE html>/);
    assert.ok(!/<script/i.test(htmlText));
    await vscode.workspace.fs.delete(markdown);
    await vscode.workspace.fs.delete(html);
  });
});
