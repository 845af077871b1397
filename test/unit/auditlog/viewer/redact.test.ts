import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactEvent } from '../../../../server/src/auditlog/redact';

describe('redaction of secret values', () => {
  it('hides Secret data values but keeps their keys, and the last-applied annotation', () => {
    const { value, redactions } = redactEvent({
      responseObject: {
        kind: 'Secret',
        metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"k":"djE="}}' } },
        data: { k: 'djE=', other: 'djI=' },
      },
    });
    const secret = (value as { responseObject: { data: Record<string, string>; metadata: { annotations: Record<string, string> } } }).responseObject;
    assert.deepEqual(Object.keys(secret.data), ['k', 'other']);
    assert.ok(Object.values(secret.data).every((v) => v.startsWith('‹redacted')));
    assert.match(secret.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']!, /^‹redacted/);
    assert.deepEqual(redactions.map((r) => r.path).sort(), [
      'responseObject.data.k',
      'responseObject.data.other',
      'responseObject.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]',
    ]);
  });

  it('hides TokenRequest tokens and credential-named fields, and leaves ordinary data alone', () => {
    const input = {
      responseObject: { kind: 'TokenRequest', status: { token: 'abc.def.ghi', expirationTimestamp: '2026-01-01T00:00:00Z' } },
      requestObject: { kind: 'ConfigMap', data: { password: 'p4ss', color: 'blue' } },
      user: { username: 'alice' },
    };
    const { value, redactions } = redactEvent(input);
    const text = JSON.stringify(value);
    assert.ok(!text.includes('abc.def.ghi') && !text.includes('p4ss'));
    assert.ok(text.includes('blue') && text.includes('2026-01-01T00:00:00Z') && text.includes('alice'));
    assert.equal(redactions.length, 2);
    assert.deepEqual(redactEvent({ kind: 'Event', verb: 'get' }).redactions, []);
  });
});
