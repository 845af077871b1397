import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, workspaceFile } from './helpers';

describe('audit log custom editor', () => {
  before(async () => {
    await activateExtension();
  });

  it('is the default editor for audit.log', async () => {
    const uri = workspaceFile('audit.log');
    await vscode.commands.executeCommand('vscode.open', uri);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, `active tab input is ${input?.constructor.name}`);
    assert.equal(input.viewType, 'k8sAudit.logViewer');
    assert.equal(input.uri.toString(), uri.toString());
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('is offered by "Open With" for other log files (JSON lines, gzip)', async () => {
    const uri = workspaceFile('audit.log');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'k8sAudit.logViewer.openWith');
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom);
    assert.equal(input.viewType, 'k8sAudit.logViewer.openWith');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
