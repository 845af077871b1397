import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuery } from '../../../../server/src/auditlog/query';
import { addFilter, setTimeRange } from '../../../../server/src/auditlog/query/editQuery';
import { compilePattern } from '../../../../server/src/auditlog/query/pattern';

describe('editing a query for the viewer (facet clicks, time brushes)', () => {
  it('adds a facet value as a term, quoting what needs it, or excludes it', () => {
    assert.equal(addFilter('', 'verb', 'get', false), 'verb:get');
    assert.equal(addFilter('  verb:get ', 'user', 'system:kube-proxy', false), 'verb:get user:"system:kube-proxy"');
    assert.equal(addFilter('verb:get', 'userAgent', 'kubectl/v1.33 (linux/amd64)', true), 'verb:get -userAgent:"kubectl/v1.33 (linux/amd64)"');
    assert.equal(addFilter('', 'namespace', '', false), 'namespace:""');
    // What it writes means the value itself: quotes, stars and backslashes in it are literal.
    for (const value of ['a"b*c', 'x y*', 'back\\slash', '(paren)', 'plain']) {
      const node = parseQuery(addFilter('', 'user', value, false));
      assert.ok(node.kind === 'match' && node.values.length === 1, JSON.stringify(node));
      const test = compilePattern(node.values[0]!);
      assert.ok(test(value), value);
      assert.ok(!test(`${value}x`) && !test(`x${value}`), value);
    }
  });

  it('replaces the time range: earlier after: and before: terms go, negated ones too, the rest stays as written', () => {
    const after = '2026-02-22T10:00:00.000Z';
    const before = '2026-02-22T11:00:00.000Z';
    assert.equal(setTimeRange('', after, before), `after:${after} before:${before}`);
    assert.equal(setTimeRange('verb:get after:2026-01-01 user:"a b"   -before:2026-03-01 code>=400', after, before), `verb:get user:"a b" code>=400 after:${after} before:${before}`);
    assert.equal(setTimeRange(`after:2026-01-01 before:2026-01-02`, after, before), `after:${after} before:${before}`);
    // last: is a different question (relative to now): kept.
    assert.equal(setTimeRange('last:1h', after, before), `last:1h after:${after} before:${before}`);
    // A field whose name merely contains the word, or a value that looks like a term, is not a time term.
    assert.equal(setTimeRange('user:"after:x" afterwards:1', after, before), `user:"after:x" afterwards:1 after:${after} before:${before}`);
    for (const query of ['verb:get', '(verb:get OR verb:list) after:2026-01-01']) assert.doesNotThrow(() => parseQuery(setTimeRange(query, after, before)), query);
  });

  it('keeps a text the lexer cannot read as it is (its error is shown when it runs)', () => {
    const after = '2026-02-22T10:00:00.000Z';
    const before = '2026-02-22T11:00:00.000Z';
    assert.equal(setTimeRange('user:"open after:2026-01-01', after, before), `user:"open after:2026-01-01 after:${after} before:${before}`);
  });
});
