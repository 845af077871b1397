import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsFor, workspaceFile } from './helpers';

describe('policy diagnostics in VS Code', () => {
  before(async () => {
    await activateExtension();
  });

  it('reports the removed apiVersion of a broken policy on the value itself', async () => {
    const uri = workspaceFile('broken-policy.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const diagnostics = await diagnosticsFor(uri, (list) => list.some((d) => d.code === 'api-version-removed'));
    const removed = diagnostics.find((d) => d.code === 'api-version-removed')!;
    assert.equal(removed.severity, vscode.DiagnosticSeverity.Error);
    // Line 0 is `apiVersion: audit.k8s.io/v1beta1`: the range covers exactly the value.
    assert.deepEqual(
      [removed.range.start.line, removed.range.start.character, removed.range.end.line, removed.range.end.character],
      [0, 12, 0, 32],
    );
    assert.equal(document.getText(removed.range), 'audit.k8s.io/v1beta1');
  });

  it('updates diagnostics as the user edits, and leaves other YAML alone', async () => {
    const other = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: v1\nkind: ConfigMap\n' });
    const policy = await vscode.workspace.openTextDocument({ language: 'yaml', content: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n' });
    await diagnosticsFor(policy.uri, (list) => list.some((d) => d.code === 'no-rules'));
    // The server handles documents in order, so the ConfigMap was judged before the policy above.
    assert.deepEqual(vscode.languages.getDiagnostics(other.uri).filter((d) => d.source === 'k8s-audit'), []);

    const editor = await vscode.window.showTextDocument(policy);
    await editor.edit((edit) => edit.replace(new vscode.Range(2, 0, 2, 9), 'rules:\n- level: Metadata'));
    await diagnosticsFor(policy.uri, (list) => list.length === 0);
  });
});
