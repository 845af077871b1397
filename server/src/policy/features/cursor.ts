/**
 * Where the cursor is in a policy, from the text alone: works on half-typed YAML (the line being
 * typed is rarely valid), like yaml-language-server does, by reading indentation and the keys of the
 * surrounding lines. The result is a path of keys and "[]" (a list item), from the document root.
 */

export interface LineToken {
  kind: 'item' | 'key';
  /** Column of the "-" or of the key's first character. */
  col: number;
  key?: string;
}

export interface ScannedLine {
  tokens: LineToken[];
  /** What follows the tokens (a value, or a partial key/value), without a trailing comment. */
  rest: string;
  restCol: number;
  /** Blank, comment-only or a document marker. */
  blank: boolean;
  indent: number;
}

const KEY = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"[\]{},:&*!|>%@`][^#]*?|[^\s#'"[\]{},:&*!|>%@`]))[ \t]*:(?=[ \t]|$)/;

/** The block structure of one line: leading "- " items, then at most one "key:", then the rest. */
export function scanLine(line: string): ScannedLine {
  let i = 0;
  while (i < line.length && line[i] === ' ') i++;
  const indent = i;
  const trimmed = line.slice(i);
  if (trimmed === '' || trimmed.startsWith('#') || /^(---|\.\.\.)(\s|$)/.test(trimmed)) return { tokens: [], rest: '', restCol: i, blank: true, indent };
  const tokens: LineToken[] = [];
  while (line[i] === '-' && (i + 1 === line.length || line[i + 1] === ' ' || line[i + 1] === '\t')) {
    tokens.push({ kind: 'item', col: i });
    i++;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  const match = KEY.exec(line.slice(i));
  if (match) {
    tokens.push({ kind: 'key', col: i, key: match[1] ?? match[2]?.replace(/''/g, "'") ?? match[3]!.trim() });
    i += match[0].length;
    while (line[i] === ' ' || line[i] === '\t') i++;
  }
  let rest = line.slice(i);
  const comment = rest.search(/(^|\s)#/);
  if (comment >= 0 && !/^["']/.test(rest)) rest = rest.slice(0, comment);
  return { tokens, rest: rest.trimEnd(), restCol: i, blank: false, indent };
}

export type Segment = string; // a key, or "[]" for a list item

/**
 * The keys and items enclosing a line whose first token is at column `col` (outermost first).
 * `firstIsItem`: that token is a "- ", which may belong to a key at the same column (`rules:` then `- level`).
 */
export function enclosingTokens(lines: string[], lineNo: number, col: number, firstIsItem: boolean): LineToken[] {
  const result: LineToken[] = [];
  let c = col;
  let itemAtCol = firstIsItem;
  for (let l = lineNo - 1; l >= 0 && c > -1; l--) {
    const s = scanLine(lines[l]!);
    if (s.blank) continue;
    const first = s.tokens[0];
    const firstCol = first ? first.col : s.indent;
    if (firstCol > c) continue;
    if (firstCol === c) {
      // An indentless list: "rules:" with its "- " items at the same column.
      if (itemAtCol && first?.kind === 'key' && s.tokens.length === 1 && s.rest === '') {
        result.unshift(first);
        itemAtCol = false;
      }
      continue;
    }
    if (!first) continue; // a continuation line of a multi-line scalar
    const parents = s.tokens.filter((t) => t.col < c);
    result.unshift(...parents);
    c = first.col;
    itemAtCol = first.kind === 'item';
    if (c === 0 && !itemAtCol) break;
  }
  return result;
}

export function segmentsOf(tokens: LineToken[]): Segment[] {
  return tokens.map((t) => (t.kind === 'item' ? '[]' : t.key!));
}

/** The keys (with their inline values) of the block map whose keys sit at column `col`, around line `lineNo`. */
export function blockSiblings(lines: string[], lineNo: number, col: number): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (l: number): boolean => {
    const s = scanLine(lines[l]!);
    if (s.blank) return true;
    const first = s.tokens[0];
    const firstCol = first ? first.col : s.indent;
    if (firstCol < col) {
      const key = s.tokens.find((t) => t.kind === 'key' && t.col === col);
      if (key && l !== lineNo) found.set(key.key!, s.rest);
      return false;
    }
    if (firstCol === col && first?.kind === 'key' && l !== lineNo) found.set(first.key!, s.rest);
    return true;
  };
  for (let l = lineNo; l >= 0 && visit(l); l--);
  for (let l = lineNo + 1; l < lines.length && visit(l); l++);
  return found;
}

/** The scalar items of the block list whose "- " sit at column `col`, around line `lineNo`. */
export function blockListItems(lines: string[], lineNo: number, col: number): string[] {
  const items: string[] = [];
  const visit = (l: number): boolean => {
    if (l === lineNo) return true;
    const s = scanLine(lines[l]!);
    if (s.blank) return true;
    const first = s.tokens[0];
    if (!first || first.col !== col || first.kind !== 'item' || s.tokens.length !== 1) return false;
    items.push(unquote(s.rest));
    return true;
  };
  for (let l = lineNo; l >= 0 && visit(l); l--);
  for (let l = lineNo + 1; l < lines.length && visit(l); l++);
  return items;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'")))) return v.slice(1, -1);
  return v;
}

// ---- flow collections on the cursor line -----------------------------------------------------------

export interface FlowFrame {
  type: 'seq' | 'map';
  /** map: the key whose value is being written (undefined at a key position). */
  key?: string;
  /** map: entries seen so far (scalar values); seq: scalar items seen so far. */
  entries: Map<string, string>;
  items: string[];
}

export interface FlowScan {
  stack: FlowFrame[];
  /** Offset in the scanned text where the word under the cursor starts. */
  wordStart: number;
  atKey: boolean;
}

/** Reads `text` (a value up to the cursor) as the start of a flow collection. */
export function scanFlow(text: string): FlowScan {
  const stack: FlowFrame[] = [];
  let tokenStart = 0;
  let atKey = false;
  let i = 0;
  const token = (end: number) => unquote(text.slice(tokenStart, end));
  const finish = (end: number) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    const value = token(end);
    if (top.type === 'seq') {
      if (value !== '' || /["']/.test(text.slice(tokenStart, end))) top.items.push(value);
    } else if (top.key !== undefined) {
      top.entries.set(top.key, value);
      top.key = undefined;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'") {
      const close = ch === '"' ? /(?<!\\)"/g : /'/g;
      close.lastIndex = i + 1;
      const m = close.exec(text);
      if (!m) break; // an open quote: the word starts at it
      i = m.index + 1;
      continue;
    }
    if (ch === '[' || ch === '{') {
      stack.push({ type: ch === '[' ? 'seq' : 'map', entries: new Map(), items: [] });
      atKey = ch === '{';
      tokenStart = i + 1;
    } else if (ch === ']' || ch === '}') {
      finish(i);
      const closed = stack.pop();
      const top = stack[stack.length - 1];
      if (top?.type === 'map' && top.key !== undefined && closed) {
        top.entries.set(top.key, ''); // a collection value
        top.key = undefined;
      }
      tokenStart = i + 1;
    } else if (ch === ',') {
      finish(i);
      atKey = stack[stack.length - 1]?.type === 'map';
      tokenStart = i + 1;
    } else if (ch === ':' && stack[stack.length - 1]?.type === 'map' && atKey && (i + 1 === text.length || /[\s,[\]{}]/.test(text[i + 1]!))) {
      stack[stack.length - 1]!.key = token(i);
      atKey = false;
      tokenStart = i + 1;
    }
    i++;
  }
  while (tokenStart < text.length && /\s/.test(text[tokenStart]!)) tokenStart++;
  return { stack, wordStart: tokenStart, atKey };
}

// ---- the cursor context ---------------------------------------------------------------------------

export type CursorContext =
  | { kind: 'key'; path: Segment[]; present: Set<string>; newItem: boolean }
  | { kind: 'value'; path: Segment[]; key: string; inList: boolean; present: Set<string>; siblings: Map<string, string> };

export interface CursorInfo {
  context: CursorContext;
  /** Character range (on the cursor line) of the word the completion replaces. */
  wordStart: number;
  wordEnd: number;
  word: string;
  /** Text follows the word on its line (e.g. ": None" after a key being renamed): insert the bare name. */
  followed: boolean;
}

export function cursorContext(text: string, line: number, character: number): CursorInfo | undefined {
  const lines = text.split(/\r?\n/);
  if (line < 0 || line >= lines.length) return undefined;
  const full = lines[line]!;
  const prefix = full.slice(0, character);
  const scan = scanLine(prefix);
  if (scan.blank && prefix.trim().startsWith('#')) return undefined;
  const firstCol = scan.tokens[0]?.col ?? Math.min(scan.indent, character);
  const enclosing = enclosingTokens(lines, line, firstCol, scan.tokens[0]?.kind === 'item');
  const base = segmentsOf([...enclosing, ...scan.tokens]);
  const lastToken = scan.tokens[scan.tokens.length - 1];
  const rest = prefix.slice(scan.restCol);
  const wordEndOf = (start: number, key: boolean) => {
    let end = character;
    // A key ends at its ":"; a value such as system:nodes may contain one.
    while (end < full.length && !(key ? /[\s,\]}#:]/ : /[\s,\]}#]/).test(full[end]!)) end++;
    return Math.max(end, start);
  };
  const info = (context: CursorContext, start: number): CursorInfo => {
    const wordEnd = wordEndOf(start, context.kind === 'key');
    return { context, wordStart: start, wordEnd, word: prefix.slice(start), followed: full.slice(wordEnd).trim() !== '' };
  };

  /** The context inside a flow collection that starts at `flowText` (the value of `owner`'s key on `ownerLine`). */
  const inFlow = (basePath: Segment[], flowText: string, ownerLine: number, owner: LineToken | undefined, toLine: (at: number) => number): CursorInfo | undefined => {
    const flow = scanFlow(flowText);
    if (flow.stack.length === 0) return undefined;
    const path = [...basePath];
    const start = toLine(flow.wordStart);
    const siblingsOfLine = owner?.kind === 'key' ? blockSiblings(lines, ownerLine, owner.col) : new Map<string, string>();
    for (let k = 0; k < flow.stack.length; k++) {
      const frame = flow.stack[k]!;
      const innermost = k === flow.stack.length - 1;
      if (frame.type === 'seq') {
        if (innermost) {
          const key = path[path.length - 1] ?? '';
          const parent = flow.stack[k - 1];
          const siblings = parent?.type === 'map' ? parent.entries : siblingsOfLine;
          return info({ kind: 'value', path, key, inList: true, present: new Set(frame.items), siblings }, start);
        }
        path.push('[]');
      } else if (innermost) {
        if (flow.atKey || frame.key === undefined) return info({ kind: 'key', path, present: new Set(frame.entries.keys()), newItem: false }, start);
        path.push(frame.key);
        return info({ kind: 'value', path, key: frame.key, inList: false, present: new Set(), siblings: frame.entries }, start);
      } else if (frame.key !== undefined) {
        path.push(frame.key);
      }
    }
    return undefined;
  };
  {
    // Inside a flow collection opened on an earlier, less indented line ("verbs: [get,\n    li|").
    const indent = scan.tokens[0]?.col ?? scan.indent;
    const between: string[] = [];
    for (let l = line - 1; l >= 0 && l >= line - 100; l--) {
      const s = scanLine(lines[l]!);
      if (s.blank || s.indent >= indent) {
        between.unshift(lines[l]!);
        continue;
      }
      if (!/^[[{]/.test(s.rest) || s.tokens.length === 0) break;
      const joined = [lines[l]!.slice(s.restCol), ...between, prefix].join('\n');
      const lineStartInJoined = joined.length - prefix.length;
      const openerTokens = [...enclosingTokens(lines, l, s.tokens[0]!.col, s.tokens[0]!.kind === 'item'), ...s.tokens];
      const found = inFlow(segmentsOf(openerTokens), joined, l, s.tokens[s.tokens.length - 1], (at) => Math.max(0, at - lineStartInJoined));
      if (found) return found;
      break;
    }
  }
  if (/^[[{]/.test(rest)) {
    const found = inFlow(base, rest, line, lastToken, (at) => scan.restCol + at);
    if (found) return found;
  }
  const wordStart = scan.restCol;
  // "- system:" in a list of strings is a value being typed, not a key.
  if (lastToken?.kind === 'key' && scan.tokens[scan.tokens.length - 2]?.kind === 'item' && isStringList(base.slice(0, -2))) {
    const listPath = base.slice(0, -2);
    const itemCol = scan.tokens[scan.tokens.length - 2]!.col;
    const ownerKeyCol = enclosing.filter((t) => t.kind === 'key').slice(-1)[0]?.col ?? 0;
    return info(
      { kind: 'value', path: listPath, key: listPath[listPath.length - 1]!, inList: true, present: new Set(blockListItems(lines, line, itemCol)), siblings: blockSiblings(lines, line, ownerKeyCol) },
      lastToken.col,
    );
  }
  if (lastToken?.kind === 'key') {
    // "key: va|": the value of that key.
    return info({ kind: 'value', path: base, key: lastToken.key!, inList: false, present: new Set(), siblings: blockSiblings(lines, line, lastToken.col) }, wordStart);
  }
  // A word (or nothing) after "- " or indentation: a key of the enclosing map, or an item of a list of strings.
  const container = base[base.length - 1] === '[]' ? base[base.length - 2] : base[base.length - 1];
  const isItem = lastToken?.kind === 'item';
  const listOwnerPath = isItem ? base.slice(0, -1) : base;
  if (isItem && container !== undefined && isStringList(listOwnerPath)) {
    const itemCol = lastToken.col;
    const ownerKeyCol = enclosing.filter((t) => t.kind === 'key').slice(-1)[0]?.col ?? 0;
    return info(
      {
        kind: 'value',
        path: listOwnerPath,
        key: container,
        inList: true,
        present: new Set(blockListItems(lines, line, itemCol)),
        siblings: blockSiblings(lines, line, ownerKeyCol),
      },
      wordStart,
    );
  }
  if (!isItem && base.length > 0 && base[base.length - 1] !== '[]') {
    // A value on the line after its key ("verbs:" then an indented word): unusual; treat as the key's value.
    return info({ kind: 'value', path: base, key: base[base.length - 1]!, inList: false, present: new Set(), siblings: new Map() }, wordStart);
  }
  const keyCol = scan.restCol;
  const present = new Set(blockSiblings(lines, line, keyCol).keys());
  return info({ kind: 'key', path: base, present, newItem: isItem && scan.tokens.length === 1 }, wordStart);
}

/** Paths whose value is a list of strings. */
export function isStringList(path: Segment[]): boolean {
  const p = path.join('.');
  return (
    p === 'omitStages' ||
    /^rules\.\[\]\.(users|userGroups|verbs|namespaces|nonResourceURLs|omitStages)$/.test(p) ||
    /^rules\.\[\]\.resources\.\[\]\.(resources|resourceNames)$/.test(p)
  );
}
