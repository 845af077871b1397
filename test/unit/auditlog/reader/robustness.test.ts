import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileDetectors, detectRequest } from '../../../../server/src/auditlog/detectors';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { compileQuery, parseQuery } from '../../../../server/src/auditlog/query';
import { AuditStreamParser } from '../../../../server/src/auditlog/reader/auditStreamParser';
import { groupRequests } from '../../../../server/src/auditlog/requests';
import { FIXTURES } from '../../helpers';

/** Small seeded PRNG so a failure replays exactly. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const SOURCES = ['scan-sample.jsonl', 'formats/v1.jsonl', 'formats/eventlist-pretty.json', 'formats/legacy-1.8.log', 'formats/gke.json', 'formats/aks.jsonl'].map((name) =>
  readFileSync(join(FIXTURES, 'logs', name)),
);

/** Cuts, duplicates, flips and splices bytes: the kinds of damage real files get. */
function damage(bytes: Buffer, next: () => number): Buffer {
  const copy = Buffer.from(bytes);
  const operations = 1 + Math.floor(next() * 6);
  let out = copy;
  for (let i = 0; i < operations; i++) {
    const at = Math.floor(next() * out.length);
    const roll = next();
    if (roll < 0.3) out = out.subarray(0, at);
    else if (roll < 0.6) out[at] = Math.floor(next() * 256);
    else if (roll < 0.8) out = Buffer.concat([out.subarray(0, at), Buffer.from([0x0a, 0x7b, 0x22, 0xff, 0x5b]), out.subarray(at)]);
    else out = Buffer.concat([out.subarray(0, at), out.subarray(Math.floor(next() * out.length))]);
  }
  return out;
}

describe('robustness', () => {
  it('never throws on damaged input, whatever the chunking, and accounts for every line', () => {
    const detectors = compileDetectors({ includeDisabled: true });
    const query = compileQuery(parseQuery('requestObject.spec.containers[].image:* OR command:*sh* OR user:system:*'));
    const next = random(20260222);
    for (let round = 0; round < 300; round++) {
      const input = damage(SOURCES[round % SOURCES.length]!, next);
      const events: NormalizedEvent[] = [];
      const parser = new AuditStreamParser((e) => events.push(e), { maxRecordBytes: 4096 });
      let i = 0;
      while (i < input.length) {
        const size = 1 + Math.floor(next() * 300);
        parser.push(input.subarray(i, i + size));
        i += size;
      }
      const summary = parser.end();
      assert.equal(summary.events, events.length);
      for (const request of groupRequests(events)) {
        detectRequest(request, detectors);
        query(request.primary);
      }
      if (summary.framing === 'lines') {
        // Every line with content became at least one event or one skipped record (legacy pre-1.8
        // response lines and multi-event arrays are why this is "at least").
        const lines = input.toString('utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('@timestamp,')).length;
        const eventLines = new Set(events.map((e) => e.line)).size;
        const skippedLines = new Set(summary.skipped.map((s) => s.line)).size;
        assert.ok(eventLines + skippedLines >= lines - countControlRecords(input), `round ${round}: ${eventLines} + ${skippedLines} < ${lines}`);
      }
    }
  });
});

/** CloudWatch control messages are neither events nor damage. */
function countControlRecords(input: Buffer): number {
  return input.toString('utf8').split('\n').filter((line) => line.includes('"CONTROL_MESSAGE"')).length;
}
