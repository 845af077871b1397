import type { Position, Range } from 'vscode-languageserver-types';
import { isMap, isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { fastDecodeTree } from './fastTree';
import { decodeTree, type DecodedTree } from './tree';

/**
 * The YAML of one text version, parsed once and shared by every feature (diagnostics, completion,
 * hover). Offsets in `yaml` nodes are UTF-16 offsets into `text`, the same unit LSP positions use.
 */
export interface ParsedYaml {
  readonly text: string;
  readonly documents: Document.Parsed[];
  readonly lineCounter: LineCounter;
}

/** What range conversion needs: the text and where its lines start. */
export interface LineIndexed {
  readonly text: string;
  readonly lineCounter: LineCounter;
}

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, {
    lineCounter,
    keepSourceTokens: true,
    prettyErrors: false,
    // kube-apiserver's YAML decoder keeps the last of duplicate keys; we report them ourselves.
    uniqueKeys: false,
    strict: false,
  });
  // parseAllDocuments returns an EmptyStream (not an array) for text with no documents at all.
  return { text, documents: Array.isArray(documents) ? documents : [], lineCounter };
}

/**
 * A policy text parsed once: the first document decoded as kube-apiserver decodes it, plus what the
 * reader checks need about the rest. Most policies take the fast path (fastTree.ts), which yields the
 * same tree as `yaml` about ten times faster; anything unusual takes the full `yaml` parser.
 */
export interface PolicyText extends LineIndexed {
  readonly tree: DecodedTree;
  readonly documentCount: number;
  /** Offset of the second document (its "---"), when there is one: it is ignored by the apiserver. */
  readonly secondDocumentStart?: number;
  readonly syntaxErrors: readonly { start: number; end: number; message: string }[];
  /** Offset of the first syntax error inside the first document (the policy), when there is one. */
  readonly firstDocumentErrorAt?: number;
}

export function parsePolicyText(text: string): PolicyText {
  const fast = tryFastTree(text);
  if (fast) return { text, lineCounter: lineCounterFor(text), tree: fast, documentCount: 1, syntaxErrors: [] };
  const parsed = parseYaml(text);
  const first = parsed.documents[0];
  const syntaxErrors = parsed.documents.flatMap((d) => d.errors.map((e) => ({ start: e.pos[0], end: e.pos[1], message: e.message })));
  return {
    text,
    lineCounter: parsed.lineCounter,
    tree: first ? decodeTree(first) : { root: undefined, duplicates: [], problems: [] },
    documentCount: parsed.documents.length,
    // A trailing "---" with nothing after it is harmless: only later documents with content count.
    secondDocumentStart: parsed.documents.slice(1).find(hasContent)?.range[0],
    syntaxErrors,
    firstDocumentErrorAt: firstErrorOffset(first),
  };
}

export function firstErrorOffset(document: Document.Parsed | undefined): number | undefined {
  if (!document?.errors.length) return undefined;
  return Math.min(...document.errors.map((e) => e.pos[0]));
}

function hasContent(document: Document.Parsed): boolean {
  const contents = document.contents;
  return contents !== null && !(isScalar(contents) && contents.value === null && contents.source === '');
}

function tryFastTree(text: string): DecodedTree | undefined {
  try {
    return fastDecodeTree(text);
  } catch {
    return undefined; // a bug in the shortcut must never cost the diagnostics: take the full path
  }
}

/** The same line table the yaml lexer builds (a line starts at 0 and after every "\n"). */
function lineCounterFor(text: string): LineCounter {
  const lineCounter = new LineCounter();
  lineCounter.addNewLine(0);
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
  return lineCounter;
}

/** LSP range of the UTF-16 offsets [start, end) of `parsed.text`. */
export function rangeOf(parsed: LineIndexed, start: number, end: number): Range {
  return { start: positionOf(parsed, start), end: positionOf(parsed, end) };
}

function positionOf(parsed: LineIndexed, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, parsed.text.length));
  const { line, col } = parsed.lineCounter.linePos(clamped);
  return { line: line - 1, character: col - 1 };
}

/** The UTF-16 offset of an LSP position of `parsed.text` (the inverse of rangeOf). */
export function offsetOf(parsed: LineIndexed, position: Position): number {
  return Math.min((parsed.lineCounter.lineStarts[position.line] ?? parsed.text.length) + position.character, parsed.text.length);
}

/** Top-level `key: scalar` value of a document, or undefined when absent or not a scalar. */
export function topLevelScalar(document: Document.Parsed, key: string): unknown {
  if (!isMap(document.contents)) return undefined;
  const node = document.contents.get(key, true);
  return isScalar(node) ? node.value : undefined;
}
