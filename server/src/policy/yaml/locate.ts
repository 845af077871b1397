import type { PolicyModel } from './model';
import type { TreeEntry, TreeNode } from './tree';

/** Tree lookups by offset and by path, shared by hover and code actions. */

export type Found =
  | { kind: 'key'; path: string[]; entry: TreeEntry }
  | { kind: 'value'; path: string[]; node: TreeNode }
  | { kind: 'item'; path: string[]; index: number; dash: number };

/** The key, scalar value or "-" of a list item under the offset, with its path ("[]" for items of lists). */
export function locate(text: string, node: TreeNode, offset: number, path: string[]): Found | undefined {
  if (node.kind === 'map') {
    for (const entry of node.entries) {
      if (offset >= entry.keyStart && offset <= entry.keyEnd && entry.keyEnd > entry.keyStart) return { kind: 'key', path: [...path, entry.key], entry };
      const value = entry.value;
      if (offset >= value.start && offset <= value.end && (value.end > value.start || value.kind !== 'scalar')) {
        const inner = locate(text, value, offset, [...path, entry.key]);
        if (inner) return inner;
      }
    }
    return undefined;
  }
  if (node.kind === 'seq') {
    for (let index = 0; index < node.items.length; index++) {
      const item = node.items[index]!;
      // The "-" of a block item sits just before it on the same line: "- level: ...".
      let dash = item.start - 1;
      while (dash >= 0 && (text[dash] === ' ' || text[dash] === '\t')) dash--;
      if (dash >= 0 && text[dash] === '-' && (offset === dash || offset === dash + 1) && (dash === 0 || /\s/.test(text[dash - 1]!))) {
        return { kind: 'item', path, index, dash };
      }
      if (offset >= item.start && offset <= item.end) {
        const inner = locate(text, item, offset, [...path, String(index)]);
        if (inner) return inner;
      }
    }
    return undefined;
  }
  return { kind: 'value', path, node };
}

export function nodeAtPath(model: PolicyModel, path: string[]): TreeNode | undefined {
  let node = model.decoded.root;
  for (const segment of path) {
    if (!node) return undefined;
    if (node.kind === 'map') node = node.byKey.get(segment)?.value;
    else if (node.kind === 'seq') node = node.items[Number(segment)];
    else return undefined;
  }
  return node;
}

