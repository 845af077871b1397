// The bytes a scan part's worker sends (scanPart.ts): report entries as their JSON text (a run,
// detectionText.ts) and window candidates as numbers and string ids over a table of the batch's
// distinct strings, in one transferred buffer.
import type { WindowCandidate } from '../auditlog/detectors';
import { GrowableFloat64, GrowableUint32 } from '../auditlog/index/growable';
import { copyEvent, type NormalizedEvent } from '../auditlog/normalizedEvent';
import { packSections, unpackSections } from '../auditlog/splitRead/packedBatch';
import type { DetectionRun } from './detectionText';
import type { FindingTotals } from './findingCollector';
import type { SpillAppender, SpillFile } from './spillFile';
/** Candidate numbers: detector, then these of its event (NaN for a null code or latency). */
const CANDIDATE_NUMBERS = ['time', 'file', 'line', 'offset', 'code', 'latencyMs', 'recordBytes'] as const;
/** Candidate words: the ids of its key, its distinct value, these strings of its event, and its groups as JSON. */
const CANDIDATE_STRINGS = ['auditID', 'stage', 'level', 'user', 'impersonatedUser', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'requestURI', 'sourceIP', 'userAgent', 'format'] as const;
const CANDIDATE_WORDS = 3 + CANDIDATE_STRINGS.length;
/** Where a candidate's time, file and offset are among its numbers (after its detector), and its auditID among its words. */
const TIME_AT = 1 + CANDIDATE_NUMBERS.indexOf('time');
const FILE_AT = 1 + CANDIDATE_NUMBERS.indexOf('file');
const OFFSET_AT = 1 + CANDIDATE_NUMBERS.indexOf('offset');
const AUDIT_ID_AT = 3 + CANDIDATE_STRINGS.indexOf('auditID');

/** JSON beside the numbers: the candidates' string table, the run's detector ids, and the part's totals in its last batch. */
interface BatchText {
  strings: string[];
  ids: string[];
  /** Where the run's text went in the part's temporary file, when not in the batch. */
  stored?: { at: number; length: number };
  totals?: FindingTotals;
}

export class ScanBatchWriter {
  private candidateNumbers = new GrowableFloat64(1024);
  private candidateWords = new GrowableUint32(1024);
  private ids = new Map<string, number>();
  private strings: string[] = [];

  /** `spill`: where the runs' text goes instead of into the batches (until a write to it fails: a full disk). */
  constructor(private spill: SpillAppender | null) {}

  get candidates(): number {
    return this.candidateWords.length / CANDIDATE_WORDS;
  }

  candidate(detector: number, candidate: WindowCandidate<NormalizedEvent>): void {
    const event = candidate.item;
    this.candidateNumbers.push(detector);
    for (const field of CANDIDATE_NUMBERS) this.candidateNumbers.push(event[field] ?? NaN);
    const words = this.candidateWords;
    words.push(this.id(candidate.key));
    words.push(this.id(candidate.distinct));
    words.push(this.id(JSON.stringify(event.groups)));
    for (const field of CANDIDATE_STRINGS) words.push(this.id(event[field]));
  }

  /** The batch so far with the entries of `run`, in a buffer of its own; the writer starts a new one. */
  take(run: DetectionRun, totals?: FindingTotals): Uint8Array {
    const stored = this.stored(run.bytes);
    const text: BatchText = { strings: this.strings, ids: run.ids, ...(stored ? { stored } : {}), ...(totals ? { totals } : {}) };
    const bytes = stored ? EMPTY : run.bytes;
    const data = packSections([run.files, run.lines, run.detectors, run.lineAts, run.starts, bytes, this.candidateNumbers.view(), this.candidateWords.view(), Buffer.from(JSON.stringify(text), 'utf8')]);
    this.candidateNumbers = new GrowableFloat64(1024);
    this.candidateWords = new GrowableUint32(1024);
    this.ids = new Map();
    this.strings = [];
    return data;
  }

  /** Where `bytes` went in the temporary file; undefined when they are to travel in the batch. */
  private stored(bytes: Uint8Array): { at: number; length: number } | undefined {
    if (!this.spill) return undefined;
    try {
      return { at: this.spill.append(bytes), length: bytes.length };
    } catch {
      // No room left for it (or the file is gone): this and the next runs travel in their batches.
      this.spill = null;
      return undefined;
    }
  }

  private id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      this.ids.set(text, (id = this.strings.length));
      this.strings.push(text);
    }
    return id;
  }
}

