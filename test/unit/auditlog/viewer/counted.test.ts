import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counted } from '../../../../server/src/protocol/wording';

describe('counts as the viewer prints them', () => {
  it('puts the noun in the number the count needs, with thousands separators', () => {
    assert.equal(counted(1, 'line'), '1 line');
    assert.equal(counted(0, 'line'), '0 lines');
    assert.equal(counted(2, 'line'), '2 lines');
    assert.equal(counted(1234567, 'request'), '1,234,567 requests');
    assert.equal(counted(1, 'secret value'), '1 secret value');
    assert.equal(counted(3, 'match', 'matches'), '3 matches');
  });
});
