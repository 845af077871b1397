import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { goScalarValue, type GoScalar } from './goYamlScalar';

/**
 * The first YAML document as kube-apiserver decodes it (go-yaml v2 scalars, aliases expanded, merge
 * keys applied, the last of duplicate keys winning), with the source offsets of every key and value.
 * Aliased subtrees are shared, not copied, so their offsets point at the anchored text.
 */
export type TreeNode = TreeMap | TreeSeq | TreeScalar;

interface Span {
  start: number;
  end: number;
}

export interface TreeEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  value: TreeNode;
}

export interface TreeMap extends Span {
  kind: 'map';
  /** Entries in source order, duplicates included. */
  entries: TreeEntry[];
  /** The entry that counts for each key (the last one, as go-yaml keeps it). */
  byKey: Map<string, TreeEntry>;
}

export interface TreeSeq extends Span {
  kind: 'seq';
  items: TreeNode[];
}

export interface TreeScalar extends Span {
  kind: 'scalar';
  value: GoScalar;
}

export interface DuplicateKey {
  key: string;
  /** The ignored, earlier entry. */
  ignored: TreeEntry;
  kept: TreeEntry;
}

export type TreeProblem =
  | { kind: 'alias-bomb'; start: number; end: number }
  | { kind: 'alias-cycle'; start: number; end: number; anchor: string }
  | { kind: 'alias-unknown'; start: number; end: number; anchor: string }
  | { kind: 'too-deep'; start: number; end: number };

export interface DecodedTree {
  root: TreeNode | undefined;
  duplicates: DuplicateKey[];
  problems: TreeProblem[];
}

/** Nesting far beyond any policy (which is 5 levels deep); deeper content is cut off. */
const MAX_DEPTH = 64;
/** Nodes after alias expansion; go-yaml also gives up on excessive aliasing ("billion laughs"). */
const MAX_EXPANDED_NODES = 200_000;

export function decodeTree(document: Document.Parsed): DecodedTree {
  const builder = new TreeBuilder();
  const root = document.contents ? builder.build(document.contents as Node, 0) : undefined;
  if (root && builder.aliasCount > 0 && expandedSize(root, new Map(), { left: MAX_EXPANDED_NODES }) < 0) {
    const [start, end] = builder.firstAlias ?? [0, 0];
    return { root: undefined, duplicates: builder.duplicates, problems: [...builder.problems, { kind: 'alias-bomb', start, end }] };
  }
  return { root, duplicates: builder.duplicates, problems: builder.problems };
}

class TreeBuilder {
  readonly duplicates: DuplicateKey[] = [];
  readonly problems: TreeProblem[] = [];
  aliasCount = 0;
  firstAlias: [number, number] | undefined;
  private readonly anchors = new Map<string, TreeNode>();
  private readonly inProgress = new Set<TreeNode>();

