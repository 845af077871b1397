// A scan report's detections: runs of entries as JSON text (detectionText.ts) put in file and line
// order, written to the JSON report as bytes, and made objects only for the text and SARIF reports.
import type { Detection } from './findingCollector';
import { ITEM_INDENT, type DetectionRun } from './detectionText';
import { PrerenderedArray } from './jsonOutput';

/** Bytes of the pieces entries are copied into when their line numbers change. */
const CHUNK_BYTES = 256 * 1024;

export class DetectionList extends PrerenderedArray<Detection> {
  readonly length: number;
  readonly itemIndent = ITEM_INDENT;
  /** Listed findings per detector id, in the order of each id's first finding in the list. */
  readonly summary: Record<string, number> = {};
  /** Entry k of the list is entry `orderAt[k]` of run `orderRun[k]`; null: the runs' own order. */
  private readonly orderRun: Uint32Array | null = null;
  private readonly orderAt: Uint32Array | null = null;
  /** The bytes of the run read last (a run kept on disk is read once while its entries are written in turn). */
  private loaded: { run: DetectionRun; bytes: Uint8Array } | null = null;

  /** `runs` in the order their entries were found: sorted by file and line, the order found within a line. */
  constructor(private readonly runs: readonly DetectionRun[]) {
    super();
    this.length = runs.reduce((sum, run) => sum + run.lines.length, 0);
    const inOrder = entriesInFileOrder(runs);
    if (inOrder < this.length) {
      // Requests complete out of line order only at the ends of parts and of the read, and window
      // findings come last: the entries after the first out of order are sorted (the index of each
      // entry breaks ties: the order found) and merged with those before it.
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
      const before = (a: number, b: number) => files[a]! - files[b]! || lines[a]! - lines[b]! || a - b;
      const rest = Array.from({ length: this.length - inOrder }, (_, k) => inOrder + k).sort(before);
      this.orderRun = new Uint32Array(this.length);
      this.orderAt = new Uint32Array(this.length);
      let a = 0;
      let b = 0;
      for (let at = 0; at < this.length; at++) {
        const k = b >= rest.length || (a < inOrder && before(a, rest[b]!) < 0) ? a++ : rest[b++]!;
        this.orderRun[at] = runOf[k]!;
        this.orderAt[at] = atOf[k]!;
      }
    }
    this.forEach((run, i) => {
      const id = run.ids[run.detectors[i]!]!;
      this.summary[id] = (this.summary[id] ?? 0) + 1;
    });
  }

