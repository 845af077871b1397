// A scan part's batch (cli/scanBatch.ts): its run of entry text goes to the part's temporary file, or
// travels in the batch when there is none or a write to it fails (a full disk): the owning thread
// reads the same bytes either way.
import * as assert from 'node:assert/strict';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { DetectorDefinition } from '../../../server/src/auditlog/detectors';
import { DetectionTextWriter, type DetectionRun, type EntryFields } from '../../../server/src/cli/detectionText';
import { readScanBatch, ScanBatchWriter } from '../../../server/src/cli/scanBatch';
import { SpillAppender, SpillFile } from '../../../server/src/cli/spillFile';
import { testTempDir } from '../../harness/tempDir';

const tmp = testTempDir('k8s-audit-scan-batch-');
const detector = { id: 'rbac-change', title: 'RBAC object changed', severity: 'low', references: ['sigma:x'] } as unknown as DetectorDefinition;

function someRun(): DetectionRun {
  const writer = new DetectionTextWriter();
  for (let line = 1; line <= 50; line++) {
    const fields: EntryFields = { line, auditID: `id-${line}`, user: 'alice', verb: 'create', resource: 'roles', namespace: 'ns', name: `r${line}`, command: '', owner: '', file: 0 };
    writer.add(detector, fields, 'audit.log');
  }
  return writer.take();
}

/** The text of a run as this thread reads it. */
function textOf(run: DetectionRun): string {
  return Buffer.from(run.stored ? run.stored() : run.bytes).toString('utf8');
}

describe('scan batches', () => {
  it('a run written to the temporary file is read back the same', () => {
    const spill = new SpillFile();
    try {
      const run = someRun();
      const expected = Buffer.from(run.bytes).toString('utf8');
      const batch = new ScanBatchWriter(new SpillAppender(spill.fd));
      const first = readScanBatch(batch.take(run), 0, spill).run;
      const second = readScanBatch(batch.take(someRun()), 7, spill).run;
      assert.equal(first.bytes.length, 0, 'the text is not in the batch');
      assert.equal(textOf(first), expected);
      assert.equal(textOf(second), expected, 'a later run where it was appended');
      assert.equal(second.lineBase, 7);
      assert.deepEqual([...second.lines], [...run.lines]);
    } finally {
      spill.close();
    }
  });

  it('a run whose write fails travels in its batch, and so do the next', () => {
    const file = join(tmp, 'read-only');
    writeFileSync(file, '');
    const readOnly = openSync(file, 'r');
    try {
      const batch = new ScanBatchWriter(new SpillAppender(readOnly));
      for (let i = 0; i < 2; i++) {
        const run = someRun();
        const expected = Buffer.from(run.bytes).toString('utf8');
        const read = readScanBatch(batch.take(run), 0, null).run;
        assert.equal(read.stored, undefined);
        assert.equal(textOf(read), expected);
      }
    } finally {
      closeSync(readOnly);
    }
  });
});
