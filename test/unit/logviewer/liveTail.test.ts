import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogSessions } from '../../../server/src/auditlog/logSessions';
import type { LogChangedParams } from '../../../server/src/protocol/logSession';

const event = (user: string) => `${JSON.stringify({ kind: 'Event', verb: 'get', stage: 'ResponseComplete', user: { username: user } })}\n`;

/** Resolves with the next change notification that satisfies `accept` (or fails after 5 s). */
function nextChange(changes: LogChangedParams[], waiters: (() => void)[], accept: (change: LogChangedParams) => boolean): Promise<LogChangedParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching change; saw ${JSON.stringify(changes)}`)), 5000);
    const check = () => {
      const found = changes.find(accept);
      if (!found) return false;
      clearTimeout(timer);
      resolve(found);
      return true;
    };
    if (!check()) waiters.push(() => void check());
  });
}

function follow() {
  const changes: LogChangedParams[] = [];
  const waiters: (() => void)[] = [];
  const sessions = new LogSessions((change) => {
    changes.push(change);
    for (const waiter of waiters) waiter();
  }, 20);
  return { sessions, changes, until: (accept: (change: LogChangedParams) => boolean) => nextChange(changes, waiters, accept) };
}

describe('live tail of an open log', () => {
  it('adds appended lines as rows, and holds back a last line still being written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'k8s-audit-tail-')), 'audit.log');
    writeFileSync(file, event('a') + event('b'));
    const { sessions, until } = follow();
    const opened = await sessions.open(file);
    try {
      assert.equal(opened.rowCount, 2);
      const line = event('c');
      appendFileSync(file, line.slice(0, 20));
      const partial = await until((c) => c.pendingLine === 3);
      assert.equal(partial.rowCount, 2);
      assert.deepEqual(partial.skipped, []);
      appendFileSync(file, line.slice(20) + event('d'));
      const grown = await until((c) => c.rowCount === 4);
      assert.equal(grown.reset, false);
      assert.equal(grown.pendingLine, undefined);
      assert.deepEqual(sessions.rows(opened.sessionId, 0, 10).rows.map((r) => [r.line, r.user]), [
        [1, 'a'],
        [2, 'b'],
        [3, 'c'],
        [4, 'd'],
      ]);
      const whole = await sessions.event(opened.sessionId, 3, false);
      assert.equal(JSON.parse(whole.json).user.username, 'd');
    } finally {
      sessions.close(opened.sessionId);
    }
  });

  it('starts over when the file is rotated or truncated', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'k8s-audit-rotate-'));
    const file = join(dir, 'audit.log');
    writeFileSync(file, event('old-1') + event('old-2') + event('old-3'));
    const { sessions, until } = follow();
    const opened = await sessions.open(file);
    try {
      renameSync(file, join(dir, 'audit-2026-02-22.log'));
      writeFileSync(file, event('new-1'));
      const rotated = await until((c) => c.reset && c.rowCount === 1);
      assert.equal(rotated.complete, true);
      assert.equal(sessions.rows(opened.sessionId, 0, 10).rows[0]!.user, 'new-1');
      // Truncated in place (same file, now shorter than what was read): start over too.
      writeFileSync(file, event('t'));
      await until((c) => c.reset && sessions.rows(opened.sessionId, 0, 1).rows[0]?.user === 't');
    } finally {
      sessions.close(opened.sessionId);
    }
  });
});
