import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogSessions } from '../../../server/src/auditlog/logSessions';
import { redactEvent } from '../../../server/src/auditlog/redact';
import { FIXTURES } from '../helpers';

const SECRETS_LOG = join(FIXTURES, 'workspace', 'secrets.audit.log');

describe('log sessions (what the viewer asks the server)', () => {
  it('opens a log, reports skipped lines with numbers, and pages rows', async () => {
    const sessions = new LogSessions();
    const opened = await sessions.open(SECRETS_LOG);
    assert.equal(opened.rowCount, 3);
    assert.equal(opened.complete, true);
    assert.equal(opened.skipped.length, 1);
    assert.equal(opened.skipped[0]!.line, 3);
    assert.match(opened.skipped[0]!.reason, /not JSON/);
    const page = sessions.rows(opened.sessionId, 1, 10);
    assert.equal(page.start, 1);
    assert.deepEqual(
      page.rows.map((r) => [r.line, r.user, r.verb, r.resource, r.code]),
      [
        [2, 'bob@example.com', 'get', 'secrets', 200],
        [4, 'system:kube-apiserver', 'create', 'tokenreviews', 201],
      ],
    );
    sessions.close(opened.sessionId);
    assert.throws(() => sessions.rows(opened.sessionId, 0, 1), /not open/);
  });

  it('re-reads a whole event by its byte offset, redacted unless revealed', async () => {
    const sessions = new LogSessions();
    const { sessionId } = await sessions.open(SECRETS_LOG);
    const redacted = await sessions.event(sessionId, 0, false);
    assert.equal(redacted.line, 1);
    assert.equal(redacted.redactions, 2);
    assert.ok(!redacted.json.includes('hunter2-do-not-log'));
    assert.match(redacted.json, /"password": "‹redacted 18 chars›"/);
    const revealed = await sessions.event(sessionId, 0, true);
    assert.match(revealed.json, /hunter2-do-not-log/);
    const token = await sessions.event(sessionId, 2, false);
    assert.equal(token.line, 4);
    assert.ok(!token.json.includes('eyJhbGciOiJSUzI1NiJ9'));
  });

  it('keeps byte offsets right after multi-byte characters, CRLF and a BOM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-audit-offsets-'));
    const file = join(dir, 'audit.log');
    const event = (user: string) => JSON.stringify({ kind: 'Event', verb: 'get', user: { username: user }, stage: 'ResponseComplete' });
    writeFileSync(file, `\uFEFF${event('zoë ✓')}\r\n${event('名前')}\r\n${event('last')}`);
    const sessions = new LogSessions();
    const { sessionId, rowCount } = await sessions.open(file);
    assert.equal(rowCount, 3);
    for (const [index, user] of [
      [0, 'zoë ✓'],
      [1, '名前'],
      [2, 'last'],
    ] as const) {
      const event = await sessions.event(sessionId, index, false);
      assert.equal(JSON.parse(event.json).user.username, user);
    }
  });
});

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
