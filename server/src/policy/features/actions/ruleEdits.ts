import type { Range, TextEdit } from 'vscode-languageserver-types';
import { nodeAtPath } from '../../yaml/locate';
import type { PolicyModel } from '../../yaml/model';
import { offsetOf } from '../../yaml/parse';
import type { TreeEntry, TreeMap, TreeNode, TreeSeq } from '../../yaml/tree';
import type { PolicyRule } from '../../types';
import { flowOf, renderValue, YamlEditor, type Fix } from './yamlEditor';

const SENSITIVE_GROUPS: Record<string, string> = { tokenreviews: 'authentication.k8s.io' };

const RULE_CONDITIONS = new Set(['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs']);

/** Edits that know what a policy's rules mean: add, delete, move, split rules, move keys to where they belong. */
export class RuleEditor extends YamlEditor {
  constructor(
    model: PolicyModel,
    readonly minor: number,
  ) {
    super(model);
  }

  ruleAt(offset: number): number | undefined {
    for (const located of this.model.rules) {
      const dash = this.dashOf(located.node);
      if (offset >= (dash ?? located.node.start) && offset <= Math.max(located.node.end, located.node.start)) return located.index;
    }
    return undefined;
  }

  rulesSeq(): TreeSeq | undefined {
    const rules = this.model.root?.byKey.get('rules')?.value;
    return rules?.kind === 'seq' ? rules : undefined;
  }

  // ---- fixes ------------------------------------------------------------------------------------

  setTopLevel(key: string, value: string, title: string): Fix {
    const root = this.model.root;
    const entry = root?.byKey.get(key);
    if (entry) return { title, edits: [{ range: this.range(entry.keyStart, this.lineEnd(entry.keyEnd)), newText: `${key}: ${value}` }], preferred: true };
    const apiVersion = root?.byKey.get('apiVersion');
    const at = key === 'kind' && apiVersion ? this.lineEnd(Math.max(apiVersion.value.end, apiVersion.keyEnd)) : undefined;
    if (at !== undefined) return { title, edits: [{ range: this.range(at, at), newText: `\n${key}: ${value}` }], preferred: true };
    const start = root ? this.lineStart(root.start) : 0;
    return { title, edits: [{ range: this.range(start, start), newText: `${key}: ${value}\n` }], preferred: true };
  }

  addFirstRule(): Fix {
    const title = 'Add a catch-all rule (- level: Metadata)';
    const entry = this.model.root?.byKey.get('rules');
    if (entry) return { title, edits: [{ range: this.range(entry.keyStart, Math.max(entry.value.end, entry.keyEnd)), newText: 'rules:\n- level: Metadata' }], preferred: true };
    const end = this.text.length;
    return { title, edits: [{ range: this.range(end, end), newText: `${this.text.endsWith('\n') || end === 0 ? '' : '\n'}rules:\n- level: Metadata\n` }], preferred: true };
  }

  appendRule(rule: Record<string, unknown>): Fix {
    const seq = this.rulesSeq();
    const body = Object.entries(rule).map(([k, v]) => `${k}: ${renderValue(v)}`);
    if (!seq || seq.items.length === 0) throw new Error('no rules');
    return {
      title: `Add a catch-all rule at the end (- ${body.join(', ')})`,
      edits: [this.appendToSeq(seq, `{${body.join(', ')}}`, body.join('\n'))],
      preferred: true,
    };
  }

  /** The text of a new rule at the column of the rules' "-" (first line without indentation). */
  ruleText(lines: string[], dashColumn: number): string {
    const indent = ' '.repeat(dashColumn);
    return lines.map((line, k) => (k === 0 ? `- ${line}` : `${indent}  ${line}`)).join('\n');
  }

  insertIntoRule(index: number, insert: string): Fix {
    const node = this.model.rules[index]!.node;
    const [key, ...rest] = insert.split(':');
    const value = rest.join(':').trim();
    const title = `Add ${insert}`;
    if (node.kind === 'map') {
      const existing = node.byKey.get(key!);
      if (existing) {
        // "level:" with no value: rewrite the key and its colon.
        const colon = this.text.indexOf(':', existing.keyEnd);
        const end = existing.value.end > existing.value.start ? existing.value.end : colon >= 0 && colon < this.lineEnd(existing.keyEnd) ? colon + 1 : existing.keyEnd;
        return { title, edits: [{ range: this.range(existing.keyStart, end), newText: insert }], preferred: true };
      }
      return { title, edits: [this.insertEntry(node, key!, value)], preferred: true };
    }
    // An empty rule ("-" alone): its null node is the empty text right after the dash.
    const space = node.start === node.end && this.text[node.start - 1] === '-' ? ' ' : '';
    return { title, edits: [{ range: this.range(node.start, node.end), newText: space + insert }], preferred: true };
  }

