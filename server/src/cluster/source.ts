import type { Range } from 'vscode-languageserver-types';
import { parseYaml, rangeOf, type LineIndexed } from '../policy/yaml/parse';
import { decodeTree, type TreeEntry, type TreeMap, type TreeNode, type TreeScalar, type TreeSeq } from '../policy/yaml/tree';

/**
 * A setup file (YAML or JSON: JSON is read by the same YAML parser) parsed once, every document
 * decoded the way Kubernetes tools decode them (go-yaml v2 scalars, last duplicate key wins), with
 * the source offsets of every key and value. The cluster engine never looks at text any other way.
 */
export interface ClusterSource extends LineIndexed {
  readonly uri: string;
  readonly documents: SourceDocument[];
}

export interface SourceDocument {
  /** Index of the document in the file (kubeadm files often hold several). */
  readonly index: number;
  readonly root: TreeNode | undefined;
  /** The YAML parser found errors in this document: it is not analysed (Red Hat YAML reports them). */
  readonly broken: boolean;
}

/** Far above any manifest or settings export; larger texts are not parsed. */
export const MAX_SETUP_CHARS = 2_000_000;

export function parseClusterSource(uri: string, text: string): ClusterSource {
  const parsed = parseYaml(text);
  const documents = parsed.documents.map((document, index) => ({
    index,
    root: document.contents ? decodeTree(document).root : undefined,
    broken: document.errors.length > 0,
  }));
  return { uri, text, lineCounter: parsed.lineCounter, documents };
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

export function spanRange(source: LineIndexed, span: Span): Range {
  return rangeOf(source, span.start, span.end);
}

/** 1-based line of an offset, for evidence and text output. */
export function lineOf(source: LineIndexed, offset: number): number {
  return rangeOf(source, offset, offset).start.line + 1;
}

/** The whole source line holding an offset, trimmed: the "text" of a piece of evidence. */
export function lineText(source: LineIndexed, offset: number): string {
  const start = source.text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = source.text.indexOf('\n', offset);
  return source.text.slice(offset === 0 ? 0 : start, end < 0 ? source.text.length : end).trim();
}

export function keySpan(entry: TreeEntry): Span {
  return { start: entry.keyStart, end: entry.keyEnd };
}

/** Tree navigation that tolerates every wrong shape: a missing key or a wrong kind is undefined. */
export function mapAt(node: TreeNode | undefined, key?: string): TreeMap | undefined {
  const target = key === undefined ? node : node?.kind === 'map' ? node.byKey.get(key)?.value : undefined;
  return target?.kind === 'map' ? target : undefined;
}

export function seqAt(node: TreeNode | undefined, key: string): TreeSeq | undefined {
  const target = node?.kind === 'map' ? node.byKey.get(key)?.value : undefined;
  return target?.kind === 'seq' ? target : undefined;
}

export function entryAt(node: TreeNode | undefined, key: string): TreeEntry | undefined {
  return node?.kind === 'map' ? node.byKey.get(key) : undefined;
}

export function scalarAt(node: TreeNode | undefined, key: string): TreeScalar | undefined {
  const target = entryAt(node, key)?.value;
  return target?.kind === 'scalar' ? target : undefined;
}

/** A scalar's value as text (numbers and booleans as written by Go), or undefined. */
export function stringAt(node: TreeNode | undefined, key: string): string | undefined {
  const value = scalarAt(node, key)?.value;
  return typeof value === 'string' ? value : undefined;
}

/** Key lookup ignoring case: CloudFormation and ARM exports differ in the case of property names. */
export function entryAtAnyCase(node: TreeNode | undefined, key: string): TreeEntry | undefined {
  if (node?.kind !== 'map') return undefined;
  const exact = node.byKey.get(key);
  if (exact) return exact;
  const lower = key.toLowerCase();
  for (const [name, entry] of node.byKey) if (name.toLowerCase() === lower) return entry;
  return undefined;
}

/**
 * Where the characters of a scalar's string value sit in the source, so that a range can point at part
 * of it (the value after `=` in `--flag=value`). Exact for plain scalars and for quoted scalars without
 * escapes or line folding; otherwise undefined (callers then use the whole scalar).
 */
export function scalarContentStart(text: string, node: TreeScalar): number | undefined {
  if (typeof node.value !== 'string') return undefined;
  const raw = text.slice(node.start, node.end);
  if (raw === node.value) return node.start;
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length >= 2 && raw.endsWith(quote) && raw.slice(1, -1) === node.value) return node.start + 1;
  return undefined;
}

/** The characters of a scalar's value without its quotes where that is exact, else the whole scalar. */
export function scalarValueSpan(text: string, node: TreeScalar): Span {
  const start = scalarContentStart(text, node);
  return start === undefined ? { start: node.start, end: node.end } : { start, end: start + String(node.value).length };
}
