import type { Scalar } from 'yaml';
import { goScalarValue, type GoScalar } from './goYamlScalar';
import type { DecodedTree, DuplicateKey, TreeEntry, TreeMap, TreeNode, TreeScalar, TreeSeq } from './tree';

/**
 * A fast path for the YAML that audit policies are written in: block maps and sequences, one-line
 * scalars (plain, single- or double-quoted), one-line flow sequences of scalars, `{}`, comments and a
 * leading `---`. It produces exactly the tree that `yaml` + decodeTree produce for the same text (a
 * differential test holds it to that), about ten times faster, which is what keeps a 2,000-rule
 * policy under the per-keystroke budget. Anything else (anchors, aliases, tags, block or multi-line
 * scalars, several documents, tabs, syntax errors) returns undefined and the caller takes the full
 * `yaml` path, so unusual input never loses fidelity: it only loses the shortcut.
 */
export function fastDecodeTree(text: string): DecodedTree | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new FastParser(text).parseDocument();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

const GIVE_UP = Symbol('not in the fast subset');
function giveUp(): never {
  throw GIVE_UP;
}

/** Nesting deeper than this goes to the full path, which reports it. */
const MAX_DEPTH = 48;
/** Characters that cannot start a plain scalar, or start YAML we leave to the full parser. */
const NOT_PLAIN_START = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`', "'", '"']);

interface Line {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset of the first non-space character. */
  content: number;
  /** Offset of the line break ('\r' of CRLF, '\n', or the end of the text). */
  end: number;
  /** Offset just after the line break. */
  next: number;
}

class FastParser {
  private readonly lines: Line[] = [];
  private index = 0;
  private readonly duplicates: DuplicateKey[] = [];

  constructor(private readonly text: string) {
    let start = 0;
    while (start < text.length) {
      let newline = text.indexOf('\n', start);
      if (newline < 0) newline = text.length;
      const end = newline > start && text.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      let content = start;
      while (content < end && text.charCodeAt(content) === 32) content++;
      // Blank and comment-only lines carry nothing for the tree.
      if (content < end && text.charCodeAt(content) !== 35) this.lines.push({ start, content, end, next: Math.min(newline + 1, text.length) });
      start = newline + 1;
    }
  }

  parseDocument(): DecodedTree {
    const first = this.lines[0];
    if (first && first.content === first.start && this.text.startsWith('---', first.content)) {
      const after = this.skipSpaces(first.content + 3, first.end);
      if (after !== first.end && this.text.charCodeAt(after) !== 35) giveUp();
      this.index = 1;
    }
    const line = this.lines[this.index];
    if (!line) giveUp();
    const root = this.blockNode(line, line.content, 0);
    if (this.index < this.lines.length) giveUp();
    return { root, duplicates: this.duplicates, problems: [] };
  }

  /** A block map or sequence whose first token is at `column` of `line`. */
  private blockNode(line: Line, at: number, depth: number): TreeNode {
    if (depth > MAX_DEPTH) giveUp();
    if (this.isSeqItem(at, line.end)) return this.blockSeq(at - line.start, depth);
    return this.blockMap(line, at, depth);
  }

  private isSeqItem(at: number, end: number): boolean {
    return this.text.charCodeAt(at) === 45 && (at + 1 === end || this.text.charCodeAt(at + 1) === 32);
  }

  private blockSeq(column: number, depth: number): TreeSeq {
    const items: TreeNode[] = [];
    let start = -1;
    for (let line = this.lines[this.index]; line; line = this.lines[this.index]) {
      const dash = line.start + column;
      // A line that was split by a compact item ("- key: v") resumes at its own content column.
      const at = Math.max(line.content, dash);
      if (at !== dash || line.content !== dash || !this.isSeqItem(dash, line.end)) break;
      if (start < 0) start = dash;
      const valueAt = this.skipSpaces(dash + 1, line.end);
      let item: TreeNode;
      if (valueAt === line.end || this.text.charCodeAt(valueAt) === 35) {
        this.index++;
        const next = this.lines[this.index];
        if (next && next.content - next.start > column) {
          item = this.blockNode(next, next.content, depth + 1);
        } else {
          item = this.emptyValue(line, dash + 1, valueAt);
        }
      } else if (this.isSeqItem(valueAt, line.end)) {
        giveUp();
      } else if (this.keyEnd(valueAt, line.end) >= 0) {
        item = this.blockMap(line, valueAt, depth + 1);
      } else {
        item = this.inlineValue(line, valueAt);
        this.index++;
        this.expectNoDeeperLine(column);
      }
      items.push(item);
    }
    return { kind: 'seq', items, start, end: items[items.length - 1]!.end };
  }

  private blockMap(firstLine: Line, firstAt: number, depth: number): TreeMap {
    const column = firstAt - firstLine.start;
    const map: TreeMap = { kind: 'map', entries: [], byKey: new Map(), start: firstAt, end: 0 };
    let line: Line | undefined = firstLine;
    let at = firstAt;
    for (;;) {
      const keyEnd = this.keyEnd(at, line.end);
      if (keyEnd < 0) giveUp();
      const key = this.keyValue(at, keyEnd);
      const colon = this.text.indexOf(':', keyEnd);
      const valueAt = this.skipSpaces(colon + 1, line.end);
      let value: TreeNode;
      if (valueAt === line.end || this.text.charCodeAt(valueAt) === 35) {
        this.index++;
        const next = this.lines[this.index];
        const nextColumn = next ? next.content - next.start : -1;
        if (next && (nextColumn > column || (nextColumn === column && this.isSeqItem(next.content, next.end)))) {
          value = this.blockNode(next, next.content, depth + 1);
        } else {
          value = this.emptyValue(line, colon + 1, valueAt);
        }
      } else {
        value = this.inlineValue(line, valueAt);
        this.index++;
        this.expectNoDeeperLine(column);
      }
      this.addEntry(map, { key, keyStart: at, keyEnd, value });
      map.end = value.end;
      line = this.lines[this.index];
      if (!line || line.content - line.start !== column || this.isSeqItem(line.content, line.end)) break;
      at = line.content;
    }
    return map;
  }

  /** After a one-line value, a more indented line would continue it (multi-line scalar): not ours. */
  private expectNoDeeperLine(column: number): void {
    const next = this.lines[this.index];
    if (next && next.content - next.start > column) giveUp();
  }

  private addEntry(map: TreeMap, entry: TreeEntry): void {
    if (entry.key === '<<') giveUp();
    const previous = map.byKey.get(entry.key);
    if (previous) this.duplicates.push({ key: entry.key, ignored: previous, kept: entry });
    map.entries.push(entry);
    map.byKey.set(entry.key, entry);
  }

  /** End of a simple key starting at `at` (followed by ':' and a space or the end of line), or -1. */
  private keyEnd(at: number, lineEnd: number): number {
    const first = this.text[at]!;
    if (first === '"' || first === "'") {
      const close = this.quotedEnd(at, lineEnd);
      return close < lineEnd && this.text.charCodeAt(close) === 58 && this.isBreakAfterColon(close, lineEnd) ? close : -1;
    }
    if (NOT_PLAIN_START.has(first)) return -1;
    for (let i = at; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 58 && this.isBreakAfterColon(i, lineEnd)) return this.text.charCodeAt(i - 1) === 32 ? -1 : i;
      if (c === 35 && this.text.charCodeAt(i - 1) === 32) return -1;
    }
    return -1;
  }

  private isBreakAfterColon(colon: number, lineEnd: number): boolean {
    return colon + 1 === lineEnd || this.text.charCodeAt(colon + 1) === 32;
  }

  private keyValue(at: number, end: number): string {
    const first = this.text[at];
    if (first === '"' || first === "'") return this.quotedValue(at, end);
    return String(goPlain(this.text.slice(at, end)) ?? '');
  }

  /** A value that starts and ends on this line: a scalar, a flow sequence of scalars, or `{}`. */
  private inlineValue(line: Line, at: number): TreeNode {
    const c = this.text[at]!;
    let node: TreeNode;
    let valueEnd: number;
    if (c === '[') {
      node = this.flowSeq(line, at);
      valueEnd = node.end;
    } else if (c === '{') {
      const close = this.skipSpaces(at + 1, line.end);
      if (this.text[close] !== '}') giveUp();
      valueEnd = close + 1;
      node = { kind: 'map', entries: [], byKey: new Map(), start: at, end: valueEnd };
    } else if (c === '"' || c === "'") {
      valueEnd = this.quotedEnd(at, line.end);
      node = { kind: 'scalar', value: this.quotedValue(at, valueEnd), start: at, end: valueEnd };
    } else {
      if (NOT_PLAIN_START.has(c)) giveUp();
      valueEnd = this.plainEnd(at, line.end);
      node = { kind: 'scalar', value: goPlain(this.text.slice(at, valueEnd)), start: at, end: valueEnd };
    }
    // Only a comment may follow a value on its line.
    const after = this.skipSpaces(valueEnd, line.end);
    if (after !== line.end && this.text.charCodeAt(after) !== 35) giveUp();
    return node;
  }

  /** The null of a key or dash with nothing after it: `yaml` places it after the indicator, or at a trailing comment. */
  private emptyValue(line: Line, indicatorEnd: number, valueAt: number): TreeScalar {
    const at = valueAt === line.end ? indicatorEnd : valueAt;
    return { kind: 'scalar', value: null, start: at, end: at };
  }

  private plainEnd(at: number, lineEnd: number): number {
    let end = at;
    for (let i = at; i < lineEnd; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 35 && this.text.charCodeAt(i - 1) === 32) break;
      if (c === 58 && this.isBreakAfterColon(i, lineEnd)) giveUp();
      if (c !== 32) end = i + 1;
    }
    return end;
  }

  private flowSeq(line: Line, open: number): TreeSeq {
    const items: TreeNode[] = [];
    let at = this.skipSpaces(open + 1, line.end);
    if (this.text[at] === ']') return { kind: 'seq', items, start: open, end: at + 1 };
    for (;;) {
      const c = this.text[at];
      if (c === undefined || at >= line.end) giveUp();
      let end: number;
      if (c === '"' || c === "'") {
        end = this.quotedEnd(at, line.end);
        items.push({ kind: 'scalar', value: this.quotedValue(at, end), start: at, end });
      } else {
        if (NOT_PLAIN_START.has(c)) giveUp();
        end = at;
        for (let i = at; i < line.end; i++) {
          const ch = this.text[i]!;
          if (ch === ',' || ch === ']') break;
          if (ch === '[' || ch === '{' || ch === '}' || ch === '#' || (ch === ':' && (this.text[i + 1] === ' ' || this.text[i + 1] === ',' || this.text[i + 1] === ']'))) giveUp();
          if (ch !== ' ') end = i + 1;
        }
        items.push({ kind: 'scalar', value: goPlain(this.text.slice(at, end)), start: at, end });
      }
      const separator = this.skipSpaces(end, line.end);
      if (this.text[separator] === ']') return { kind: 'seq', items, start: open, end: separator + 1 };
      if (this.text[separator] !== ',') giveUp();
      at = this.skipSpaces(separator + 1, line.end);
      // A trailing comma ("[a, ]") is legal YAML, but rare enough to leave to the full parser.
      if (this.text[at] === ']') giveUp();
    }
  }

  /** Offset just after the closing quote of the quoted scalar at `at`. */
  private quotedEnd(at: number, lineEnd: number): number {
    const quote = this.text[at];
    for (let i = at + 1; i < lineEnd; i++) {
      const c = this.text[i];
      if (quote === '"' && c === '\\') {
        i++;
      } else if (c === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return giveUp();
  }

  private quotedValue(at: number, end: number): string {
    const body = this.text.slice(at + 1, end - 1);
    if (this.text[at] === "'") return body.replaceAll("''", "'");
    if (!body.includes('\\')) return body;
    return body.replace(/\\(.)/g, (_match, escaped: string) => {
      const simple = DOUBLE_QUOTE_ESCAPES[escaped];
      return simple ?? giveUp();
    });
  }

  private skipSpaces(at: number, end: number): number {
    while (at < end && this.text.charCodeAt(at) === 32) at++;
    return at;
  }
}

/** The one-character escapes of double-quoted YAML; \x, \u, \U and line folding go to the full parser. */
const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  ' ': ' ',
};

/** A plain scalar as kube-apiserver's YAML decoder resolves it (YAML 1.1 booleans and numbers). */
function goPlain(source: string): GoScalar {
  return goScalarValue({ value: source, source, type: 'PLAIN' } as unknown as Scalar);
}

