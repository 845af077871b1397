import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver-types';
import { groupsServing } from './catalog/catalog';
import { yamlScalar } from './complete';
import { DIAGNOSTIC_SOURCE } from './diagnostic';
import { locate, nodeAtPath } from './locate';
import { ruleLabel, type PolicyModel } from './model';
import { offsetOf, rangeOf } from './parse';
import { loadPolicy, type PolicyCheckOptions } from './policyDiagnostics';
import type { TreeEntry, TreeMap, TreeNode, TreeSeq } from './tree';
import type { PolicyRule } from './types';

/**
 * Quick fixes for the engine's diagnostics, driven by their `data` (see README): each edit leaves a
 * policy that loads, and removes the problem it fixes.
 */
export function policyCodeActions(uri: string, text: string, range: Range, diagnostics: Diagnostic[], options: PolicyCheckOptions = {}): CodeAction[] | undefined {
  const loaded = loadPolicy(uri, text, options);
  if (!loaded) return undefined;
  // With aliases or merge keys, one node stands for several places: an edit at the anchor would
  // change them all, so no fix is offered (the diagnostics still explain the problem).
  if (/(^|[\s[{,])\*[^\s,\]}]+|<<\s*:/m.test(text)) return [];
  const editor = new Editor(loaded.model, loaded.minor);
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) continue;
    try {
      for (const fix of fixesFor(editor, d)) {
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: fix.edits } } };
        if (fix.preferred) action.isPreferred = true;
        actions.push(action);
      }
    } catch {
      // A fix we cannot compute for this shape of YAML is simply not offered.
    }
  }
  const stages = addOmitStages(editor, range);
  if (stages) actions.push({ title: stages.title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: stages.edits } } });
  return actions;
}

interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

interface FixData {
  replacement?: unknown;
  moveTo?: string;
  removeItem?: boolean;
  removeField?: string;
  removeEntry?: boolean;
  quote?: boolean;
  insert?: string;
  append?: Record<string, unknown>;
  group?: string;
  insertRuleBefore?: { level: string; resources: string[] };
  shadowedBy?: number;
  remove?: boolean;
}

const RULE_CONDITIONS = new Set(['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs']);

