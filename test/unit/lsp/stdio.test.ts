import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers';
import { StdioClient } from './stdioClient';

describe('k8s-audit-language-server --stdio', () => {
  it('answers initialize and publishes diagnostics for a broken policy', async () => {
    const client = new StdioClient();
    try {
      client.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      const initialized = await client.next((m) => m.id === 1);
      assert.equal(initialized.result.serverInfo.name, 'k8s-audit-language-server');
      assert.ok(initialized.result.capabilities.textDocumentSync);
      client.send({ method: 'initialized', params: {} });
      const uri = 'file:///tmp/audit-policy.yaml';
      client.send({
        method: 'textDocument/didOpen',
        params: { textDocument: { uri, languageId: 'yaml', version: 1, text: 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: None\n' } },
      });
      const published = await client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
      // The header error, and the findings on the rules all the same (every rule at None logs nothing).
      const codes = published.params.diagnostics.map((d: { code: string }) => d.code);
      assert.equal(codes[0], 'api-version-removed');
      assert.ok(codes.includes('policy-logs-nothing'), codes.join());
      client.send({ id: 2, method: 'shutdown' });
      await client.next((m) => m.id === 2);
      client.send({ method: 'exit' });
      const exitCode = await new Promise((resolve) => client.child.once('exit', resolve));
      assert.equal(exitCode, 0);
    } finally {
      client.child.kill();
    }
  });

  it('gives any LSP client completion, hover and quick fixes (no VS Code-only behaviour)', async () => {
    const client = new StdioClient();
    try {
      client.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      const { result } = await client.next((m) => m.id === 1);
      assert.ok(result.capabilities.completionProvider && result.capabilities.hoverProvider && result.capabilities.codeActionProvider);
      client.send({ method: 'initialized', params: {} });
      const uri = 'file:///tmp/policy.yaml';
      const text = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: \n    resources:\n      - group: ""\n        resources: ["secrets"]\n        verbs: ["get"]\n  - level: Metadata\n';
      client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version: 1, text } } });
      client.send({ id: 2, method: 'textDocument/completion', params: { textDocument: { uri }, position: { line: 3, character: 11 } } });
      const completion = await client.next((m) => m.id === 2);
      const labels = (completion.result.items ?? completion.result).map((item: { label: string }) => item.label);
      assert.ok(labels.includes('RequestResponse') && labels.includes('None'), labels.join(', '));
      client.send({ id: 3, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 6, character: 21 } } });
      const hover = await client.next((m) => m.id === 3);
      assert.match(JSON.stringify(hover.result.contents), /secrets/i);
      const fixed = text.replace('level: \n', 'level: Metadata\n');
      client.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] } });
      const published = await client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.version === 2);
      const dropped = published.params.diagnostics.find((d: { code: string }) => d.code === 'unknown-field');
      assert.ok(dropped, JSON.stringify(published.params.diagnostics));
      client.send({ id: 4, method: 'textDocument/codeAction', params: { textDocument: { uri }, range: dropped.range, context: { diagnostics: [dropped] } } });
      const actions = await client.next((m) => m.id === 4);
      const move = actions.result.find((action: { title: string }) => /Move "verbs"/.test(action.title));
      assert.ok(move?.edit?.changes?.[uri]?.length > 0, JSON.stringify(actions.result));
    } finally {
      client.child.kill();
    }
  });

  it('prints usage and exits 2 without a transport flag', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(output, /Usage: k8s-audit-language-server --stdio/);
  });
});