  deleteRule(index: number): TextEdit[] {
    const seq = this.rulesSeq()!;
    return this.removeSeqItem(seq, index);
  }

  moveRule(index: number, before: number): TextEdit[] {
    const seq = this.rulesSeq()!;
    const node = seq.items[index]!;
    const target = seq.items[before]!;
    if (this.isFlow(seq)) {
      const body = this.text.slice(node.start, node.end);
      return [...this.removeSeqItem(seq, index), { range: this.range(target.start, target.start), newText: `${body}, ` }];
    }
    const dash = this.dashOf(node)!;
    const from = this.lineStart(dash);
    const lineEnd = this.lineEnd(Math.max(node.end, node.start));
    const block = this.text.slice(from, lineEnd) + '\n';
    const targetLine = this.lineStart(this.dashOf(target)!);
    return [{ range: this.range(targetLine, targetLine), newText: block }, ...this.removeSeqItem(seq, index)];
  }

  insertRuleBefore(index: number, level: string, labels: string[]): Fix {
    const seq = this.rulesSeq()!;
    const node = seq.items[index]!;
    const byGroup = new Map<string, string[]>();
    for (const label of labels) {
      const group = SENSITIVE_GROUPS[label.split('/')[0]!] ?? '';
      byGroup.set(group, [...(byGroup.get(group) ?? []), label]);
    }
    const entries = [...byGroup].map(([group, resources]) => ({ group, resources }));
    const title = `Log ${labels.join(', ')} at ${level} in a new rule before this one`;
    if (this.isFlow(seq)) {
      const flow = `{level: ${level}, resources: [${entries.map((e) => `{group: ${JSON.stringify(e.group)}, resources: [${e.resources.join(', ')}]}`).join(', ')}]}`;
      return { title, edits: [{ range: this.range(node.start, node.start), newText: `${flow}, ` }] };
    }
    const dash = this.dashOf(node)!;
    const lines = [`level: ${level}`, 'resources:', ...entries.flatMap((e) => [`- group: ${JSON.stringify(e.group)}`, `  resources: [${e.resources.join(', ')}]`])];
    const at = this.lineStart(dash);
    return { title, edits: [{ range: this.range(at, at), newText: `${this.ruleText(lines, this.column(dash))}\n` }] };
  }

  /** When a rule names only sensitive resources, lowering its level to Metadata is the fix. */
  lowerToMetadata(index: number, labels: string[]): Fix | undefined {
    const located = this.model.rules[index]!;
    const rule = located.rule;
    if (!rule.resources?.length) return undefined;
    const sensitive = new Set(labels);
    const only = rule.resources.every((gr) => gr.resources?.length && gr.resources.every((r) => sensitive.has(r) && (SENSITIVE_GROUPS[r] ?? '') === (gr.group ?? '')));
    const level = located.node.kind === 'map' ? located.node.byKey.get('level') : undefined;
    if (!only || !level) return undefined;
    return { title: 'Change the level to Metadata', edits: [this.replaceNode(level.value, 'Metadata')], preferred: true };
  }

  splitRule(index: number): Fix {
    const located = this.model.rules[index]!;
    const node = located.node;
    if (node.kind !== 'map') throw new Error('not a map');
    const urls = node.byKey.get('nonResourceURLs')!;
    const rule: PolicyRule = located.rule;
    const lines = [`level: ${rule.level}`];
    for (const key of ['users', 'userGroups', 'verbs'] as const) if (rule[key]?.length) lines.push(`${key}: ${flowOf(node.byKey.get(key)!.value)}`);
    lines.push(`nonResourceURLs: ${flowOf(urls.value)}`);
    if (rule.omitStages?.length) lines.push(`omitStages: ${flowOf(node.byKey.get('omitStages')!.value)}`);
    const title = 'Split into two rules: one for resources, one for nonResourceURLs';
    const seq = this.rulesSeq()!;
    if (this.isFlow(seq) || this.isFlow(node)) {
      const flow = `{${lines.map((l) => l).join(', ')}}`;
      return { title, edits: [...this.removeEntry(node, urls), { range: this.range(node.end, node.end), newText: `, ${flow}` }] };
    }
    const dash = this.dashOf(node)!;
    const end = this.lineEnd(Math.max(node.end, node.start));
    const at = end < this.text.length ? end + 1 : end;
    const newText = `${at === this.text.length && !this.text.endsWith('\n') ? '\n' : ''}${this.ruleText(lines, this.column(dash))}\n`;
    return { title, edits: [...this.removeEntry(node, urls), { range: this.range(at, at), newText }], preferred: true };
  }