/** A batch ScanBatchWriter made: its run of entries and its candidates (detector number first) as the collector and window scanner take them. */
export function readScanBatch(
  data: Uint8Array,
  lineBase: number,
  spill: SpillFile | null,
): { run: DetectionRun; candidates: () => [number, WindowCandidate<NormalizedEvent>][]; totals?: FindingTotals } {
  const [files, lines, detectors, lineAts, starts, bytes, numberSection, wordSection, textSection] = unpackSections(data);
  const numbers = new Float64Array(numberSection!.buffer, numberSection!.offset, numberSection!.bytes / 8);
  const words = new Uint32Array(wordSection!.buffer, wordSection!.offset, wordSection!.bytes / 4);
  const text = JSON.parse(Buffer.from(textSection!.buffer, textSection!.offset, textSection!.bytes).toString('utf8')) as BatchText;
  const strings = text.strings;
  // Copies of the small arrays: the batch's buffer (mostly text) can go once its text is kept elsewhere.
  const run: DetectionRun = {
    ids: text.ids,
    files: new Uint32Array(files!.buffer, files!.offset, files!.bytes / 4).slice(),
    lines: new Float64Array(lines!.buffer, lines!.offset, lines!.bytes / 8).slice(),
    detectors: new Uint32Array(detectors!.buffer, detectors!.offset, detectors!.bytes / 4).slice(),
    lineAts: new Uint32Array(lineAts!.buffer, lineAts!.offset, lineAts!.bytes / 4).slice(),
    starts: new Uint32Array(starts!.buffer, starts!.offset, starts!.bytes / 4).slice(),
    bytes: new Uint8Array(bytes!.buffer, bytes!.offset, bytes!.bytes),
    lineBase,
  };
  const stored = text.stored;
  if (stored) {
    if (!spill) throw new Error('a scan part wrote to a temporary file this thread does not know');
    run.stored = (into) => spill.read(stored.at, stored.length, into);
  }
  return { run, candidates: () => readCandidates(numbers, words, strings, lineBase), ...(text.totals ? { totals: text.totals } : {}) };
}

/** A batch's candidates as the window scanner takes them (detector number first). */
function readCandidates(numbers: Float64Array, words: Uint32Array, strings: string[], lineBase: number): [number, WindowCandidate<NormalizedEvent>][] {
  const batch: CandidateBatch = { numbers, words, strings, lineBase, groups: new Map() };
  const candidates: [number, WindowCandidate<NormalizedEvent>][] = [];
  for (let c = 0; c * CANDIDATE_WORDS < words.length; c++) candidates.push([numbers[c * (1 + CANDIDATE_NUMBERS.length)]!, new BatchCandidate(batch, c)]);
  return candidates;
}

interface CandidateBatch {
  numbers: Float64Array;
  words: Uint32Array;
  strings: string[];
  lineBase: number;
  /** Groups lists parsed so far, by string id. */
  groups: Map<number, readonly string[]>;
}

/**
 * Candidate `c` of a batch: what orders and counts it at once, its event (the fields a report prints)
 * only when a burst reports it (most candidates are in no burst; a 1 GB scan has ~90k of them).
 */
class BatchCandidate implements WindowCandidate<NormalizedEvent> {
  readonly time: number;
  readonly file: number;
  readonly offset: number;
  readonly auditID: string;
  readonly key: string;
  readonly distinct: string;
  private made: NormalizedEvent | null = null;

  constructor(
    private readonly batch: CandidateBatch,
    private readonly c: number,
  ) {
    const n = c * (1 + CANDIDATE_NUMBERS.length);
    const w = c * CANDIDATE_WORDS;
    this.time = batch.numbers[n + TIME_AT]!;
    this.file = batch.numbers[n + FILE_AT]!;
    this.offset = batch.numbers[n + OFFSET_AT]!;
    this.auditID = batch.strings[batch.words[w + AUDIT_ID_AT]!]!;
    this.key = batch.strings[batch.words[w]!]!;
    this.distinct = batch.strings[batch.words[w + 1]!]!;
  }

  get item(): NormalizedEvent {
    return (this.made ??= this.event());
  }

  private event(): NormalizedEvent {
    const { numbers, words, strings, lineBase, groups } = this.batch;
    const n = this.c * (1 + CANDIDATE_NUMBERS.length);
    const w = this.c * CANDIDATE_WORDS;
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < CANDIDATE_NUMBERS.length; i++) fields[CANDIDATE_NUMBERS[i]!] = numbers[n + 1 + i]!;
    if (Number.isNaN(fields.code)) fields.code = null;
    if (Number.isNaN(fields.latencyMs)) fields.latencyMs = null;
    fields.line = (fields.line as number) + lineBase;
    for (let i = 0; i < CANDIDATE_STRINGS.length; i++) fields[CANDIDATE_STRINGS[i]!] = strings[words[w + 3 + i]!]!;
    const groupsId = words[w + 2]!;
    if (!groups.has(groupsId)) groups.set(groupsId, JSON.parse(strings[groupsId]!) as string[]);
    fields.groups = groups.get(groupsId);
    return copyEvent(fields as unknown as NormalizedEvent, {});
  }
}

const EMPTY = new Uint8Array(0);
