import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, diagnosticsFor, workspaceFile } from './helpers';

/** A rule that logs secrets with their bodies (sensitive-data-logged when it matches them first). */
const SECRETS_AT_REQUEST = ['  - level: Request', '    resources:', '      - group: ""', '        resources: ["secrets"]'];

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

  it('warns where the apiserver silently differs from the text: a dropped key and a shadowed rule', async () => {
    const text = [
      'apiVersion: audit.k8s.io/v1',
      'kind: Policy',
      'rules:',
      '  - level: Metadata',
      '    resources:',
      '      - group: ""',
      '        resources: ["secrets"]',
      '        verbs: ["get"]',
      ...SECRETS_AT_REQUEST,
      '  - level: Metadata',
      '',
    ].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const diagnostics = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === 'rule-shadowed'));
    const byCode = new Map(diagnostics.map((d) => [String(d.code), d]));
    const dropped = byCode.get('unknown-field');
    assert.ok(dropped, JSON.stringify(diagnostics));
    assert.equal(dropped.severity, vscode.DiagnosticSeverity.Warning);
    // `verbs` under resources[] belongs to the rule: the warning sits on that key.
    assert.equal(document.getText(dropped.range), 'verbs');
    assert.equal(dropped.range.start.line, 7);
    const shadowed = byCode.get('rule-shadowed')!;
    assert.equal(shadowed.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(shadowed.range.start.line, 8);
    assert.equal(document.getText(shadowed.range), 'Request');
    assert.match(shadowed.message, /rule 1 \(line 4\)/);
  });

  it('an error does not hide the rule warnings: v1beta1 shows both, and typing a new rule keeps them (no flicker)', async () => {
    const text = ['apiVersion: audit.k8s.io/v1beta1', 'kind: Policy', 'rules:', ...SECRETS_AT_REQUEST, '  - level: Metadata', ''].join('\n');
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const has = (list: vscode.Diagnostic[], code: string) => list.some((d) => d.code === code);
    const first = await diagnosticsFor(document.uri, (list) => has(list, 'api-version-removed') && has(list, 'sensitive-data-logged'));
    assert.equal(first.find((d) => d.code === 'api-version-removed')!.severity, vscode.DiagnosticSeverity.Error);
    const secrets = first.find((d) => d.code === 'sensitive-data-logged')!;
    assert.equal(secrets.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(document.getText(secrets.range), 'Request');

    // Every set published while the new rule is half-typed still carries the warning on rule 1.
    const published: vscode.Diagnostic[][] = [];
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((uri) => uri.toString() === document.uri.toString())) {
        published.push(vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'k8s-audit'));
      }
    });
    try {
      const editor = await vscode.window.showTextDocument(document);
      await editor.edit((edit) => edit.insert(new vscode.Position(7, 0), '  - level:\n'));
      const typing = await diagnosticsFor(document.uri, (list) => has(list, 'level-required'));
      assert.equal(typing.find((d) => d.code === 'level-required')!.range.start.line, 7);
      assert.ok(has(typing, 'api-version-removed') && has(typing, 'sensitive-data-logged'), JSON.stringify(typing));
      assert.ok(published.length > 0);
      for (const set of published) assert.ok(has(set, 'sensitive-data-logged'), `a published set lost the rule warning: ${JSON.stringify(set)}`);
    } finally {
      listener.dispose();
    }
  });

  it('follows k8sAudit.kubernetesVersion: group "*" is an error before 1.36 only', async () => {
    const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    resources:\n      - group: "*"\n        resources: ["*/status"]\n  - level: Metadata\n';
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: text });
    const settings = vscode.workspace.getConfiguration('k8sAudit');
    try {
      await settings.update('kubernetesVersion', '1.33', vscode.ConfigurationTarget.Global);
      const old = await diagnosticsFor(document.uri, (list) => list.some((d) => d.code === 'group-wildcard-unsupported'));
      const error = old.find((d) => d.code === 'group-wildcard-unsupported')!;
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(document.getText(error.range), '"*"');
      await settings.update('kubernetesVersion', '1.36', vscode.ConfigurationTarget.Global);
      await diagnosticsFor(document.uri, (list) => !list.some((d) => d.code === 'group-wildcard-unsupported'));
    } finally {
      await settings.update('kubernetesVersion', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
