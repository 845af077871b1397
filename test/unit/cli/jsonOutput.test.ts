import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { writeJson } from '../../../server/src/cli/jsonOutput';
import { LazyList } from '../../../server/src/lazyList';

async function written(value: unknown): Promise<{ text: string; pieces: number }> {
  const pieces: string[] = [];
  await writeJson(value, { write: (text: string) => pieces.push(text) });
  return { text: pieces.join(''), pieces: pieces.length };
}

/** Values with arrays big enough to be written element by element, at any depth, with keys JSON.stringify orders or leaves out. */
const bigArray = fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 65, maxLength: 200 });
const tree = fc.letrec((tie) => ({
  node: fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 2, arbitrary: bigArray },
    { weight: 2, arbitrary: fc.array(tie('node'), { maxLength: 70 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('1', '10', '2', '__proto__x', 'a\nb')), fc.oneof(tie('node'), fc.constant(undefined)), { maxKeys: 5 }) },
  ),
})).node;

describe('writeJson: the bytes of JSON.stringify(value, null, 2) and a line break, in pieces', () => {
  it('on generated values (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tree, async (value) => {
        assert.equal((await written(value)).text, `${JSON.stringify(value, null, 2)}\n`);
      }),
      { numRuns: 300 },
    );
  });

  it('writes a big report in pieces, with what JSON.stringify leaves out or turns into null', async () => {
    const report = {
      count: 2,
      skip: undefined,
      fn: () => 1,
      detections: Array.from({ length: 5000 }, (_, i) => ({ line: i, text: `a "quoted"\n line ${i}`, when: new Date(i), none: undefined, list: i === 300 ? Array.from({ length: 100 }, (_, k) => ({ k })) : [undefined, NaN, i] })),
    };
    const { text, pieces } = await written(report);
    assert.equal(text, `${JSON.stringify(report, null, 2)}\n`);
    assert.ok(pieces > 5, `written in ${pieces} pieces`);
  });

  it('writes a LazyList as the array of its items, made a slice at a time', async () => {
    let made = 0;
    const list = new LazyList(1000, (i) => {
      made++;
      return { i, name: `item ${i}` };
    });
    const log = { runs: [{ tool: 'x', results: list, empty: new LazyList(0, () => 1), few: new LazyList(3, (i) => i) }] };
    const expected = `${JSON.stringify(log, null, 2)}\n`;
    made = 0;
    assert.equal((await written(log)).text, expected);
    assert.equal(made, 1000, 'each item made once');
  });
});