function fixesFor(editor: Editor, d: Diagnostic): Fix[] {
  const data = (d.data ?? {}) as FixData;
  const code = String(d.code ?? '');
  const offset = offsetOf(editor.model.parsed, d.range.start);
  const found = locate(editor.text, editor.model.decoded.root ?? { kind: 'scalar', value: null, start: 0, end: 0 }, offset, []);
  switch (code) {
    case 'api-version-missing':
      return [editor.setTopLevel('apiVersion', 'audit.k8s.io/v1', 'Add apiVersion: audit.k8s.io/v1')];
    case 'kind-missing':
      return [editor.setTopLevel('kind', 'Policy', 'Add kind: Policy')];
    case 'no-rules':
      return [editor.addFirstRule()];
    case 'policy-empty':
      if (editor.text.trim() !== '') return [];
      return [{ title: 'Start a policy (apiVersion, kind and a catch-all rule)', edits: [{ range: editor.range(0, editor.text.length), newText: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n' }], preferred: true }];
    case 'field-unsupported-version': {
      if (found?.kind !== 'key') return [];
      const owner = nodeAtPath(editor.model, found.path.slice(0, -1));
      if (owner?.kind !== 'map' || owner.entries.length < 2) return [];
      return [{ title: `Remove ${found.entry.key} (this Kubernetes version drops it)`, edits: editor.removeEntry(owner, found.entry), preferred: true }];
    }
    case 'extra-document':
      return [{ title: 'Delete the ignored documents', edits: [{ range: editor.range(offset, editor.text.length), newText: '' }] }];
    case 'resources-and-urls': {
      const index = editor.ruleAt(offset);
      return index === undefined ? [] : [editor.splitRule(index)];
    }
    case 'all-stages-omitted': {
      if (found?.kind !== 'key') return [];
      return [{ title: 'Omit only RequestReceived', edits: [editor.replaceNode(found.entry.value, '[RequestReceived]')], preferred: true }];
    }
    case 'sensitive-data-logged': {
      const index = editor.ruleAt(offset);
      if (index === undefined || !data.insertRuleBefore) return [];
      const fixes = [editor.insertRuleBefore(index, data.insertRuleBefore.level, data.insertRuleBefore.resources)];
      const lower = editor.lowerToMetadata(index, data.insertRuleBefore.resources);
      if (lower) fixes.unshift(lower);
      else fixes[0]!.preferred = true;
      return fixes;
    }
    case 'rule-shadowed':
    case 'rule-after-catch-all':
    case 'rule-redundant': {
      const index = editor.ruleAt(offset);
      if (index === undefined || data.shadowedBy === undefined) return [];
      const remove: Fix = { title: `Delete this rule (never used)`, edits: editor.deleteRule(index), preferred: code === 'rule-redundant' };
      if (code === 'rule-redundant') return [remove];
      return [{ title: `Move this rule above ${ruleLabel(editor.model, data.shadowedBy).split(' (')[0]}`, edits: editor.moveRule(index, data.shadowedBy) }, remove];
    }
  }
  if (code === 'type-mismatch' && found?.kind === 'value' && found.node.kind === 'scalar' && typeof found.node.value === 'string') {
    // A resource name where a resources[] entry belongs: "resources: pods" or "resources:\n- pods".
    const shape = found.path.map((p) => (/^\d+$/.test(p) ? '[]' : p)).join('.');
    if (shape === 'rules.[].resources' || shape === 'rules.[].resources.[]') {
      const name = found.node.value;
      const group = groupsServing(name.split('/')[0]!, editor.minor)[0] ?? '';
      const entry = `{group: ${JSON.stringify(group)}, resources: [${yamlScalar(name)}]}`;
      return [{ title: `Write ${entry}`, edits: [editor.replaceNode(found.node, shape === 'rules.[].resources' ? `[${entry}]` : entry)], preferred: true }];
    }
  }
  if (code === 'unknown-field' && found?.kind === 'key') {
    if (typeof data.replacement === 'string') return editor.renameKey(found.path, found.entry, data.replacement);
    if (data.moveTo) return editor.moveKey(found.path, found.entry, data.moveTo);
    return [];
  }
  if (data.append) return [editor.appendRule(data.append)];
  if (data.insert) {
    const index = editor.ruleAt(offset);
    return index === undefined ? [] : [editor.insertIntoRule(index, data.insert)];
  }
  if (data.group !== undefined && found?.kind === 'value') return editor.setResourceGroup(found.path, data.group);
  if (data.removeEntry && found?.kind === 'key') {
    const owner = nodeAtPath(editor.model, found.path.slice(0, -1));
    if (owner?.kind !== 'map') return [];
    return [{ title: `Delete "${found.entry.key}"${code === 'duplicate-key' ? ' (the ignored one)' : ''}`, edits: editor.removeEntry(owner, found.entry), preferred: true }];
  }
  if (data.removeField && found?.kind === 'value') {
    const owner = nodeAtPath(editor.model, found.path.slice(0, -2));
    const entry = owner?.kind === 'map' ? owner.entries.find((e) => e.key === data.removeField) : undefined;
    if (!owner || owner.kind !== 'map' || !entry) return [];
    return [{ title: `Remove ${data.removeField} (match every value)`, edits: editor.removeEntry(owner, entry), preferred: true }];
  }
  if (data.removeItem && found?.kind === 'value') return editor.removeItem(found.path);
  if (data.quote && found?.kind === 'value') {
    const raw = editor.text.slice(found.node.start, found.node.end);
    return [{ title: `Quote ${raw}`, edits: [{ range: editor.range(found.node.start, found.node.end), newText: JSON.stringify(raw) }], preferred: true }];
  }
  if (data.replacement !== undefined) {
    const node = found?.kind === 'value' ? found.node : undefined;
    const start = node ? node.start : offset;
    const end = node ? node.end : offsetOf(editor.model.parsed, d.range.end);
    const newText = renderValue(data.replacement, editor.text.slice(start, end));
    return [{ title: `Change to ${newText}`, edits: [{ range: editor.range(start, end), newText }], preferred: true }];
  }
  return [];
}

/** A value as YAML, keeping the quote style of the text it replaces. */
function renderValue(value: unknown, replaced = ''): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v)).join(', ')}]`;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '""';
  const s = String(value);
  if (replaced.startsWith('"')) return JSON.stringify(s);
  if (replaced.startsWith("'") && !s.includes("'")) return `'${s}'`;
  return yamlScalar(s);
}

/** A decoded node as flow YAML (for values moved from one place to another). */
function flowOf(node: TreeNode): string {
  if (node.kind === 'scalar') return node.value === null ? '""' : typeof node.value === 'string' ? yamlScalar(node.value) : String(node.value);
  if (node.kind === 'seq') return `[${node.items.map(flowOf).join(', ')}]`;
  return `{${node.entries.map((e) => `${e.key}: ${flowOf(e.value)}`).join(', ')}}`;
}

const SENSITIVE_GROUPS: Record<string, string> = { tokenreviews: 'authentication.k8s.io' };

/** Text edits over the model's text, aware of block and flow style. */
class Editor {
  readonly text: string;
  constructor(
    readonly model: PolicyModel,
    readonly minor: number,
  ) {
    this.text = model.parsed.text;
  }

  range(start: number, end: number): Range {
    return rangeOf(this.model.parsed, start, end);
  }

  lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  lineEnd(offset: number): number {
    const end = this.text.indexOf('\n', offset);
    return end < 0 ? this.text.length : end;
  }

  column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  isFlow(node: TreeNode): boolean {
    return this.text[node.start] === '{' || this.text[node.start] === '[';
  }

  /** Whole lines [start of the line of `start`, after the newline of the line of `end`). */
  wholeLines(start: number, end: number): TextEdit {
    const from = this.lineStart(start);
    const lineEnd = this.lineEnd(end);
    const to = lineEnd < this.text.length ? lineEnd + 1 : lineEnd;
    return { range: this.range(from, to), newText: '' };
  }

  replaceNode(node: TreeNode, newText: string): TextEdit {
    return { range: this.range(node.start, node.end), newText };
  }

  ruleAt(offset: number): number | undefined {
    for (const located of this.model.rules) {
      const dash = this.dashOf(located.node);
      if (offset >= (dash ?? located.node.start) && offset <= Math.max(located.node.end, located.node.start)) return located.index;
    }
    return undefined;
  }

  /** Offset of the "-" of a block list item, if it has one. */
  dashOf(node: TreeNode): number | undefined {
    let at = node.start - 1;
    while (at >= 0 && (this.text[at] === ' ' || this.text[at] === '\t')) at--;
    return at >= 0 && this.text[at] === '-' ? at : undefined;
  }

  rulesSeq(): TreeSeq | undefined {
    const rules = this.model.root?.byKey.get('rules')?.value;
    return rules?.kind === 'seq' ? rules : undefined;
  }

  // ---- maps -------------------------------------------------------------------------------------

  /** Removes a key and its value from a map. A map left empty is left as {} (callers avoid that). */
  removeEntry(map: TreeMap, entry: TreeEntry): TextEdit[] {
    const entries = map.entries;
    const at = entries.indexOf(entry);
    const valueEnd = Math.max(entry.value.end, entry.keyEnd);
    if (this.isFlow(map)) {
      if (entries.length === 1) return [{ range: this.range(map.start, map.end), newText: '{}' }];
      if (at < entries.length - 1) return [{ range: this.range(entry.keyStart, entries[at + 1]!.keyStart), newText: '' }];
      const previous = entries[at - 1]!;
      return [{ range: this.range(Math.max(previous.value.end, previous.keyEnd), valueEnd), newText: '' }];
    }
    const before = this.text.slice(this.lineStart(entry.keyStart), entry.keyStart);
    if (/-\s*$/.test(before)) {
      // The first key of a "- " item: the next key moves up onto the dash line.
      const next = entries[at + 1];
      if (!next) return [{ range: this.range(entry.keyStart, valueEnd), newText: '{}' }];
      return [{ range: this.range(entry.keyStart, next.keyStart), newText: '' }];
    }
    return [this.wholeLines(entry.keyStart, valueEnd)];
  }

  /** Adds `key: value` to a map (after its last entry, or before its second line for block rules). */
  insertEntry(map: TreeMap, key: string, value: string, avoid?: { start: number; end: number }): TextEdit {
    if (this.isFlow(map)) {
      const close = map.end - 1;
      return { range: this.range(close, close), newText: map.entries.length ? `, ${key}: ${value}` : `${key}: ${value}` };
    }
    const first = map.entries[0];
    if (!first) return { range: this.range(map.start, map.end), newText: `${key}: ${value}` };
    const indent = ' '.repeat(this.column(first.keyStart));
    const last = map.entries[map.entries.length - 1]!;
    const lastEnd = this.lineEnd(Math.max(last.value.end, last.keyEnd));
    if (avoid) {
      // Moved keys go near the top of the map (after its first key), away from the text being removed.
      const own = map.entries.find((e) => this.lineStart(e.keyStart) !== this.lineStart(first.keyStart) || /^\s*$/.test(this.text.slice(this.lineStart(e.keyStart), e.keyStart)));
      if (own && own !== first) {
        const at = this.lineStart(own.keyStart);
        return { range: this.range(at, at), newText: `${indent}${key}: ${value}\n` };
      }
      const after = this.lineEnd(Math.max(first.value.end, first.keyEnd));
      return { range: this.range(after, after), newText: `\n${indent}${key}: ${value}` };
    }
    return { range: this.range(lastEnd, lastEnd), newText: `\n${indent}${key}: ${value}` };
  }

  // ---- lists ------------------------------------------------------------------------------------

  removeSeqItem(seq: TreeSeq, index: number): TextEdit[] {
    const item = seq.items[index]!;
    if (this.isFlow(seq)) {
      if (seq.items.length === 1) return [{ range: this.range(seq.start, seq.end), newText: '[]' }];
      if (index < seq.items.length - 1) return [{ range: this.range(item.start, seq.items[index + 1]!.start), newText: '' }];
      return [{ range: this.range(seq.items[index - 1]!.end, item.end), newText: '' }];
    }
    const dash = this.dashOf(item) ?? item.start;
    if (!/^\s*$/.test(this.text.slice(this.lineStart(dash), dash))) throw new Error('item shares its line');
    return [this.wholeLines(dash, Math.max(item.end, item.start))];
  }

  appendToSeq(seq: TreeSeq, flowItem: string, blockItem = flowItem): TextEdit {
    if (this.isFlow(seq)) {
      const close = seq.end - 1;
      return { range: this.range(close, close), newText: seq.items.length ? `, ${flowItem}` : flowItem };
    }
    const first = seq.items[0]!;
    const dash = this.dashOf(first) ?? first.start;
    const indent = ' '.repeat(this.column(dash));
    const last = seq.items[seq.items.length - 1]!;
    const end = this.lineEnd(Math.max(last.end, last.start));
    return { range: this.range(end, end), newText: `\n${indent}- ${blockItem.replace(/\n/g, `\n${indent}  `)}` };
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
}

function groupOf(map: TreeMap): string {
  const value = map.byKey.get('group')?.value;
  return value?.kind === 'scalar' && typeof value.value === 'string' ? value.value : '';
}

/** "Add omitStages: [RequestReceived]" for a policy without omitStages, offered on its top-level keys. */
function addOmitStages(editor: Editor, range: Range): Fix | undefined {
  const root = editor.model.root;
  if (!root || root.byKey.has('omitStages') || editor.isFlow(root)) return undefined;
  const offset = offsetOf(editor.model.parsed, range.start);
  const onTopKey = root.entries.some((e) => editor.lineStart(e.keyStart) === editor.lineStart(offset) && editor.column(e.keyStart) === 0);
  if (!onTopKey) return undefined;
  const rules = root.byKey.get('rules');
  const at = rules ? editor.lineStart(rules.keyStart) : editor.text.length;
  return { title: 'Add omitStages: [RequestReceived] (no event when a request arrives; ResponseComplete has it all)', edits: [{ range: editor.range(at, at), newText: 'omitStages: [RequestReceived]\n' }] };
}
