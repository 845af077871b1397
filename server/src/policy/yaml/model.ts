import type { Range } from 'vscode-languageserver-types';
import { rangeOf, type PolicyText } from './parse';
import { toJson, type DecodedTree, type TreeEntry, type TreeMap, type TreeNode } from './tree';
import type { GroupResources, Policy, PolicyRule } from '../types';

/**
 * A policy file parsed once per text version and shared by every check: the decoded tree (with
 * offsets), its JSON value (for the schema), and a well-typed Policy (for validation, lint and the
 * evaluator). Wrongly typed fields are left out of the typed Policy: they are reported as decoding
 * errors and would stop the apiserver anyway.
 */
export interface PolicyModel {
  readonly parsed: PolicyText;
  readonly decoded: DecodedTree;
  /** The first document's root, when it is a mapping. */
  readonly root: TreeMap | undefined;
  readonly json: unknown;
  readonly policy: Policy;
  /** Located rules, index-aligned with policy.rules. */
  readonly rules: LocatedRule[];
}

export interface LocatedRule {
  readonly index: number;
  readonly rule: PolicyRule;
  /** The rule's node; a map unless the rule is malformed. */
  readonly node: TreeNode;
}

export function buildPolicyModel(parsed: PolicyText): PolicyModel {
  const decoded: DecodedTree = parsed.tree;
  const root = decoded.root?.kind === 'map' ? decoded.root : undefined;
  const json = decoded.root ? toJson(decoded.root) : undefined;
  const rulesNode = root?.byKey.get('rules')?.value;
  const rules: LocatedRule[] = [];
  if (rulesNode?.kind === 'seq') {
    rulesNode.items.forEach((node, index) => rules.push({ index, node, rule: typedRule(node) }));
  }
  const policy: Policy = { rules: rules.map((r) => r.rule) };
  const omitStages = stringList(root?.byKey.get('omitStages')?.value);
  if (omitStages) policy.omitStages = omitStages;
  const omitManagedFields = root?.byKey.get('omitManagedFields')?.value;
  if (omitManagedFields?.kind === 'scalar' && typeof omitManagedFields.value === 'boolean') policy.omitManagedFields = omitManagedFields.value;
  return { parsed, decoded, root, json, policy, rules };
}

function typedRule(node: TreeNode): PolicyRule {
  if (node.kind !== 'map') return { level: '' };
  const field = (key: string) => node.byKey.get(key)?.value;
  const level = field('level');
  const rule: PolicyRule = { level: level?.kind === 'scalar' && typeof level.value === 'string' ? level.value : '' };
  for (const key of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs', 'omitStages'] as const) {
    const list = stringList(field(key));
    if (list) rule[key] = list;
  }
  const resources = field('resources');
  if (resources?.kind === 'seq') rule.resources = resources.items.filter((item) => item.kind === 'map' || isNull(item)).map(typedGroupResources);
  const omitManagedFields = field('omitManagedFields');
  if (omitManagedFields?.kind === 'scalar' && typeof omitManagedFields.value === 'boolean') rule.omitManagedFields = omitManagedFields.value;
  return rule;
}

function typedGroupResources(node: TreeNode): GroupResources {
  const result: GroupResources = {};
  if (node.kind !== 'map') return result;
  const group = node.byKey.get('group')?.value;
  if (group?.kind === 'scalar' && typeof group.value === 'string') result.group = group.value;
  const resources = stringList(node.byKey.get('resources')?.value);
  if (resources) result.resources = resources;
  const names = stringList(node.byKey.get('resourceNames')?.value);
  if (names) result.resourceNames = names;
  return result;
}

/** null, ~, or nothing at all: Go decodes it as the zero value. */
export function isNull(node: TreeNode): boolean {
  return node.kind === 'scalar' && node.value === null;
}

/** A list of strings as Go decodes it: null items become "", other non-strings are dropped (type errors). */
function stringList(node: TreeNode | undefined): string[] | undefined {
  if (node?.kind !== 'seq') return undefined;
  const result: string[] = [];
  for (const item of node.items) {
    if (item.kind !== 'scalar') continue;
    if (typeof item.value === 'string') result.push(item.value);
    else if (item.value === null) result.push('');
  }
  return result;
}

// ---- locations ----------------------------------------------------------------------------------

export function spanRange(model: PolicyModel, span: { start: number; end: number }): Range {
  return rangeOf(model.parsed, span.start, Math.max(span.end, span.start));
}

export function keyRange(model: PolicyModel, entry: TreeEntry): Range {
  return rangeOf(model.parsed, entry.keyStart, entry.keyEnd);
}

/** The entry of `key` in a rule (or any map node). */
export function entryOf(node: TreeNode | undefined, key: string): TreeEntry | undefined {
  return node?.kind === 'map' ? node.byKey.get(key) : undefined;
}

/** Where a rule is best pointed at: its level value, else its first key, else the whole item. */
export function ruleAnchorRange(model: PolicyModel, located: LocatedRule): Range {
  const level = entryOf(located.node, 'level');
  if (level) return spanRange(model, level.value.start < level.value.end ? level.value : { start: level.keyStart, end: level.keyEnd });
  if (located.node.kind === 'map' && located.node.entries[0]) return keyRange(model, located.node.entries[0]);
  return spanRange(model, located.node);
}

/** Value node of a list field's item, e.g. the `"*"` in `verbs: ["*"]`. */
export function listItem(node: TreeNode | undefined, key: string, index: number): TreeNode | undefined {
  const list = entryOf(node, key)?.value;
  return list?.kind === 'seq' ? list.items[index] : undefined;
}

/** "rule 3 (line 12)": how messages name a rule; rules are numbered from 1 like people count them. */
export function ruleLabel(model: PolicyModel, index: number): string {
  const located = model.rules[index];
  if (!located) return `rule ${index + 1}`;
  return `rule ${index + 1} (line ${ruleAnchorRange(model, located).start.line + 1})`;
}

/** The string items of a list field with their nodes (non-strings are decoding errors, skipped). */
export function stringItems(node: TreeNode | undefined, key: string): { value: string; node: TreeNode; index: number }[] {
  const list = entryOf(node, key)?.value;
  if (list?.kind !== 'seq') return [];
  const result: { value: string; node: TreeNode; index: number }[] = [];
  list.items.forEach((item, index) => {
    if (item.kind === 'scalar' && typeof item.value === 'string') result.push({ value: item.value, node: item, index });
  });
  return result;
}

/** The map items of resources[] with their nodes. */
export function groupResourceNodes(node: TreeNode | undefined): TreeMap[] {
  const list = entryOf(node, 'resources')?.value;
  return list?.kind === 'seq' ? list.items.filter((item): item is TreeMap => item.kind === 'map') : [];
}
