import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { policyCompletions } from '../../../../server/src/policy/features/complete';
import { URI } from '../helpers';

const HEADER = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/** Completion at the "|" of a document (the marker is removed). */
function complete(marked: string, kubernetesVersion?: string): CompletionItem[] {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const before = marked.slice(0, at).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1]!.length };
  const list = policyCompletions(URI, text, position, kubernetesVersion ? { kubernetesVersion } : {});
  assert.ok(list, 'not treated as a policy');
  return list.items;
}

function labels(items: CompletionItem[]): string[] {
  return items.map((i) => i.label);
}

function edit(item: CompletionItem | undefined): TextEdit {
  assert.ok(item?.textEdit && 'range' in item.textEdit);
  return item.textEdit;
}

describe('completion: keys', () => {
  it('top level: the keys not yet present', () => {
    const items = complete(`${HEADER}|\nrules:\n- level: None\n`);
    assert.deepEqual(labels(items), ['metadata', 'omitStages', 'omitManagedFields']);
    assert.match(String((items[1]!.documentation as { value: string }).value), /unioned/);
  });

  it('rule keys, without the ones present; also half-typed', () => {
    const items = complete(`${HEADER}rules:\n- level: None\n  users: [a]\n  v|\n- level: Metadata\n`);
    assert.ok(!labels(items).includes('level') && !labels(items).includes('users'));
    const verbs = items.find((i) => i.label === 'verbs')!;
    assert.deepEqual(edit(verbs).range, { start: { line: 5, character: 2 }, end: { line: 5, character: 3 } });
    assert.equal(edit(verbs).newText, 'verbs: [$1]');
    assert.equal(verbs.insertTextFormat, InsertTextFormat.Snippet);
  });

  it('a new "- " item of rules: whole-rule snippets first, then rule keys', () => {
    const items = complete(`${HEADER}rules:\n- level: None\n  users: [a]\n- |`);
    assert.equal(items[0]!.label, 'rule: resources');
    assert.equal(items[0]!.insertTextFormat, InsertTextFormat.Snippet);
    assert.match(edit(items[0]).newText, /^level: \$\{1\|Metadata,None,Request,RequestResponse\|\}\n {2}resources:\n {2}- group: "\$\{2\}"\n {4}resources: \[\$\{3\}\]$/);
    assert.ok(labels(items).includes('rule: catch-all'));
    assert.ok(labels(items).includes('level'));
  });

  it('flow rules: keys of the rule map; nothing in comments', () => {
    assert.deepEqual(labels(complete(`${HEADER}rules:\n- {level: None, users: [a], |}\n`)), ['userGroups', 'verbs', 'resources', 'namespaces', 'nonResourceURLs', 'omitStages', 'omitManagedFields']);
    assert.deepEqual(labels(complete(`${HEADER}rules:\n- level: None\n  # a comment |\n`)), []);
  });

  it('renaming a key before its ": value" inserts the bare name, without snippets', () => {
    const items = complete(`${HEADER}rules:\n- le|v: None\n`);
    assert.ok(!labels(items).includes('rule: catch-all'));
    const level = items.find((i) => i.label === 'level');
    assert.deepEqual(edit(level), { range: { start: { line: 3, character: 2 }, end: { line: 3, character: 5 } }, newText: 'level' });
  });

  it('resources[] item keys, block and flow, indented lists too', () => {
    assert.deepEqual(labels(complete(`${HEADER}rules:\n  - level: None\n    resources:\n      - group: ""\n        |\n`)), ['resources', 'resourceNames']);
    assert.deepEqual(labels(complete(`${HEADER}rules:\n- level: None\n  resources:\n  - |`)), ['group', 'resources', 'resourceNames']);
    assert.deepEqual(labels(complete(`${HEADER}rules:\n- level: None\n  resources: [{group: apps, |}]\n`)), ['resources', 'resourceNames']);
  });
});

