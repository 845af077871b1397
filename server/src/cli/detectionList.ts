// A scan report's detections: runs of entries as JSON text (detectionText.ts) put in file and line
// order, written to the JSON report as bytes, and made objects only for the text and SARIF reports.
import type { Detection } from './findingCollector';
import { ITEM_INDENT, type DetectionRun } from './detectionText';
import { PrerenderedArray } from './jsonOutput';

/** Bytes of the output pieces the list is written in. */
const CHUNK_BYTES = 256 * 1024;

export class DetectionList extends PrerenderedArray<Detection> {
  readonly length: number;
  readonly itemIndent = ITEM_INDENT;
  /** Listed findings per detector id, in the order of each id's first finding in the list. */
  readonly summary: Record<string, number> = {};
  /** Entry k of the list is entry `orderAt[k]` of run `orderRun[k]`; null: the runs' own order. */
  private readonly orderRun: Uint32Array | null = null;
  private readonly orderAt: Uint32Array | null = null;

  /** `runs` in the order their entries were found: sorted by file and line, the order found within a line. */
  constructor(private readonly runs: readonly DetectionRun[]) {
    super();
    this.length = runs.reduce((sum, run) => sum + run.lines.length, 0);
    if (!inFileOrder(runs)) {
      // Requests complete out of line order only at the ends of parts and of the read (and window
      // findings come last): sorted by the index of each entry as the stable tie-break.
      const runOf = new Uint32Array(this.length);
      const atOf = new Uint32Array(this.length);
      const files = new Float64Array(this.length);
      const lines = new Float64Array(this.length);
      let g = 0;
      runs.forEach((run, r) => {
        for (let i = 0; i < run.lines.length; i++, g++) {
          runOf[g] = r;
          atOf[g] = i;
          files[g] = run.files[i]!;
          lines[g] = run.lines[i]! + run.lineBase;
        }
      });
      const order = Array.from({ length: this.length }, (_, k) => k).sort((a, b) => files[a]! - files[b]! || lines[a]! - lines[b]! || a - b);
      this.orderRun = new Uint32Array(this.length);
      this.orderAt = new Uint32Array(this.length);
      order.forEach((k, at) => {
        this.orderRun![at] = runOf[k]!;
        this.orderAt![at] = atOf[k]!;
      });
    }
    for (const [run, i] of this.entries()) {
      const id = run.ids[run.detectors[i]!]!;
      this.summary[id] = (this.summary[id] ?? 0) + 1;
    }
  }

  *chunks(): Generator<Uint8Array> {
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    let first = true;
    for (const [run, i] of this.entries()) {
      const start = run.starts[i]! + (first ? 1 : 0); // the first item has no comma before it
      const end = run.starts[i + 1]!;
      first = false;
      // Room for the entry and a line number a few digits longer (its part's line base added).
      const room = end - start + 16;
      if (used + room > chunk.length) {
        if (used > 0) yield chunk.subarray(0, used);
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, room));
        used = 0;
      }
      if (run.lineBase === 0) {
        chunk.set(run.bytes.subarray(start, end), used);
        used += end - start;
        continue;
      }
      const relative = run.lines[i]!;
      const lineAt = run.starts[i]! + run.lineAts[i]!;
      chunk.set(run.bytes.subarray(start, lineAt), used);
      used += lineAt - start;
      used += chunk.write(String(relative + run.lineBase), used, 'latin1');
      const after = lineAt + String(relative).length;
      chunk.set(run.bytes.subarray(after, end), used);
      used += end - after;
    }
    if (used > 0) yield chunk.subarray(0, used);
  }

  /** The entries as objects (JSON.parse of their text: the values and key order the text was made of). */
  objects(): Detection[] {
    const detections: Detection[] = [];
    for (const [run, i] of this.entries()) {
      const text = Buffer.from(run.bytes.buffer, run.bytes.byteOffset + run.starts[i]!, run.starts[i + 1]! - run.starts[i]!).toString('utf8');
      const detection = JSON.parse(text.slice(text.indexOf('{'))) as Detection;
      detection.line = run.lines[i]! + run.lineBase;
      detections.push(detection);
    }
    return detections;
  }

  toJSON(): Detection[] {
    return this.objects();
  }

  /** [run, index in the run] of each entry, in list order. */
  private *entries(): Generator<[DetectionRun, number]> {
    if (this.orderRun && this.orderAt) {
      for (let k = 0; k < this.length; k++) yield [this.runs[this.orderRun[k]!]!, this.orderAt[k]!];
      return;
    }
    for (const run of this.runs) for (let i = 0; i < run.lines.length; i++) yield [run, i];
  }
}

/** Whether the runs' entries, in turn, are already in file and line order. */
function inFileOrder(runs: readonly DetectionRun[]): boolean {
  let file = -1;
  let line = -Infinity;
  for (const run of runs) {
    for (let i = 0; i < run.lines.length; i++) {
      const f = run.files[i]!;
      const l = run.lines[i]! + run.lineBase;
      if (f < file || (f === file && l < line)) return false;
      file = f;
      line = l;
    }
  }
  return true;
}
