import type { Range, TextEdit } from 'vscode-languageserver-types';
import type { PolicyModel } from '../../yaml/model';
import { rangeOf } from '../../yaml/parse';
import type { TreeEntry, TreeMap, TreeNode, TreeSeq } from '../../yaml/tree';
import { yamlScalar } from '../complete';

/** One quick fix: its title and the edits that make it. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

/** A value as YAML, keeping the quote style of the text it replaces. */
export function renderValue(value: unknown, replaced = ''): string {
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v)).join(', ')}]`;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '""';
  const s = String(value);
  if (replaced.startsWith('"')) return JSON.stringify(s);
  if (replaced.startsWith("'") && !s.includes("'")) return `'${s}'`;
  return yamlScalar(s);
}

/** A decoded node as flow YAML (for values moved from one place to another). */
export function flowOf(node: TreeNode): string {
  if (node.kind === 'scalar') return node.value === null ? '""' : typeof node.value === 'string' ? yamlScalar(node.value) : String(node.value);
  if (node.kind === 'seq') return `[${node.items.map(flowOf).join(', ')}]`;
  return `{${node.entries.map((e) => `${e.key}: ${flowOf(e.value)}`).join(', ')}}`;
}

/**
 * Text edits over a policy's YAML that keep its style: block or flow, indentation, quote style. Knows
 * YAML maps and lists, not what a rule means (ruleEdits.ts does).
 */
export class YamlEditor {
  readonly text: string;
  constructor(readonly model: PolicyModel) {
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

  /** Offset of the "-" of a block list item, if it has one. */
  dashOf(node: TreeNode): number | undefined {
    let at = node.start - 1;
    while (at >= 0 && (this.text[at] === ' ' || this.text[at] === '\t')) at--;
    return at >= 0 && this.text[at] === '-' ? at : undefined;
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
}