  /**
   * The entries' bytes in list order: entries that follow each other in a run whose lines need no change
   * as one slice of it, entries of a later part copied with their line moved by the part's line base.
   * `released()`, asked after each piece is given: whether the reader is done with it (written out),
   * so that its memory is used again (else each piece has memory of its own).
   */
  *chunks(released: () => boolean = () => false): Generator<Uint8Array> {
    let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let used = 0;
    // A slice of one run's bytes not yet given: [from, to) of `slice` (the bytes of `sliceRun`).
    let slice: Uint8Array | null = null;
    let sliceRun: DetectionRun | null = null;
    let from = 0;
    let to = 0;
    // The bytes of the run read last from its file, and whether their memory may be read into again.
    let readRun: DetectionRun | null = null;
    let readBytes: Uint8Array | null = null;
    let readFree = false;
    let r = 0;
    let next = 0;
    for (let k = 0; k < this.length; k++) {
      let run: DetectionRun;
      let i: number;
      if (this.orderRun && this.orderAt) {
        run = this.runs[this.orderRun[k]!]!;
        i = this.orderAt[k]!;
      } else {
        while (next >= this.runs[r]!.lines.length) (r++, (next = 0));
        run = this.runs[r]!;
        i = next++;
      }
      const start = run.starts[i]! + (k === 0 ? 1 : 0); // the first item has no comma before it
      const end = run.starts[i + 1]!;
      if (run.lineBase === 0 && sliceRun === run && to === start) {
        to = end;
        continue;
      }
      // Whatever is pending goes first: a run read next may be read into the memory it is in.
      if (slice) {
        yield slice.subarray(from, to);
        if (slice === readBytes) readFree = released();
        slice = sliceRun = null;
      }
      if (run.lineBase === 0 && used > 0) {
        yield chunk.subarray(0, used);
        if (!released()) chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        used = 0;
      }
      let bytes: Uint8Array = run.bytes;
      if (run.stored) {
        if (readRun !== run || readBytes === null) {
          readBytes = run.stored(readFree && readBytes ? readBytes : undefined);
          readRun = run;
        }
        readFree = false;
        bytes = readBytes;
      }
      if (run.lineBase === 0) {
        slice = bytes;
        sliceRun = run;
        from = start;
        to = end;
        continue;
      }
      // Room for the entry and a line number a few digits longer.
      const room = end - start + 16;
      if (used + room > chunk.length) {
        if (used > 0) {
          yield chunk.subarray(0, used);
          if (!released()) chunk = Buffer.allocUnsafe(CHUNK_BYTES);
        }
        if (room > chunk.length) chunk = Buffer.allocUnsafe(room);
        used = 0;
      }
      const relative = run.lines[i]!;
      const lineAt = run.starts[i]! + run.lineAts[i]!;
      chunk.set(bytes.subarray(start, lineAt), used);
      used += lineAt - start;
      used += chunk.write(String(relative + run.lineBase), used, 'latin1');
      const after = lineAt + String(relative).length;
      chunk.set(bytes.subarray(after, end), used);
      used += end - after;
      // Copied: the run's memory may be read into again.
      if (bytes === readBytes) readFree = true;
    }
    if (used > 0) yield chunk.subarray(0, used);
    if (slice) yield slice.subarray(from, to);
  }

  /** The entries as objects (JSON.parse of their text: the values and key order the text was made of). */
  objects(): Detection[] {
    // A run's entries are parsed at once, as the array their text is the items of (one JSON.parse per run).
    const parsed = new Map<DetectionRun, Detection[]>();
    const detections: Detection[] = [];
    this.forEach((run, i) => {
      let entries = parsed.get(run);
      if (!entries) {
        const bytes = this.bytesOf(run);
        const text = Buffer.from(bytes.buffer, bytes.byteOffset, run.starts[run.lines.length]!).toString('utf8');
        parsed.set(run, (entries = JSON.parse(`[${text.slice(1)}]`) as Detection[]));
      }
      const detection = entries[i]!;
      detection.line = run.lines[i]! + run.lineBase;
      detections.push(detection);
    });
    this.loaded = null;
    return detections;
  }

  toJSON(): Detection[] {
    return this.objects();
  }

  /** Calls `f` with the run and index in it of each entry, in list order (`k`: the entry's place in the list). */
  private forEach(f: (run: DetectionRun, i: number, k: number) => void): void {
    if (this.orderRun && this.orderAt) {
      for (let k = 0; k < this.length; k++) f(this.runs[this.orderRun[k]!]!, this.orderAt[k]!, k);
      return;
    }
    let k = 0;
    for (const run of this.runs) for (let i = 0; i < run.lines.length; i++) f(run, i, k++);
  }

  private bytesOf(run: DetectionRun): Uint8Array {
    if (!run.stored) return run.bytes;
    if (this.loaded?.run !== run) this.loaded = { run, bytes: run.stored() };
    return this.loaded.bytes;
  }
}

/** How many of the runs' entries, from the first, are in file and line order. */
function entriesInFileOrder(runs: readonly DetectionRun[]): number {
  let file = -1;
  let line = -Infinity;
  let count = 0;
  for (const run of runs) {
    for (let i = 0; i < run.lines.length; i++, count++) {
      const f = run.files[i]!;
      const l = run.lines[i]! + run.lineBase;
      if (f < file || (f === file && l < line)) return count;
      file = f;
      line = l;
    }
  }
  return count;
}
