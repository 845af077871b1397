import { loadPolicy } from '../../policy/checks/policyDiagnostics';
import type { PolicyRule } from '../../policy/types';

/** A rule to write, with the comment lines that go above it. */
export interface CommentedRule {
  rule: PolicyRule;
  comment: string[];
}

/** YAML 1.1 words go-yaml v2 reads as booleans or null: quoted, or a string list would not decode. */
const YAML_WORDS = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i;

function scalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && !YAML_WORDS.test(value) ? value : JSON.stringify(value);
}

function list(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

/** One rule as a block-style list item at `indent`, e.g. "  - level: None\n    users: [...]". */
export function ruleYaml(rule: PolicyRule, indent: string): string[] {
  const lines = [`level: ${scalar(rule.level)}`];
  for (const key of ['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'] as const) {
    const values = rule[key];
    if (values?.length) lines.push(`${key}: ${list(values)}`);
  }
  if (rule.resources?.length) {
    lines.push('resources:');
    for (const gr of rule.resources) {
      lines.push(`  - group: ${gr.group ? scalar(gr.group) : '""'}`);
      if (gr.resources?.length) lines.push(`    resources: ${list(gr.resources)}`);
      if (gr.resourceNames?.length) lines.push(`    resourceNames: ${list(gr.resourceNames)}`);
    }
  }
  if (rule.omitStages?.length) lines.push(`omitStages: ${list(rule.omitStages)}`);
  if (rule.omitManagedFields !== undefined) lines.push(`omitManagedFields: ${rule.omitManagedFields}`);
  return lines.map((line, i) => `${indent}${i === 0 ? '- ' : '  '}${line}`);
}

/** Comment lines wrapped at about 100 columns. */
export function commentLines(text: string, indent: string): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + 2 + line.length + 1 + word.length > 100) {
      out.push(`${indent}# ${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(`${indent}# ${line}`);
  return out;
}

/** A whole policy written out, with a header comment, comments above rules and omitStages. */
export function renderPolicy(header: string[], omitStages: { stages: string[]; comment: string[] } | null, rules: CommentedRule[]): string {
  const lines = [...header.flatMap((h) => commentLines(h, '')), 'apiVersion: audit.k8s.io/v1', 'kind: Policy'];
  if (omitStages && omitStages.stages.length > 0) lines.push(...omitStages.comment.flatMap((c) => commentLines(c, '')), `omitStages: ${list(omitStages.stages)}`);
  lines.push('rules:');
  for (const { rule, comment } of rules) lines.push(...comment.flatMap((c) => commentLines(c, '  ')), ...ruleYaml(rule, '  '));
  return `${lines.join('\n')}\n`;
}

/**
 * The given policy's own text, with the new rules inserted before its first rule (in its
 * indentation), a comment above each of its rules, omitStages added when asked, and the header on
 * top: the user's formatting and comments stay. Undefined when its rules are not a block list
 * (flow style, aliases): then the caller writes the whole policy out instead.
 */
export function renderIntoPolicy(text: string, header: string[], addOmitStages: { stages: string[]; comment: string[] } | null, inserted: CommentedRule[], ownComments: string[][]): string | undefined {
  const loaded = loadPolicy('', text, { assumePolicy: true });
  if (!loaded || loaded.model.rules.length === 0 || text.includes('&')) return undefined;
  const { model } = loaded;
  const rulesEntry = model.root?.byKey.get('rules');
  if (!rulesEntry || rulesEntry.value.kind !== 'seq') return undefined;
  const lineStarts = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  // Every rule must start its own line with "- ": otherwise comments cannot go above it.
  const starts = model.rules.map((located) => lineStarts(located.node.start));
  for (const start of starts) if (!/^[ \t]*- /.test(text.slice(start, start + 200))) return undefined;
  const indentOf = (start: number) => /^[ \t]*/.exec(text.slice(start))![0];
  const edits: { at: number; insert: string }[] = [];
  const firstIndent = indentOf(starts[0]!);
  const newRules = inserted.flatMap(({ rule, comment }) => [...comment.flatMap((c) => commentLines(c, firstIndent)), ...ruleYaml(rule, firstIndent)]);
  // Above the comment lines that belong to the first rule, so they stay with it.
  let insertAt = starts[0]!;
  while (insertAt > 0) {
    const previous = lineStarts(insertAt - 1);
    if (!/^[ \t]*#/.test(text.slice(previous, insertAt))) break;
    insertAt = previous;
  }
  if (newRules.length > 0) edits.push({ at: insertAt, insert: newRules.map((l) => `${l}\n`).join('') });
  starts.forEach((start, index) => {
    const comment = ownComments[index] ?? [];
    if (comment.length === 0) return;
    const lines = comment.flatMap((c) => commentLines(c, indentOf(start)));
    edits.push({ at: start, insert: lines.map((l) => `${l}\n`).join('') });
  });
  if (addOmitStages && addOmitStages.stages.length > 0) {
    if (model.root?.byKey.has('omitStages')) return undefined;
    const rulesLine = lineStarts(rulesEntry.keyStart);
    const comment = addOmitStages.comment.flatMap((c) => commentLines(c, '')).map((l) => `${l}\n`).join('');
    edits.push({ at: rulesLine, insert: `${comment}omitStages: ${list(addOmitStages.stages)}\n` });
  }
  // Later positions first; at one position the edit made later goes in first, so that the inserted
  // rules end up before the first rule's own comment.
  const ordered = edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => b.at - a.at || b.order - a.order);
  let out = text;
  for (const edit of ordered) out = out.slice(0, edit.at) + edit.insert + out.slice(edit.at);
  return `${header.flatMap((h) => commentLines(h, '')).join('\n')}\n${out}`;
}
