import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fastDecodeTree } from '../../../../server/src/policy/yaml/fastTree';
import { parseYaml } from '../../../../server/src/policy/yaml/parse';
import { decodeTree, type DecodedTree, type TreeNode } from '../../../../server/src/policy/yaml/tree';
import { FIXTURES, SHARED } from '../../helpers';

/** The tree as plain data: every key, value and offset, so that two trees compare with deepEqual. */
function plain(node: TreeNode | undefined): unknown {
  if (!node) return undefined;
  if (node.kind === 'scalar') return { scalar: node.value, at: [node.start, node.end] };
  if (node.kind === 'seq') return { seq: node.items.map(plain), at: [node.start, node.end] };
  return { map: node.entries.map((e) => [e.key, e.keyStart, e.keyEnd, plain(e.value)]), at: [node.start, node.end] };
}

function plainTree(tree: DecodedTree): unknown {
  return {
    root: plain(tree.root),
    duplicates: tree.duplicates.map((d) => [d.key, d.ignored.keyStart, d.kept.keyStart]),
    problems: tree.problems,
  };
}

function slowTree(text: string): DecodedTree | undefined {
  const first = parseYaml(text).documents[0];
  return first ? decodeTree(first) : undefined;
}

/** The fast path either declines or agrees with `yaml` exactly. Returns whether it took the text. */
function assertAgrees(text: string): boolean {
  const fast = fastDecodeTree(text);
  if (!fast) return false;
  const slow = slowTree(text);
  assert.ok(slow, `fast path accepted text that yaml finds empty:\n${text}`);
  assert.equal(parseYaml(text).documents.flatMap((d) => d.errors).length, 0, `fast path accepted text with YAML errors:\n${text}`);
  assert.deepEqual(plainTree(fast), plainTree(slow), `trees differ for:\n${JSON.stringify(text)}`);
  return true;
}

/** Seeded PRNG so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values and keys of the policy subset, and (rarely picked) ones the fast path must decline or get right. */
const SCALARS = ['None', 'Metadata', '""', "''", '"a b"', "'it''s'", 'get', 'on', 'yes', '123', '0x1F', '1.5', 'null', '~', 'system:nodes', '/healthz*', '"*"', '"tab\\tin"', 'a #b', 'a:b', 'kube-system'];
const EXOTIC_SCALARS = ['"\\u00e9"', 'x: y', '-1', '&a x', '*a', '!!str 1', '|', '"unterminated', '[nested, [x]]', '{a: 1}'];
const KEYS = ['level', 'users', 'verbs', 'resources', 'group', 'omitStages', '"quoted"', "'single'", 'on', 'a b'];
const EXOTIC_KEYS = ['<<', 'key ', '-x', '?x', '"k":x', '[k]'];

function randomPolicyLike(random: () => number): string {
  const pickFrom = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const pick = (list: readonly string[]): string =>
    pickFrom(random() < 0.02 ? (list === KEYS ? EXOTIC_KEYS : EXOTIC_SCALARS) : list);
  const lines: string[] = [];
  if (random() < 0.2) lines.push(random() < 0.8 ? '---' : '--- # doc');
  const emitMap = (indent: number, depth: number, compact: string | undefined) => {
    const count = 1 + Math.floor(random() * 3);
    for (let i = 0; i < count; i++) {
      const prefix = i === 0 && compact !== undefined ? compact : ' '.repeat(indent);
      const key = pick(KEYS);
      const roll = random();
      if (depth < 4 && roll < 0.3) {
        lines.push(`${prefix}${key}:${random() < 0.2 ? '  # c' : ''}`);
        emitSeq(random() < 0.5 ? indent : indent + 2, depth + 1);
      } else if (depth < 4 && roll < 0.45) {
        lines.push(`${prefix}${key}:`);
        emitMap(indent + 2, depth + 1, undefined);
      } else if (roll < 0.6) {
        const items = Array.from({ length: Math.floor(random() * 4) }, () => pick(SCALARS));
        lines.push(`${prefix}${key}: [${items.join(random() < 0.5 ? ', ' : ',')}]${random() < 0.2 ? '   ' : ''}`);
      } else if (roll < 0.65) {
        lines.push(`${prefix}${key}: {}`);
      } else if (roll < 0.7) {
        lines.push(`${prefix}${key}:`);
      } else {
        lines.push(`${prefix}${key}: ${pick(SCALARS)}${random() < 0.15 ? ' # note' : random() < 0.1 ? '  ' : ''}`);
      }
      if (random() < 0.1) lines.push(random() < 0.5 ? '' : `${' '.repeat(indent)}# comment`);
      if (random() < 0.02) lines.push(`${' '.repeat(indent + 1)}odd: indent`);
    }
  };
  const emitSeq = (indent: number, depth: number) => {
    const count = Math.floor(random() * 3) + 1;
    for (let i = 0; i < count; i++) {
      const roll = random();
      const dash = `${' '.repeat(indent)}- `;
      if (depth < 4 && roll < 0.5) emitMap(indent + 2, depth + 1, dash);
      else if (roll < 0.6) lines.push(`${' '.repeat(indent)}-`);
      else lines.push(`${dash}${pick(SCALARS)}`);
    }
  };
  emitMap(0, 0, undefined);
  const text = lines.join(random() < 0.15 ? '\r\n' : '\n');
  return random() < 0.8 ? `${text}\n` : text;
}

describe('fast policy tree (differential against yaml + decodeTree)', () => {
  it('agrees with yaml on hand-written edge cases, or declines them', () => {
    const accepted = [
      'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n',
      'rules:\n- level: None   # trailing\n  users: ["a", \'b\' , c]   \n  resources:\n  - group: ""\n\n    resources: []\n- level: Metadata\n  x:\n  y: {}\n-\n- z\nomit:\n- a\n# end\n',
      '---\nrules:\n  - level: Metadata\n    verbs: [get, on]\n',
      'a: 1\na: 2\nb:\n',
      'a:\r\n  - x\r\n  - y\r\n',
      'rules:\n  - level: Metadata\n    x:   # c\n',
      'k: v',
    ];
    for (const text of accepted) assert.ok(assertAgrees(text), `fast path declined:\n${text}`);
    const declined = ['a: &x 1\nb: *x\n', 'a: |\n  text\n', 'a: b\n---\nc: d\n', 'a:\n\tb: 1\n', 'plain scalar\n', 'a: one\n  two\n', '\uFEFFa: 1\n', ''];
    for (const text of declined) assert.equal(fastDecodeTree(text), undefined, `fast path took:\n${text}`);
  });

  it('agrees with yaml on 3,000 random policy-like documents', () => {
    const random = prng(20261124);
    let taken = 0;
    for (let i = 0; i < 3000; i++) if (assertAgrees(randomPolicyLike(random))) taken++;
    // The generator mostly writes the policy subset: most documents must take the fast path.
    assert.ok(taken > 1500, `fast path took only ${taken} of 3000`);
  });

  it('takes the fast path for our fixtures and agrees on them', () => {
    for (const file of ['audit-policy.yaml', 'broken-policy.yaml']) {
      assert.ok(assertAgrees(readFileSync(join(FIXTURES, 'workspace', file), 'utf8')), file);
    }
  });

  it('agrees on the public policies in ../shared/corpus/policies', (t) => {
    const folder = join(SHARED, 'corpus', 'policies');
    if (!existsSync(folder)) return t.skip(`${folder} is absent`);
    for (const file of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f))) assertAgrees(readFileSync(join(folder, file), 'utf8'));
  });
});
