// `query` and `scan` write no faster than their output is read: with stdout full (a slow reader of a
// pipe), query stops reading the log and scan stops writing its report until the output drains.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Output } from '../../../server/src/cli/jsonOutput';
import { runQuery } from '../../../server/src/cli/query';
import { runScan } from '../../../server/src/cli/scan';
import { testTempDir } from '../../harness/tempDir';
import { generateLog } from '../auditlog/index/helpers';

/** An output that is full after every write and drains on the next turn of the event loop. */
function slowOutput(): Output & { text: () => string; waits: number; mostWaiting: number } {
  const pieces: string[] = [];
  let waits = 0;
  let waiting = 0;
  let mostWaiting = 0;
  return {
    write: (text: string) => pieces.push(text),
    writableNeedDrain: true,
    once: (_event: 'drain', listener: () => void) => {
      waits++;
      mostWaiting = Math.max(mostWaiting, ++waiting);
      setImmediate(() => {
        waiting--;
        listener();
      });
    },
    text: () => pieces.join(''),
    get waits() {
      return waits;
    },
    get mostWaiting() {
      return mostWaiting;
    },
  };
}

function fastOutput(): Output & { text: () => string } {
  const pieces: string[] = [];
  return { write: (text: string) => pieces.push(text), text: () => pieces.join('') };
}

const quiet = { write: () => true, isTTY: false };

describe('query and scan wait for a full output', () => {
  const tmp = testTempDir('k8s-audit-backpressure-');
  const log = join(tmp, 'audit.log');
  generateLog(log, 4000, 3);

  it('query: reading waits for the output after each chunk; the same answer', async () => {
    const slow = slowOutput();
    const fast = fastOutput();
    assert.equal(await runQuery([log, ''], slow, quiet), 0);
    assert.equal(await runQuery([log, ''], fast, quiet), 0);
    assert.equal(slow.text(), fast.text());
    assert.ok(slow.waits >= 2, `waited ${slow.waits} times`);
  });

  it('query of a file read in two parts (splitRead): the parts\' lines are written one batch at a time, each after the output drained; the same answer', async () => {
    const slow = slowOutput();
    const fast = fastOutput();
    process.env.K8S_AUDIT_SPLIT_MIN_BYTES = '1';
    try {
      assert.equal(await runQuery([log, ''], slow, quiet), 0);
    } finally {
      delete process.env.K8S_AUDIT_SPLIT_MIN_BYTES;
    }
    assert.equal(await runQuery([log, ''], fast, quiet), 0);
    assert.equal(slow.text(), fast.text());
    assert.ok(slow.waits >= 2, `waited ${slow.waits} times`);
    assert.equal(slow.mostWaiting, 1, 'one drain listener at a time');
  });

  it('scan --format json: the report is written in pieces, each after the output drained', async () => {
    const slow = slowOutput();
    const fast = fastOutput();
    await runScan([log, '--format', 'json', '--min-severity', 'info'], slow, quiet);
    await runScan([log, '--format', 'json', '--min-severity', 'info'], fast, quiet);
    assert.equal(slow.text(), fast.text());
    assert.ok(slow.waits >= 2, `waited ${slow.waits} times`);
  });
});
