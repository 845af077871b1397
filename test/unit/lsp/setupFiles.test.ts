import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixture } from '../cluster/helpers';
import { StdioClient } from './stdioClient';

// The language server over stdio with a workspace folder on disk: setup files (YAML and JSON) get
// diagnostics, quick fixes, hover and links to the policy they name, whose errors show at the flag.

const BROKEN_POLICY = 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n';
const GOOD_POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';

describe('language server: audit setup files', () => {
  let workspace: string;
  let client: StdioClient;
  let nextId = 10;

  const request = async (method: string, params: object) => {
    const id = nextId++;
    client.send({ id, method, params });
    return (await client.next((m) => m.id === id)).result;
  };
  const open = (uri: string, languageId: string, text: string, version = 1) => {
    const published = client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.version === version);
    client.send({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId, version, text } } });
    return published.then((m) => m.params.diagnostics as { code: string; message: string; range: { start: { line: number; character: number } }; relatedInformation?: { location: { uri: string } }[] }[]);
  };

  before(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'k8s-audit-setup-'));
    mkdirSync(join(workspace, 'etc', 'kubernetes'), { recursive: true });
    mkdirSync(join(workspace, 'policies'));
    writeFileSync(join(workspace, 'etc', 'kubernetes', 'audit-policy.yaml'), BROKEN_POLICY);
    writeFileSync(join(workspace, 'policies', 'webhook-policy.yaml'), GOOD_POLICY);
    client = new StdioClient();
    client.send({
      id: 1,
      method: 'initialize',
      params: { processId: null, rootUri: pathToFileURL(workspace).href, capabilities: {}, initializationOptions: { cluster: { pathMappings: { '/srv/audit': '${workspaceFolder}/policies' } } } },
    });
    const { result } = await client.next((m) => m.id === 1);
    assert.deepEqual(result.capabilities.documentLinkProvider, { resolveProvider: false });
    client.send({ method: 'initialized', params: {} });
  });

  after(() => {
    client.child.kill();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('a manifest whose policy (same path under the workspace folder) does not load: an error at the flag, linked to the policy', async () => {
    const uri = pathToFileURL(join(workspace, 'manifests', 'kube-apiserver.yaml')).href;
    const diagnostics = await open(uri, 'yaml', fixture('kube-apiserver-good.yaml'));
    const invalid = diagnostics.find((d) => d.code === 'audit-policy-file-invalid');
    assert.ok(invalid, JSON.stringify(diagnostics));
    assert.deepEqual(invalid.range.start, { line: 15, character: 26 });
    assert.match(invalid.message, /kube-apiserver will not start: the audit policy \/etc\/kubernetes\/audit-policy\.yaml has 1 error \(line 1: .*v1beta1/);
    assert.equal(invalid.relatedInformation![0]!.location.uri, pathToFileURL(join(workspace, 'etc', 'kubernetes', 'audit-policy.yaml')).href);

    const links = await request('textDocument/documentLink', { textDocument: { uri } });
    assert.deepEqual(links.map((l: { target: string; range: { start: { line: number } } }) => [l.range.start.line, l.target]), [[15, pathToFileURL(join(workspace, 'etc', 'kubernetes', 'audit-policy.yaml')).href]]);

    // Fixing the policy (as an open document) clears the error in the manifest.
    const policyUri = pathToFileURL(join(workspace, 'etc', 'kubernetes', 'audit-policy.yaml')).href;
    const cleared = client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && !m.params.diagnostics.some((d: { code: string }) => d.code === 'audit-policy-file-invalid'));
    await open(policyUri, 'yaml', GOOD_POLICY);
    await cleared;
  });

  it('a kubeconfig a manifest names with --audit-webhook-config-file is judged as the webhook, whatever its name', async () => {
    const hookPath = join(workspace, 'etc', 'kubernetes', 'hook.conf');
    writeFileSync(hookPath, fixture('audit-webhook.kubeconfig.yaml'));
    const hookUri = pathToFileURL(hookPath).href;
    // Alone, a kubeconfig called hook.conf is nobody's business.
    assert.deepEqual(await open(hookUri, 'yaml', fixture('audit-webhook.kubeconfig.yaml')), []);
    const judged = client.next((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === hookUri && m.params.diagnostics.length > 0);
    const manifest = fixture('kube-apiserver-good.yaml').replace('    - --audit-log-compress\n', '    - --audit-log-compress\n    - --audit-webhook-config-file=/etc/kubernetes/hook.conf\n');
    const manifestDiagnostics = await open('untitled:webhook-apiserver', 'yaml', manifest);
    assert.ok(manifestDiagnostics.some((d) => d.code === 'audit-webhook-config-invalid'), JSON.stringify(manifestDiagnostics));
    const hook = await judged;
    assert.ok(hook.params.diagnostics.some((d: { code: string }) => d.code === 'webhook-current-context-unknown'));
  });

  it('a path mapping setting resolves a host path to another workspace folder', async () => {
    const uri = 'untitled:mapped-apiserver';
    const text = fixture('kube-apiserver-good.yaml').replace('/etc/kubernetes/audit-policy.yaml', '/srv/audit/webhook-policy.yaml');
    await open(uri, 'yaml', text);
    const links = await request('textDocument/documentLink', { textDocument: { uri } });
    assert.equal(links[0].target, pathToFileURL(join(workspace, 'policies', 'webhook-policy.yaml')).href);
  });

  it('a weak manifest: the maxage warning, its quick fix, and hover on the flag', async () => {
    const uri = 'untitled:weak-apiserver';
    const text = fixture('kube-apiserver-weak.yaml');
    const diagnostics = await open(uri, 'yaml', text);
    const maxage = diagnostics.find((d) => d.code === 'audit-log-maxage')!;
    assert.deepEqual(maxage.range.start, { line: 15, character: 25 });
    const actions = await request('textDocument/codeAction', { textDocument: { uri }, range: maxage.range, context: { diagnostics: [maxage] } });
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), actions[0].edit.changes[uri]);
    assert.match(fixed, /--audit-log-maxage=30/);
    const hover = await request('textDocument/hover', { textDocument: { uri }, position: { line: 15, character: 10 } });
    assert.match(hover.contents.value, /\*\*--audit-log-maxage\*\*/);
    assert.match(hover.contents.value, /rotated files older than 7 days are deleted; below CIS 1\.2\.17/);
  });

  it('JSON documents: AKS diagnostic settings get their warning; other JSON gets nothing', async () => {
    const aks = await open('untitled:aks.json', 'json', fixture('aks-diagnostic-settings.json'));
    assert.deepEqual(aks.map((d) => d.code), ['aks-audit-admin-only', 'aks-log-retention-short']);
    const other = await open('untitled:package.json', 'json', '{"name": "x", "version": "1.0.0"}');
    assert.deepEqual(other, []);
    // A JSON audit policy is not linted as a policy (JSON is the setup engine's alone).
    const jsonPolicy = await open('untitled:audit-policy.json', 'json', '{"apiVersion": "audit.k8s.io/v1beta1", "kind": "Policy", "rules": []}');
    assert.deepEqual(jsonPolicy, []);
  });
});
