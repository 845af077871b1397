// The auditIDs a later part started, kept as bytes (splitRead/startedIds.ts): counting those of the
// requests left open before it must give what counting the strings gives, whatever the IDs look like.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { countStarts, StartedIds } from '../../../../server/src/auditlog/splitRead/startedIds';

/** IDs that share lengths and first bytes, non-ASCII ones, empty and long ones. */
const auditID = fc.oneof(fc.constantFrom('a', 'ab', 'abcd', 'abcde', 'abcdf', 'é', 'éa', '日本', '', 'x'.repeat(3000)), fc.string({ unit: 'binary', maxLength: 10 }), fc.uuid());

describe('countStarts', () => {
  it('counts the starts of the wanted auditIDs as a count of their strings does (property)', () => {
    fc.assert(
      fc.property(fc.array(auditID, { maxLength: 60 }), fc.array(auditID, { maxLength: 10 }), (started, wantedList) => {
        const ids = new StartedIds();
        for (const id of started) ids.add({ auditID: id } as NormalizedEvent);
        const wanted = new Set(wantedList);
        const expected = new Map<string, number>();
        // Strings with lone surrogates are kept as UTF-8 (U+FFFD): compare with what they read back as.
        const asKept = (id: string) => Buffer.from(id, 'utf8').toString('utf8');
        for (const id of started) if (wanted.has(asKept(id))) expected.set(asKept(id), (expected.get(asKept(id)) ?? 0) + 1);
        assert.deepEqual(countStarts(ids.encode(), wanted), expected);
      }),
      { numRuns: 300 },
    );
  });
});
