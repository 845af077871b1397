// The bytes a scan part's worker sends (scanPart.ts): report entries and window candidates as numbers
// and string ids over a table of the batch's distinct strings, in one transferred buffer.
import type { DetectorDefinition, WindowCandidate } from '../auditlog/detectors';
import { GrowableFloat64, GrowableUint32 } from '../auditlog/index/growable';
import { copyEvent, type NormalizedEvent } from '../auditlog/normalizedEvent';
import { packSections, unpackSections } from '../auditlog/splitRead/packedBatch';
import type { DecidingRule } from '../simulation/ruleOfEvent';
import { detectionEntry, type DetectionEntry, type EntryFields, type FindingTotals } from './findingCollector';

/** Entry words: detector, line, file, the ids of these strings, then its policy rule + 1 (0: none). */
const ENTRY_STRINGS = ['auditID', 'user', 'verb', 'resource', 'namespace', 'name', 'command', 'owner'] as const;
const ENTRY_WORDS = 3 + ENTRY_STRINGS.length + 1;
/** Candidate numbers: detector, then these of its event (NaN for a null code or latency). */
const CANDIDATE_NUMBERS = ['time', 'file', 'line', 'offset', 'code', 'latencyMs', 'recordBytes'] as const;
/** Candidate words: the ids of its key, its distinct value, these strings of its event, and its groups as JSON. */
const CANDIDATE_STRINGS = ['auditID', 'stage', 'level', 'user', 'impersonatedUser', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name', 'requestURI', 'sourceIP', 'userAgent', 'format'] as const;
const CANDIDATE_WORDS = 3 + CANDIDATE_STRINGS.length;

/** JSON beside the numbers: the string table, policy rules, and the part's totals in its last batch. */
interface BatchText {
  strings: string[];
  policyRules: (DecidingRule | null)[];
  totals?: FindingTotals;
}

export class ScanBatchWriter {
  private entryWords = new GrowableUint32(4096);
  private candidateNumbers = new GrowableFloat64(1024);
  private candidateWords = new GrowableUint32(1024);
  private ids = new Map<string, number>();
  private text: BatchText = { strings: [], policyRules: [] };

  constructor(
    /** Detector id → its number in the selection (the owning thread compiles the same selection). */
    private readonly positions: ReadonlyMap<string, number>,
  ) {}

  get entries(): number {
    return this.entryWords.length / ENTRY_WORDS;
  }

  get candidates(): number {
    return this.candidateWords.length / CANDIDATE_WORDS;
  }

  entry(detector: DetectorDefinition, fields: EntryFields): void {
    const words = this.entryWords;
    words.push(this.positions.get(detector.id)!);
    words.push(fields.line);
    words.push(fields.file);
    for (const field of ENTRY_STRINGS) words.push(this.id(fields[field]));
    words.push(fields.policyRule === undefined ? 0 : this.text.policyRules.push(fields.policyRule));
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

  /** The batch so far, in a buffer of its own; the writer starts a new one. */
  take(totals?: FindingTotals): Uint8Array {
    if (totals) this.text.totals = totals;
    const data = packSections([this.entryWords.view(), this.candidateNumbers.view(), this.candidateWords.view(), Buffer.from(JSON.stringify(this.text), 'utf8')]);
    this.entryWords = new GrowableUint32(4096);
    this.candidateNumbers = new GrowableFloat64(1024);
    this.candidateWords = new GrowableUint32(1024);
    this.ids = new Map();
    this.text = { strings: [], policyRules: [] };
    return data;
  }

  private id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      this.ids.set(text, (id = this.text.strings.length));
      this.text.strings.push(text);
    }
    return id;
  }
}

/** A batch ScanBatchWriter made: its entries and candidates (detector number first) as the collector and window scanner take them. */
export function readScanBatch(
  data: Uint8Array,
  detectors: readonly DetectorDefinition[],
  lineBase: number,
): { entries: DetectionEntry[]; candidates: [number, WindowCandidate<NormalizedEvent>][]; totals?: FindingTotals } {
  const [entrySection, numberSection, wordSection, textSection] = unpackSections(data);
  const entryWords = new Uint32Array(entrySection!.buffer, entrySection!.offset, entrySection!.bytes / 4);
  const numbers = new Float64Array(numberSection!.buffer, numberSection!.offset, numberSection!.bytes / 8);
  const words = new Uint32Array(wordSection!.buffer, wordSection!.offset, wordSection!.bytes / 4);
  const text = JSON.parse(Buffer.from(textSection!.buffer, textSection!.offset, textSection!.bytes).toString('utf8')) as BatchText;
  const strings = text.strings;
  const entries: DetectionEntry[] = [];
  for (let at = 0; at < entryWords.length; at += ENTRY_WORDS) {
    const fields = { line: entryWords[at + 1]! + lineBase, file: entryWords[at + 2]! } as EntryFields;
    ENTRY_STRINGS.forEach((field, i) => (fields[field] = strings[entryWords[at + 3 + i]!]!));
    const rule = entryWords[at + ENTRY_WORDS - 1]!;
    if (rule > 0) fields.policyRule = text.policyRules[rule - 1]!;
    entries.push(detectionEntry(detectors[entryWords[at]!]!, fields));
  }
  const candidates: [number, WindowCandidate<NormalizedEvent>][] = [];
  const groups = new Map<number, readonly string[]>();
  for (let c = 0; c * CANDIDATE_WORDS < words.length; c++) {
    const n = c * (1 + CANDIDATE_NUMBERS.length);
    const w = c * CANDIDATE_WORDS;
    const fields: Record<string, unknown> = {};
    CANDIDATE_NUMBERS.forEach((field, i) => (fields[field] = numbers[n + 1 + i]!));
    for (const field of ['code', 'latencyMs'] as const) if (Number.isNaN(fields[field])) fields[field] = null;
    fields.line = (fields.line as number) + lineBase;
    CANDIDATE_STRINGS.forEach((field, i) => (fields[field] = strings[words[w + 3 + i]!]!));
    const groupsId = words[w + 2]!;
    if (!groups.has(groupsId)) groups.set(groupsId, JSON.parse(strings[groupsId]!) as string[]);
    fields.groups = groups.get(groupsId);
    const item = copyEvent(fields as unknown as NormalizedEvent, {});
    candidates.push([numbers[n]!, { time: item.time, file: item.file, offset: item.offset, auditID: item.auditID, key: strings[words[w]!]!, distinct: strings[words[w + 1]!]!, item }]);
  }
  return { entries, candidates, ...(text.totals ? { totals: text.totals } : {}) };
}