  build(node: Node, depth: number): TreeNode {
    const [start, end] = node.range ?? [0, 0];
    if (isAlias(node)) return this.alias(node.source, start, end);
    if (depth > MAX_DEPTH) {
      if (!this.problems.some((p) => p.kind === 'too-deep')) this.problems.push({ kind: 'too-deep', start, end });
      return { kind: 'scalar', value: null, start, end };
    }
    let result: TreeNode;
    if (isMap(node)) {
      const map: TreeMap = { kind: 'map', entries: [], byKey: new Map(), start, end };
      this.register(node.anchor, map);
      this.inProgress.add(map);
      const merges: TreeNode[] = [];
      let lastOwnValue: TreeNode | undefined;
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const [keyStart, keyEnd] = keyNode?.range ?? [start, start];
        const key = keyNode && isScalar(keyNode) ? String(goScalarValue(keyNode) ?? '') : keyNode ? '<complex key>' : '';
        const valueNode = pair.value as Node | null;
        const value: TreeNode = valueNode ? this.build(valueNode, depth + 1) : { kind: 'scalar', value: null, start: keyEnd, end: keyEnd };
        lastOwnValue = value;
        if (key === '<<' && keyNode && isScalar(keyNode) && keyNode.type === 'PLAIN') {
          merges.push(value);
          continue;
        }
        this.addEntry(map, { key, keyStart, keyEnd, value });
      }
      for (const merged of merges) this.merge(map, merged);
      this.inProgress.delete(map);
      endAtLastItem(map, node.flow, lastOwnValue);
      result = map;
    } else if (isSeq(node)) {
      const seq: TreeSeq = { kind: 'seq', items: [], start, end };
      this.register(node.anchor, seq);
      this.inProgress.add(seq);
      for (const item of node.items) seq.items.push(item ? this.build(item as Node, depth + 1) : { kind: 'scalar', value: null, start, end: start });
      this.inProgress.delete(seq);
      endAtLastItem(seq, node.flow, seq.items[seq.items.length - 1]);
      result = seq;
    } else if (isScalar(node)) {
      result = { kind: 'scalar', value: goScalarValue(node), start, end };
      this.register(node.anchor, result);
    } else {
      result = { kind: 'scalar', value: null, start, end };
    }
    return result;
  }

  private alias(anchor: string, start: number, end: number): TreeNode {
    this.aliasCount++;
    this.firstAlias ??= [start, end];
    const target = this.anchors.get(anchor);
    if (target === undefined) {
      this.problems.push({ kind: 'alias-unknown', start, end, anchor });
      return { kind: 'scalar', value: null, start, end };
    }
    if (this.inProgress.has(target)) {
      this.problems.push({ kind: 'alias-cycle', start, end, anchor });
      return { kind: 'scalar', value: null, start, end };
    }
    return target;
  }

  private register(anchor: string | undefined, node: TreeNode): void {
    // A later anchor with the same name replaces the earlier one for the aliases after it.
    if (anchor) this.anchors.set(anchor, node);
  }

  private addEntry(map: TreeMap, entry: TreeEntry): void {
    const previous = map.byKey.get(entry.key);
    if (previous) this.duplicates.push({ key: entry.key, ignored: previous, kept: entry });
    map.entries.push(entry);
    map.byKey.set(entry.key, entry);
  }

  /** `<<: *base` (or a list of them): keys the map does not set itself are taken from the merged maps. */
  private merge(map: TreeMap, merged: TreeNode): void {
    const sources = merged.kind === 'seq' ? merged.items : [merged];
    for (const source of sources) {
      if (source.kind !== 'map') continue;
      for (const [key, entry] of source.byKey) {
        if (!map.byKey.has(key)) {
          map.entries.push(entry);
          map.byKey.set(key, entry);
        }
      }
    }
  }
}

/**
 * A block collection ends where its last item's value ends. `yaml` also counts trailing comment lines
 * and line breaks in, by rules of its own; a rule's range should not include them, and the fast path
 * (fastTree.ts) computes ends this way too, so both paths give the same ranges.
 */
function endAtLastItem(collection: TreeMap | TreeSeq, flow: boolean | undefined, last: TreeNode | undefined): void {
  if (!flow && last) collection.end = last.end;
}

/** Node count with aliases expanded, or -1 once it passes the budget (without expanding further). */
function expandedSize(node: TreeNode, memo: Map<TreeNode, number>, budget: { left: number }): number {
  const known = memo.get(node);
  if (known !== undefined) {
    budget.left -= known;
    return budget.left < 0 ? -1 : known;
  }
  budget.left--;
  if (budget.left < 0) return -1;
  let size = 1;
  const children = node.kind === 'map' ? [...node.byKey.values()].map((e) => e.value) : node.kind === 'seq' ? node.items : [];
  for (const child of children) {
    const childSize = expandedSize(child, memo, budget);
    if (childSize < 0) return -1;
    size += childSize;
  }
  memo.set(node, size);
  return size;
}

/** The decoded value as plain JSON (what the apiserver's JSON decoder and our schema see). */
export function toJson(node: TreeNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') {
    const items = new Array<unknown>(node.items.length);
    for (let i = 0; i < items.length; i++) items[i] = toJson(node.items[i]!);
    return items;
  }
  const result: Record<string, unknown> = {};
  node.byKey.forEach((entry, key) => {
    result[key] = toJson(entry.value);
  });
  return result;
}

/** Follows a JSON pointer's segments (already split and unescaped) to a node and, for map keys, its entry. */
export function nodeAt(root: TreeNode, segments: readonly string[]): { node: TreeNode; entry?: TreeEntry } | undefined {
  let node: TreeNode = root;
  let entry: TreeEntry | undefined;
  for (const segment of segments) {
    if (node.kind === 'map') {
      entry = node.byKey.get(segment);
      if (!entry) return undefined;
      node = entry.value;
    } else if (node.kind === 'seq') {
      const item: TreeNode | undefined = node.items[Number(segment)];
      if (!item) return undefined;
      node = item;
      entry = undefined;
    } else {
      return undefined;
    }
  }
  return entry ? { node, entry } : { node };
}