  renameKey(path: string[], entry: TreeEntry, replacement: string): Fix[] {
    const owner = nodeAtPath(this.model, path.slice(0, -1));
    if (owner?.kind !== 'map') return [];
    const existing = owner.byKey.get(replacement);
    if (existing) {
      // Merge into the key that is already there.
      if (existing.value.kind !== 'seq' || entry.value.kind !== 'seq') return [];
      const items = entry.value.items.filter((i) => i.kind === 'scalar').map(flowOf);
      return [{ title: `Merge into "${replacement}"`, edits: [...items.map((i) => this.appendToSeq(existing.value as TreeSeq, i)), ...this.removeEntry(owner, entry)], preferred: true }];
    }
    return [{ title: `Rename to "${replacement}"`, edits: [{ range: this.range(entry.keyStart, entry.keyEnd), newText: replacement }], preferred: true }];
  }

  moveKey(path: string[], entry: TreeEntry, moveTo: string): Fix[] {
    const owner = nodeAtPath(this.model, path.slice(0, -1));
    if (owner?.kind !== 'map') return [];
    let target: TreeNode | undefined;
    let where: string;
    if (moveTo === 'rule' && path[0] === 'rules' && path.length >= 3) {
      target = nodeAtPath(this.model, path.slice(0, 2));
      where = 'the rule';
    } else if (moveTo === 'resources[]' && path[0] === 'rules' && path.length === 3) {
      const resources = nodeAtPath(this.model, [...path.slice(0, 2), 'resources']);
      if (resources?.kind !== 'seq' || resources.items.length !== 1) return [];
      target = resources.items[0];
      where = 'the resources[] entry';
    } else if (moveTo === 'policy') {
      target = this.model.root;
      where = 'the top level';
    } else {
      return [];
    }
    if (target?.kind !== 'map') return [];
    const removal = this.removeFromOwner(path, owner, entry);
    if (!removal) return [];
    const span = { start: entry.keyStart, end: Math.max(entry.value.end, entry.keyEnd) };
    const existing = target.byKey.get(entry.key);
    let add: TextEdit[];
    if (existing) {
      if (existing.value.kind !== 'seq' || entry.value.kind !== 'seq') return [];
      const have = new Set(existing.value.items.map(flowOf));
      add = entry.value.items.map(flowOf).filter((i) => !have.has(i)).map((i) => this.appendToSeq(existing.value as TreeSeq, i));
    } else {
      add = [this.insertEntry(target, entry.key, flowOf(entry.value), span)];
    }
    return [{ title: `Move "${entry.key}" to ${where}${existing ? ` (merge with its ${entry.key})` : ''}`, edits: [...removal, ...add], preferred: true }];
  }

  /** Removes an entry; when that empties a resources[] item, removes the item instead (an empty item means "the whole core group"). */
  removeFromOwner(path: string[], owner: TreeMap, entry: TreeEntry): TextEdit[] | undefined {
    if (owner.entries.length > 1) return this.removeEntry(owner, entry);
    if (path[0] === 'rules' && path[2] === 'resources' && path.length === 5) {
      const seq = nodeAtPath(this.model, path.slice(0, 3));
      if (seq?.kind !== 'seq' || seq.items.length < 2) return undefined;
      return this.removeSeqItem(seq, Number(path[3]));
    }
    return undefined;
  }

