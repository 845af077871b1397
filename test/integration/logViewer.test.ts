import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { ViewerStatus } from '../../server/src/protocol/logViewer';
import type { K8sAuditApi } from '../../client/src/api';
import { activateExtension, workspaceFile } from './helpers';

/** JSON lines of `count` audit events, one request each, with users named after `prefix`. */
function auditEvents(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) =>
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      level: 'Metadata',
      auditID: `${prefix}-${i}`,
      stage: 'ResponseComplete',
      verb: 'list',
      user: { username: `${prefix}-user-${i}` },
      objectRef: { resource: 'pods', namespace: 'default' },
      responseStatus: { code: 200 },
      requestReceivedTimestamp: `2026-02-22T10:00:0${i}.000000Z`,
      stageTimestamp: `2026-02-22T10:00:0${i}.004000Z`,
    }),
  )
    .map((line) => `${line}\n`)
    .join('');
}

/** Resolves with the status of the viewer showing `uri` once indexing is done (event driven, with a deadline). */
function indexedStatus(api: K8sAuditApi, uri: vscode.Uri, timeoutMs = 20_000): Promise<ViewerStatus> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const status = api.logViewers.status(uri);
      if (!status || status.indexing) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(status);
    };
    const listener = api.logViewers.onDidChangeStatus((changed) => changed.toString() === uri.toString() && check());
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`timed out waiting for the viewer of ${uri.path}; last status: ${JSON.stringify(api.logViewers.status(uri))}`));
    }, timeoutMs);
    check();
  });
}

describe('audit log custom editor', () => {
  let api: K8sAuditApi;

  before(async () => {
    ({ api } = await activateExtension());
  });

  it('is the default editor for audit.log', async () => {
    const uri = workspaceFile('audit.log');
    await vscode.commands.executeCommand('vscode.open', uri);
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    assert.ok(input instanceof vscode.TabInputCustom, `active tab input is ${input?.constructor.name}`);
    assert.equal(input.viewType, 'k8sAudit.logViewer');
    assert.equal(input.uri.toString(), uri.toString());
    // The generated workspace log has 2,000 requests.
    assert.equal((await indexedStatus(api, uri)).totalRows, 2000);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  // Each file holds different requests, so the counts say which file the viewer read, and that the
  // gzip one was decompressed (read raw, it would be one skipped binary line).
  for (const { name, requests, gzip } of [
    { name: 'other-events.jsonl', requests: 3, gzip: false },
    { name: 'rotated-events.jsonl.gz', requests: 4, gzip: true },
  ]) {
    it(`is offered by "Open With" for other log files: ${gzip ? 'gzip' : 'JSON lines'} (${name})`, async () => {
      const uri = workspaceFile(name);
      const text = Buffer.from(auditEvents(name.split('.')[0]!, requests));
      await vscode.workspace.fs.writeFile(uri, gzip ? gzipSync(text) : text);
      try {
        await vscode.commands.executeCommand('vscode.openWith', uri, 'k8sAudit.logViewer.openWith');
        const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
        assert.ok(input instanceof vscode.TabInputCustom, `active tab input is ${input?.constructor.name}`);
        assert.equal(input.viewType, 'k8sAudit.logViewer.openWith');
        assert.equal(input.uri.toString(), uri.toString());
        const status = await indexedStatus(api, uri);
        assert.deepEqual([status.totalRows, status.skippedCount, status.formats], [requests, 0, ['k8s-json']], JSON.stringify(status));
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      } finally {
        await vscode.workspace.fs.delete(uri);
      }
    });
  }
});
