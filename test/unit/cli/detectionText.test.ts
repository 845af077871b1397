// Scan's report entries are rendered as JSON text where they are found (a part's worker) and copied
// to the report as bytes (cli/detectionText.ts, cli/detectionList.ts): the text must be what
// JSON.stringify writes for the entry objects, and the list what it writes for them in file and line order.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { DetectorDefinition } from '../../../server/src/auditlog/detectors';
import { DetectionList } from '../../../server/src/cli/detectionList';
import { detectionEntry, DetectionTextWriter, ITEM_SEPARATOR, type DetectionRun, type EntryFields } from '../../../server/src/cli/detectionText';
import { writeJson } from '../../../server/src/cli/jsonOutput';

/** Any text, including quotes, backslashes, control characters, non-ASCII and lone surrogates. */
const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', 'alice@example.com', 'café "quoted" \\ \n\t', '\ud800', '日本語'));

const detector = fc.record({
  id: fc.oneof(fc.constantFrom('rbac-change', 'forbidden-request'), text),
  title: text,
  severity: fc.constantFrom('info', 'low', 'medium', 'high', 'critical' as const),
  references: fc.array(text, { maxLength: 3 }),
}).map((d) => ({ ...d, group: 'custom', description: '', remediation: '', condition: '', needsLevel: 'Metadata' }) as unknown as DetectorDefinition);

const fields = (line: fc.Arbitrary<number>) =>
  fc.record({
    line,
    auditID: text,
    user: text,
    verb: text,
    resource: text,
    namespace: text,
    name: text,
    command: fc.oneof(fc.constant(''), text),
    owner: fc.oneof(fc.constant(''), text),
    policyRule: fc.oneof(fc.constant(undefined), fc.constant(null), fc.record({ index: fc.nat(30), line: fc.nat(500), level: fc.constantFrom('Metadata', 'Request') })),
    file: fc.nat(2),
  }) as fc.Arbitrary<EntryFields>;

/** What writeJson writes for the entry (JSON.stringify of the object), as an item of the report's detections. */
function expectedText(d: DetectorDefinition, f: EntryFields, fileName: string): string {
  const entry = { ...detectionEntry(d, f), file: fileName };
  return ITEM_SEPARATOR + JSON.stringify(entry, null, 2).replace(/\n/g, '\n    ');
}

function entryText(run: DetectionRun, i: number): string {
  return Buffer.from(run.bytes.subarray(run.starts[i]!, run.starts[i + 1]!)).toString('utf8');
}

/**
 * What writeJson writes. `consumed`: the output says each piece is written out when write returns (a
 * file), so the list reuses the memory of the pieces it gave: they are copied here as they come.
 */
async function written(value: unknown, consumed = false): Promise<string> {
  if (consumed) {
    const copies: string[] = [];
    await writeJson(value, { write: (piece: string | Uint8Array) => copies.push(typeof piece === 'string' ? piece : Buffer.from(piece).toString('utf8')), writableLength: 0 });
    return copies.join('');
  }
  // Otherwise the pieces are kept as given and read at the end: memory used again would show.
  const pieces: (string | Uint8Array)[] = [];
  await writeJson(value, { write: (piece: string | Uint8Array) => pieces.push(piece) });
  return pieces.map((piece) => (typeof piece === 'string' ? piece : Buffer.from(piece).toString('utf8'))).join('');
}

/** The run with its bytes moved out of memory (as a part's temporary file holds them), read into the memory given when big enough. */
function storedRun(run: DetectionRun): DetectionRun {
  const kept = Buffer.from(run.bytes);
  return {
    ...run,
    bytes: new Uint8Array(0),
    stored: (into) => {
      const bytes = into && into.buffer.byteLength - into.byteOffset >= kept.length ? new Uint8Array(into.buffer, into.byteOffset, kept.length) : new Uint8Array(kept.length);
      bytes.set(kept);
      return bytes;
    },
  };
}

describe('scan entries rendered as JSON text', () => {
  it('an entry is the text JSON.stringify writes for it, its line where lineAts says (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(detector, fields(fc.nat(10_000_000)), text), { minLength: 1, maxLength: 8 }), (entries) => {
        const writer = new DetectionTextWriter();
        for (const [d, f, fileName] of entries) writer.add(d, f, fileName);
        assert.equal(writer.count, entries.length);
        const run = writer.take();
        entries.forEach(([d, f, fileName], i) => {
          assert.equal(entryText(run, i), expectedText(d, f, fileName));
          const at = run.starts[i]! + run.lineAts[i]!;
          assert.equal(Buffer.from(run.bytes.subarray(at, at + String(f.line).length)).toString('latin1'), String(f.line));
          assert.equal(run.ids[run.detectors[i]!], d.id);
          assert.equal(run.lines[i], f.line);
          assert.equal(run.files[i], f.file);
        });
        assert.equal(writer.count, 0, 'a take starts a new run');
      }),
      { numRuns: 300 },
    );
  });

  it('a list of runs (lines of later parts moved by their line base, out of order) is written as JSON.stringify writes its entries sorted by file and line', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Lists of more than 64 entries are written as bytes (fewer: by JSON.stringify, through toJSON); both are checked.
        fc.array(fc.record({ lineBase: fc.oneof(fc.constant(0), fc.nat(2_000_000)), stored: fc.boolean(), entries: fc.array(fc.tuple(detector, fields(fc.nat(200)), text), { maxLength: 40, size: 'max' }) }), { maxLength: 5, size: 'max' }),
        async (runs) => {
          const made: DetectionRun[] = [];
          const expected: { file: number; line: number; object: Record<string, unknown> }[] = [];
          const names = ['a.log', 'b/ü.log', 'c "log"'];
          for (const { lineBase, stored, entries } of runs) {
            const writer = new DetectionTextWriter();
            for (const [d, f] of entries) {
              writer.add(d, f, names[f.file]!);
              expected.push({ file: f.file, line: f.line + lineBase, object: { ...detectionEntry(d, { ...f, line: f.line + lineBase }), file: names[f.file]! } });
            }
            const run = { ...writer.take(), lineBase };
            made.push(stored ? storedRun(run) : { ...run, bytes: run.bytes.slice() });
          }
          const ordered = expected
            .map((e, i) => ({ ...e, i }))
            .sort((a, b) => a.file - b.file || a.line - b.line || a.i - b.i)
            .map((e) => e.object);
          const list = new DetectionList(made);
          assert.equal(list.length, ordered.length);
          const report = { count: ordered.length, detections: list, after: 'end' };
          const expectedText = `${JSON.stringify({ count: ordered.length, detections: ordered, after: 'end' }, null, 2)}\n`;
          assert.equal(await written(report), expectedText);
          assert.equal(await written(report, true), expectedText, 'the same when the memory of written pieces is used again');
          assert.equal(JSON.stringify(report, null, 2), JSON.stringify({ count: ordered.length, detections: ordered, after: 'end' }, null, 2));
          const summary: Record<string, number> = {};
          for (const o of ordered) summary[o.detector as string] = (summary[o.detector as string] ?? 0) + 1;
          assert.deepEqual(Object.entries(list.summary), Object.entries(summary), 'counts per detector, in the order of their first entry');
        },
      ),
      { numRuns: 150 },
    );
  });
});
