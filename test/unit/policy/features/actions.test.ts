import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagnosticSeverity, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { policyCodeActions } from '../../../../server/src/policy/features/actions/codeActions';
import { lint, policy, rules, URI } from '../helpers';

// Every quick fix is applied and the result linted again: the diagnostic it fixes is gone and no
// error appears.

function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + character;
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits
    .map((e, order) => ({ start: offsetAt(text, e.range.start.line, e.range.start.character), end: offsetAt(text, e.range.end.line, e.range.end.character), newText: e.newText, order }))
    .sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
  for (let k = 1; k < sorted.length; k++) assert.ok(sorted[k]!.end <= sorted[k - 1]!.start || (sorted[k]!.end === sorted[k - 1]!.start), 'edits overlap');
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function actionsFor(text: string, code: string): { d: Diagnostic; actions: CodeAction[] } {
  const d = lint(text).find((x) => x.code === code);
  assert.ok(d, `expected a ${code} diagnostic; got ${lint(text).map((x) => x.code).join(', ')}`);
  const actions = policyCodeActions(URI, text, d.range, [d])!.filter((a) => a.diagnostics?.length);
  return { d, actions };
}

/** Applies the action (the preferred one, or the one whose title matches) and checks the result. */
function fix(text: string, code: string, title?: RegExp): string {
  const { actions } = actionsFor(text, code);
  const action = title ? actions.find((a) => title.test(a.title)) : (actions.find((a) => a.isPreferred) ?? actions[0]);
  assert.ok(action, `no fix for ${code}: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(action.kind, 'quickfix');
  const fixed = applyEdits(text, action.edit!.changes![URI]!);
  const after = lint(fixed);
  const errors = after.filter((d) => d.severity === DiagnosticSeverity.Error);
  assert.deepEqual(errors.map((d) => `${d.code}: ${d.message}`), [], `errors after "${action.title}":\n${fixed}`);
  const before = lint(text).filter((d) => d.code === code).length;
  assert.ok(after.filter((d) => d.code === code).length < before, `${code} still there after "${action.title}":\n${fixed}`);
  return fixed;
}

const CATCH_ALL = 'level: Metadata';

describe('quick fixes: keys', () => {
  it('unknown-field moveTo rule: verbs under resources[] moves to the rule', () => {
    const text = policy('rules:\n- level: None\n  resources:\n  - group: coordination.k8s.io\n    resources: [leases]\n    verbs: [get, list]\n- level: Metadata\n');
    const fixed = fix(text, 'unknown-field');
    assert.equal(fixed, policy('rules:\n- level: None\n  verbs: [get, list]\n  resources:\n  - group: coordination.k8s.io\n    resources: [leases]\n- level: Metadata\n'));
  });

  it('unknown-field moveTo rule merges into an existing verbs', () => {
    const text = policy('rules:\n- level: None\n  verbs: [get]\n  resources:\n  - group: ""\n    verbs:\n    - list\n    - get\n    resources: [pods]\n- level: Metadata\n');
    const fixed = fix(text, 'unknown-field');
    assert.equal(fixed, policy('rules:\n- level: None\n  verbs: [get, list]\n  resources:\n  - group: ""\n    resources: [pods]\n- level: Metadata\n'));
  });

  it('unknown-field moveTo rule for a key on the dash line of the resources item', () => {
    const text = policy('rules:\n  - level: None\n    resources:\n      - verbs: [watch]\n        group: ""\n        resources: [endpoints]\n  - level: Metadata\n');
    const fixed = fix(text, 'unknown-field');
    assert.equal(fixed, policy('rules:\n  - level: None\n    verbs: [watch]\n    resources:\n      - group: ""\n        resources: [endpoints]\n  - level: Metadata\n'));
  });

  it('unknown-field moveTo resources[]: a group written on the rule goes into its only entry', () => {
    const text = rules('level: None\ngroup: apps\nresources:\n- resources: [deployments]', CATCH_ALL);
    assert.equal(fix(text, 'unknown-field'), rules('level: None\nresources:\n- resources: [deployments]\n  group: apps', CATCH_ALL));
  });

  it('unknown-field moveTo rule: an entry left empty is removed, not left as a whole-core-group entry', () => {
    const text = rules('level: None\nresources:\n- group: ""\n  resources: [pods]\n- verbs: [get]', CATCH_ALL);
    assert.equal(fix(text, 'unknown-field'), rules('level: None\nverbs: [get]\nresources:\n- group: ""\n  resources: [pods]', CATCH_ALL));
  });

  it('unknown-field rename (verb -> verbs, case)', () => {
    assert.equal(fix(rules('level: None\nverb: [get]', CATCH_ALL), 'unknown-field'), rules('level: None\nverbs: [get]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nnonResourceUrls: [/healthz]', CATCH_ALL), 'unknown-field'), rules('level: None\nnonResourceURLs: [/healthz]', CATCH_ALL));
    assert.equal(fix(policy('omitstages: [RequestReceived]\nrules:\n- level: Metadata\n'), 'unknown-field'), policy('omitStages: [RequestReceived]\nrules:\n- level: Metadata\n'));
  });

  it('duplicate-key: deletes the ignored key', () => {
    assert.equal(fix(rules('level: None\nusers: [a]\nusers: [b]', CATCH_ALL), 'duplicate-key'), rules('level: None\nusers: [b]', CATCH_ALL));
  });
});

describe('quick fixes: values', () => {
  it('level-unsupported: case', () => {
    assert.equal(fix(rules('level: metadata'), 'level-unsupported'), rules('level: Metadata'));
  });
  it('level-required: adds level: Metadata', () => {
    const fixed = fix(rules('users: [alice]', CATCH_ALL), 'level-required');
    assert.equal(fixed, rules('users: [alice]\nlevel: Metadata', CATCH_ALL));
    assert.equal(fix(rules('level:\nusers: [alice]', CATCH_ALL), 'level-required'), rules('level: Metadata\nusers: [alice]', CATCH_ALL));
    assert.equal(fix(rules('{users: [alice]}', CATCH_ALL), 'level-required'), rules('{users: [alice], level: Metadata}', CATCH_ALL));
    // An empty rule ("-" alone, or null) becomes that rule.
    assert.equal(fix(policy('rules:\n- level: None\n-\n'), 'level-required'), policy('rules:\n- level: None\n- level: Metadata\n'));
    assert.equal(fix(policy('rules:\n- level: None\n- ~\n'), 'level-required'), policy('rules:\n- level: None\n- level: Metadata\n'));
  });
  it('stage-invalid, url-missing-slash, url-wildcard-position', () => {
    assert.equal(fix(rules('level: Metadata\nomitStages: [requestReceived]'), 'stage-invalid'), rules('level: Metadata\nomitStages: [RequestReceived]'));
    assert.equal(fix(rules('level: None\nnonResourceURLs: [healthz]', CATCH_ALL), 'url-missing-slash'), rules('level: None\nnonResourceURLs: [/healthz]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nnonResourceURLs: ["/logs/*/x"]', CATCH_ALL), 'url-wildcard-position'), rules('level: None\nnonResourceURLs: ["/logs/*"]', CATCH_ALL));
  });
  it('group-invalid: drops the version', () => {
    const text = rules('level: None\nresources:\n- group: rbac.authorization.k8s.io/v1\n  resources: [roles]', CATCH_ALL);
    assert.match(fix(text, 'group-invalid'), /group: rbac\.authorization\.k8s\.io\n/);
  });
  it('type-mismatch: string to list, quote a YAML 1.1 boolean', () => {
    assert.equal(fix(rules('level: None\nusers: alice', CATCH_ALL), 'type-mismatch'), rules('level: None\nusers: [alice]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nnamespaces: [on]\nresources: [{group: ""}]', CATCH_ALL), 'type-mismatch'), rules('level: None\nnamespaces: ["on"]\nresources: [{group: ""}]', CATCH_ALL));
  });
  it('type-mismatch: a resource name where a resources[] entry belongs', () => {
    assert.equal(fix(rules('level: None\nresources: deployments', CATCH_ALL), 'type-mismatch'), rules('level: None\nresources: [{group: "apps", resources: [deployments]}]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nresources:\n- pods/log', CATCH_ALL), 'type-mismatch'), rules('level: None\nresources:\n- {group: "", resources: [pods/log]}', CATCH_ALL));
  });
  it('api-version-removed: migrates v1beta1 to v1; missing apiVersion and kind are added', () => {
    const text = 'apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n';
    assert.equal(fix(text, 'api-version-removed'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    assert.equal(fix('apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n', 'kind-missing'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    assert.equal(fix('apiVersion: audit.k8s.io/v1\nkind: AuditPolicy\nrules:\n- level: Metadata\n', 'kind-wrong'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
  });
  it('verb-never-occurs: lower case; an impossible verb is removed; the only one deletes the rule', () => {
    assert.equal(fix(rules('level: None\nverbs: [GET]', CATCH_ALL), 'verb-never-occurs'), rules('level: None\nverbs: [get]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nverbs: [get, impersonate]', CATCH_ALL), 'verb-never-occurs'), rules('level: None\nverbs: [get]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nverbs:\n- bind', CATCH_ALL), 'verb-never-occurs'), rules(CATCH_ALL));
  });
  it('wildcard-literal: removes the field or the item', () => {
    assert.equal(fix(rules('level: None\nverbs: ["*"]\nusers: [a]', CATCH_ALL), 'wildcard-literal'), rules('level: None\nusers: [a]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nusers: [a, "*"]', CATCH_ALL), 'wildcard-literal'), rules('level: None\nusers: [a]', CATCH_ALL));
  });
  it('group-core-name, resource-star-star, resource-unknown, subresource-unknown', () => {
    assert.equal(fix(rules('level: None\nresources:\n- group: core\n  resources: [pods]', CATCH_ALL), 'group-core-name'), rules('level: None\nresources:\n- group: ""\n  resources: [pods]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nresources:\n- group: ""\n  resources: ["*/*"]', CATCH_ALL), 'resource-star-star'), rules('level: None\nresources:\n- group: ""\n  resources: ["*"]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nresources:\n- group: ""\n  resources: [pod]', CATCH_ALL), 'resource-unknown'), rules('level: None\nresources:\n- group: ""\n  resources: [pods]', CATCH_ALL));
    assert.equal(fix(rules('level: None\nresources:\n- group: ""\n  resources: [pods/logs]', CATCH_ALL), 'subresource-unknown'), rules('level: None\nresources:\n- group: ""\n  resources: [pods/log]', CATCH_ALL));
  });
  it('resource-wrong-group: sets the group, joins an entry of that group, or adds one', () => {
    assert.equal(
      fix(rules('level: None\nresources:\n- group: ""\n  resources: [deployments]', CATCH_ALL), 'resource-wrong-group'),
      rules('level: None\nresources:\n- group: "apps"\n  resources: [deployments]', CATCH_ALL),
    );
    assert.equal(
      fix(rules('level: None\nresources:\n- group: ""\n  resources: [pods, deployments]\n- group: apps\n  resources: [statefulsets]', CATCH_ALL), 'resource-wrong-group'),
      rules('level: None\nresources:\n- group: ""\n  resources: [pods]\n- group: apps\n  resources: [statefulsets, deployments]', CATCH_ALL),
    );
    assert.equal(
      fix(rules('level: None\nresources:\n- group: ""\n  resources: [pods, deployments]', CATCH_ALL), 'resource-wrong-group'),
      rules('level: None\nresources:\n- group: ""\n  resources: [pods]\n- group: "apps"\n  resources: [deployments]', CATCH_ALL),
    );
    assert.equal(fix(rules('level: None\nresources:\n- resources: [deployments]', CATCH_ALL), 'resource-wrong-group'), rules('level: None\nresources:\n- resources: [deployments]\n  group: "apps"', CATCH_ALL));
  });
  it('body-level-non-resource and request-response-broad: lower the level', () => {
    assert.equal(fix(rules('level: Request\nnonResourceURLs: [/metrics]', CATCH_ALL), 'body-level-non-resource'), rules('level: Metadata\nnonResourceURLs: [/metrics]', CATCH_ALL));
    const broad = rules('level: Metadata\nresources: [{group: "", resources: [secrets, configmaps]}, {group: authentication.k8s.io, resources: [tokenreviews]}]', 'level: RequestResponse\nresources: [{group: apps}]', CATCH_ALL);
    assert.match(fix(broad, 'request-response-broad'), /- level: Request\n {2}resources: \[\{group: apps\}\]/);
  });
  it('omit-managed-fields-no-effect: removes the key', () => {
    assert.equal(fix(rules('level: Metadata\nomitManagedFields: true'), 'omit-managed-fields-no-effect'), rules('level: Metadata'));
  });
});

describe('quick fixes: rules', () => {
  it('no-catch-all and policy-logs-nothing: append - level: Metadata', () => {
    assert.equal(fix(rules('level: Metadata\nusers: [a]'), 'no-catch-all'), rules('level: Metadata\nusers: [a]', CATCH_ALL));
    assert.equal(fix(policy('rules:\n  - level: None\n'), 'policy-logs-nothing'), policy('rules:\n  - level: None\n  - level: Metadata\n'));
    assert.equal(fix(policy('rules: [{level: Metadata, users: [a]}]\n'), 'no-catch-all'), policy('rules: [{level: Metadata, users: [a]}, {level: Metadata}]\n'));
  });
  it('no-rules: adds a catch-all rule', () => {
    assert.equal(fix(policy('rules: []\n'), 'no-rules'), policy('rules:\n- level: Metadata\n'));
  });
  it('all-stages-omitted and response-complete-omitted', () => {
    assert.equal(fix(policy('omitStages: [RequestReceived, ResponseStarted, ResponseComplete, Panic]\nrules:\n- level: Metadata\n'), 'all-stages-omitted'), policy('omitStages: [RequestReceived]\nrules:\n- level: Metadata\n'));
    assert.equal(fix(policy('omitStages: [RequestReceived, ResponseComplete]\nrules:\n- level: Metadata\n'), 'response-complete-omitted'), policy('omitStages: [RequestReceived]\nrules:\n- level: Metadata\n'));
  });
  it('rule-shadowed: move above the winner, or delete', () => {
    const text = rules('level: Metadata\nresources: [{group: ""}]', 'level: None\nresources: [{group: "", resources: [events]}]', CATCH_ALL);
    assert.equal(fix(text, 'rule-shadowed', /^Move/), rules('level: None\nresources: [{group: "", resources: [events]}]', 'level: Metadata\nresources: [{group: ""}]', CATCH_ALL));
    assert.equal(fix(text, 'rule-shadowed', /^Delete/), rules('level: Metadata\nresources: [{group: ""}]', CATCH_ALL));
  });
  it('rule-after-catch-all and rule-redundant', () => {
    assert.equal(fix(rules(CATCH_ALL, 'level: None\nusers: [a]'), 'rule-after-catch-all', /^Move/), rules('level: None\nusers: [a]', CATCH_ALL));
    assert.equal(fix(rules(CATCH_ALL, 'level: Metadata\nusers: [a]'), 'rule-redundant'), rules(CATCH_ALL));
  });
  it('sensitive-data-logged: inserts a Metadata rule before a catch-all; lowers a rule that only names secrets', () => {
    const text = rules('level: RequestResponse');
    const fixed = fix(text, 'sensitive-data-logged');
    assert.match(fixed, /^rules:\n- level: Metadata\n {2}resources:\n {2}- group: ""\n {4}resources: \[secrets, configmaps, serviceaccounts\/token\]\n {2}- group: "authentication.k8s.io"\n {4}resources: \[tokenreviews\]\n- level: RequestResponse\n$/m);
    assert.equal(fix(rules('level: Request\nresources: [{group: "", resources: [secrets]}]', CATCH_ALL), 'sensitive-data-logged'), rules('level: Metadata\nresources: [{group: "", resources: [secrets]}]', CATCH_ALL));
  });
  it('resources-and-urls: splits the rule', () => {
    const text = rules('level: None\nusers: [a]\nresources: [{group: ""}]\nnonResourceURLs: [/healthz*]', CATCH_ALL);
    assert.equal(fix(text, 'resources-and-urls'), rules('level: None\nusers: [a]\nresources: [{group: ""}]', 'level: None\nusers: [a]\nnonResourceURLs: [/healthz*]', CATCH_ALL));
  });
  it('extra-document: deletes the ignored documents', () => {
    assert.equal(fix(`${rules(CATCH_ALL)}---\n${rules('level: None')}`, 'extra-document'), rules(CATCH_ALL));
  });
  it('resource-names-verb: removes the verb', () => {
    const text = rules('level: None\nverbs: [get, list]\nresources: [{group: "", resources: [configmaps], resourceNames: [x]}]', CATCH_ALL);
    assert.equal(fix(text, 'resource-names-verb'), rules('level: None\nverbs: [get]\nresources: [{group: "", resources: [configmaps], resourceNames: [x]}]', CATCH_ALL));
  });
  it('policy-empty: starts a policy; field-unsupported-version: removes the field', () => {
    const fixed = applyEdits('', policyCodeActions(URI, '', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, lint(''))![0]!.edit!.changes![URI]!);
    assert.deepEqual(lint(fixed).filter((d) => d.severity === DiagnosticSeverity.Error), []);
    const text = rules('level: Request\nomitManagedFields: true', CATCH_ALL);
    const d = lint(text, '1.22').find((x) => x.code === 'field-unsupported-version')!;
    const [action] = policyCodeActions(URI, text, d.range, [d], { kubernetesVersion: '1.22' })!;
    assert.equal(applyEdits(text, action!.edit!.changes![URI]!), rules('level: Request', CATCH_ALL));
  });
  it('user-removed: the only user deletes the rule', () => {
    assert.equal(fix(rules('level: None\nusers: [system:unsecured]', CATCH_ALL), 'user-removed'), rules(CATCH_ALL));
  });
});

describe('code actions', () => {
  it('no fixes when aliases make one node stand for several places', () => {
    const text = policy('rules:\n- &a {level: None, users: [a]}\n- *a\n- level: Metadata\n');
    const ds = lint(text);
    assert.ok(ds.some((d) => d.code === 'rule-redundant'));
    assert.deepEqual(policyCodeActions(URI, text, ds[0]!.range, ds), []);
  });

  it('undefined for other YAML; a refactor adds omitStages on a top-level key', () => {
    assert.equal(policyCodeActions('file:///x/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\n', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []), undefined);
    const text = rules(CATCH_ALL);
    const [action] = policyCodeActions(URI, text, { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, [])!;
    assert.equal(action!.kind, 'refactor.rewrite');
    assert.equal(applyEdits(text, action!.edit!.changes![URI]!), policy('omitStages: [RequestReceived]\n') + 'rules:\n- level: Metadata\n');
  });
});