  removeItem(path: string[]): Fix[] {
    const seq = nodeAtPath(this.model, path.slice(0, -1));
    const index = Number(path[path.length - 1]);
    if (seq?.kind !== 'seq') return [];
    const item = seq.items[index]!;
    const raw = this.text.slice(item.start, item.end);
    if (seq.items.length > 1) return [{ title: `Remove ${raw}`, edits: this.removeSeqItem(seq, index), preferred: true }];
    const field = path[path.length - 2]!;
    const owner = nodeAtPath(this.model, path.slice(0, -2));
    if (owner?.kind !== 'map') return [];
    const entry = owner.byKey.get(field)!;
    if (path[0] === 'rules' && path.length === 4 && RULE_CONDITIONS.has(field)) {
      // The rule's only value never matches, so the rule never matches: deleting it changes nothing,
      // while deleting the field would make the rule match everything.
      return [{ title: `Delete this rule (it never matches)`, edits: this.deleteRule(Number(path[1])), preferred: true }];
    }
    return [{ title: `Remove ${field}`, edits: this.removeEntry(owner, entry), preferred: true }];
  }

  /** Puts a resource into an entry of the right group. */
  setResourceGroup(path: string[], group: string): Fix[] {
    // rules.i.resources.k.resources.m
    if (path.length !== 6) return [];
    const itemPath = path.slice(0, 4);
    const item = nodeAtPath(this.model, itemPath);
    const list = nodeAtPath(this.model, path.slice(0, 5));
    const entries = nodeAtPath(this.model, path.slice(0, 3));
    if (item?.kind !== 'map' || list?.kind !== 'seq' || entries?.kind !== 'seq') return [];
    const index = Number(path[5]);
    const resource = list.items[index]!;
    const value = flowOf(resource);
    const groupText = JSON.stringify(group);
    const title = `Move ${this.text.slice(resource.start, resource.end)} to group ${groupText}`;
    const names = item.byKey.get('resourceNames');
    const other = entries.items.find(
      (e, k) => k !== Number(path[3]) && e.kind === 'map' && groupOf(e) === group && e.byKey.get('resources')?.value.kind === 'seq' && !e.byKey.has('resourceNames') && !names,
    ) as TreeMap | undefined;
    if (other) {
      const target = other.byKey.get('resources')!.value as TreeSeq;
      const removal = list.items.length > 1 ? this.removeSeqItem(list, index) : entries.items.length > 1 ? this.removeSeqItem(entries, Number(path[3])) : undefined;
      if (!removal) return [];
      return [{ title, edits: [...removal, this.appendToSeq(target, value)], preferred: true }];
    }
    if (list.items.length === 1) {
      const groupEntry = item.byKey.get('group');
      const edit = groupEntry ? this.replaceNode(groupEntry.value.end > groupEntry.value.start ? groupEntry.value : { ...groupEntry.value, start: groupEntry.keyEnd + 1, end: groupEntry.keyEnd + 1 }, groupEntry.value.end > groupEntry.value.start ? groupText : ` ${groupText}`) : this.insertEntry(item, 'group', groupText);
      return [{ title: `Set the group to ${groupText}`, edits: [edit], preferred: true }];
    }
    const lines = [`group: ${groupText}`, `resources: [${value}]`];
    if (names) lines.push(`resourceNames: ${flowOf(names.value)}`);
    return [
      {
        title,
        edits: [...this.removeSeqItem(list, index), this.appendToSeq(entries, `{${lines.join(', ')}}`, lines.join('\n'))],
        preferred: true,
      },
    ];
  }

  /** "Add omitStages: [RequestReceived]" for a policy without omitStages, offered on its top-level keys. */
  addOmitStages(range: Range): Fix | undefined {
    const root = this.model.root;
    if (!root || root.byKey.has('omitStages') || this.isFlow(root)) return undefined;
    const offset = offsetOf(this.model.parsed, range.start);
    const onTopKey = root.entries.some((e) => this.lineStart(e.keyStart) === this.lineStart(offset) && this.column(e.keyStart) === 0);
    if (!onTopKey) return undefined;
    const rules = root.byKey.get('rules');
    const at = rules ? this.lineStart(rules.keyStart) : this.text.length;
    return { title: 'Add omitStages: [RequestReceived] (no event when a request arrives; ResponseComplete has it all)', edits: [{ range: this.range(at, at), newText: 'omitStages: [RequestReceived]\n' }] };
  }
}

function groupOf(map: TreeMap): string {
  const value = map.byKey.get('group')?.value;
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value.value : '';
}
