import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension } from './helpers';

describe('extension activation', () => {
  it('activates from the packaged extension and its language server becomes ready', async () => {
    const { extension, api } = await activateExtension();
    assert.equal(extension.isActive, true);
    assert.equal(extension.packageJSON.name, 'k8s-audit');
    // The packaged .vsix holds the bundles, not the sources: proves we run the artifact.
    const files = await vscode.workspace.fs.readDirectory(vscode.Uri.joinPath(extension.extensionUri, 'dist'));
    const names = files.map(([name]) => name);
    assert.ok(names.includes('server.js') && names.includes('extension.js'), `dist/ holds ${names.join(', ')}`);
    await assert.rejects(async () => vscode.workspace.fs.stat(vscode.Uri.joinPath(extension.extensionUri, 'client', 'src', 'extension.ts')));
    assert.ok(api.timings.serverReadyMs !== undefined && api.timings.serverReadyMs > 0);
    console.log(
      `[integration] extension ${extension.id} ${extension.packageJSON.version} from ${extension.extensionPath}; ` +
        `activate() ${api.timings.activateMs.toFixed(1)} ms, server ready after ${api.timings.serverReadyMs?.toFixed(1)} ms`,
    );
  });
});