describe('completion: values', () => {
  it('levels with their meaning', () => {
    const items = complete(`${HEADER}rules:\n- level: |\n`);
    assert.deepEqual(labels(items), ['None', 'Metadata', 'Request', 'RequestResponse']);
    assert.match(String((items[1]!.documentation as { value: string }).value), /no request or response body/);
    const partial = complete(`${HEADER}rules:\n- level: Me|tadata\n`);
    assert.deepEqual(edit(partial[0]).range, { start: { line: 3, character: 9 }, end: { line: 3, character: 17 } });
  });

  it('a value typed with an opening quote is filtered on the quoted form', () => {
    const items = complete(`${HEADER}rules:\n- level: None\n  users: ["system:kube-p|"]\n`);
    const proxy = items.find((i) => i.label === 'system:kube-proxy')!;
    assert.equal(proxy.filterText, '"system:kube-proxy');
    assert.deepEqual(edit(proxy).range, { start: { line: 4, character: 10 }, end: { line: 4, character: 25 } }, 'the closing quote too');
  });

  it('flow lists over several lines', () => {
    const items = complete(`${HEADER}rules:\n- level: None\n  resources: [{group: ""}]\n  verbs: [get,\n    li|\n  ]\n`);
    assert.ok(labels(items).includes('list') && !labels(items).includes('get'));
    assert.deepEqual(edit(items[0]).range, { start: { line: 6, character: 4 }, end: { line: 6, character: 6 } });
    const resources = labels(complete(`${HEADER}rules:\n- level: None\n  resources: [{group: apps,\n    resources: [|]}]\n`));
    assert.ok(resources.includes('deployments'));
  });

  it('stages: policy block list and rule flow list, without those present', () => {
    assert.deepEqual(labels(complete(`${HEADER}omitStages:\n- RequestReceived\n- |\nrules:\n- level: None\n`)), ['ResponseStarted', 'ResponseComplete', 'Panic']);
    assert.deepEqual(labels(complete(`${HEADER}rules:\n- level: None\n  omitStages: [Panic, |]\n`)), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
  });

  it('verbs that really occur: resource verbs, or HTTP methods for URL rules', () => {
    const resource = labels(complete(`${HEADER}rules:\n- level: None\n  resources: [{group: ""}]\n  verbs: [get, |]\n`));
    assert.ok(resource.includes('list') && resource.includes('deletecollection') && !resource.includes('get'));
    for (const never of ['impersonate', 'bind', 'escalate', '*', 'post']) assert.ok(!resource.includes(never), never);
    const urls = labels(complete(`${HEADER}rules:\n- level: None\n  nonResourceURLs: [/healthz]\n  verbs:\n  - |\n`));
    assert.deepEqual(urls, ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
  });

  it('API groups from the catalog, core as "", "*" from 1.36', () => {
    const items = complete(`${HEADER}rules:\n- level: None\n  resources:\n  - group: |\n`);
    assert.ok(labels(items).includes('apps') && labels(items).includes('rbac.authorization.k8s.io') && labels(items).includes('*'));
    assert.equal(edit(items.find((i) => i.label === '""')).newText, '""');
    assert.equal(edit(items.find((i) => i.label === '*')).newText, '"*"');
    assert.ok(!labels(complete(`${HEADER}rules:\n- level: None\n  resources:\n  - group: |\n`, '1.35')).includes('*'));
    assert.ok(!labels(complete(`${HEADER}rules:\n- level: None\n  resources:\n  - group: |\n`, '1.30')).includes('extensions'));
  });

  it('resources and subresources of the enclosing group, with wildcards', () => {
    const apps = labels(complete(`${HEADER}rules:\n- level: None\n  resources:\n  - group: apps\n    resources:\n    - |\n`));
    for (const r of ['deployments', 'deployments/scale', 'deployments/*', '*/status', '*/scale', '*']) assert.ok(apps.includes(r), r);
    assert.ok(!apps.includes('pods'));
    const core = complete(`${HEADER}rules:\n- level: None\n  resources: [{group: "", resources: [pods, p|]}]\n`);
    assert.ok(labels(core).includes('pods/exec') && labels(core).includes('persistentvolumes') && !labels(core).includes('pods'));
    assert.equal(edit(core.find((i) => i.label === '*/status')).newText, '"*/status"');
    const blockFlow = labels(complete(`${HEADER}rules:\n- level: None\n  resources:\n  - resources: [|]\n    group: rbac.authorization.k8s.io\n`));
    assert.ok(blockFlow.includes('clusterroles'));
  });

  it('well-known users and groups, also while typing "system:"', () => {
    const users = complete(`${HEADER}rules:\n- level: None\n  users:\n  - system:|\n`);
    assert.ok(labels(users).includes('system:kube-proxy') && labels(users).includes('system:apiserver'));
    assert.deepEqual(edit(users[0]).range.start, { line: 5, character: 4 });
    const groups = labels(complete(`${HEADER}rules:\n- level: None\n  userGroups: [|]\n`));
    for (const g of ['system:nodes', 'system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated', 'system:unauthenticated', 'system:masters']) assert.ok(groups.includes(g), g);
    assert.ok(labels(complete(`${HEADER}rules:\n- level: None\n  users: [|]\n`)).includes('system:anonymous'));
  });

  it('namespaces seen elsewhere in the file, and ""', () => {
    const items = labels(complete(`${HEADER}rules:\n- level: None\n  namespaces: [monitoring]\n  resources: [{group: ""}]\n- level: Metadata\n  namespaces: [|]\n`));
    assert.equal(items[0], 'monitoring');
    assert.ok(items.includes('kube-system') && items.includes('""'));
  });

  it('common non-resource URLs', () => {
    const items = labels(complete(`${HEADER}rules:\n- level: None\n  nonResourceURLs:\n  - |\n`));
    for (const u of ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics', '/openapi/*', '/api*', '/apis*', '/logs*']) assert.ok(items.includes(u), u);
  });

  it('apiVersion and kind', () => {
    assert.deepEqual(labels(complete('apiVersion: |\nkind: Policy\nrules:\n- level: None\n')), ['audit.k8s.io/v1']);
  });

  it('undefined for YAML that is not a policy', () => {
    assert.equal(policyCompletions('file:///x/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n', { line: 1, character: 0 }), undefined);
  });
});
