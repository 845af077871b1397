// Scan's report entries as the JSON text writeJson writes for them among the report's detections,
// made where they are found: a part's worker renders its entries (in parallel with the other part),
// and the owning thread copies their bytes to the output instead of making, sorting and stringifying
// an object per entry after the workers end.
import type { DetectorDefinition } from '../auditlog/detectors';
import { GrowableFloat64, GrowableUint32 } from '../auditlog/index/growable';
import type { Detection } from './findingCollector';

/** The report's keys sit at two spaces, its detections' items at four (what JSON.stringify(report, null, 2) gives). */
export const ITEM_INDENT = '    ';
/** Before each item's text in a run; the list's first item is written without its comma. */
export const ITEM_SEPARATOR = `,\n${ITEM_INDENT}`;

/**
 * Report entries as text, in the order found, with what orders and counts them: per entry its file
 * index, line, detector (an index into `ids`), and where its text starts in `bytes` (`starts` has one
 * more value: the end). `lineAt`: bytes from an entry's start to the digits of its line, which a
 * part after the first wrote relative to its first line (`lineBase` is added when written).
 */
export interface DetectionRun {
  ids: string[];
  files: Uint32Array;
  lines: Float64Array;
  detectors: Uint32Array;
  lineAts: Uint32Array;
  starts: Uint32Array;
  bytes: Uint8Array;
  lineBase: number;
  /** Where the bytes are when they were moved out of memory (`bytes` is then empty): read into `into` when it is big enough. */
  stored?: (into?: Uint8Array) => Uint8Array;
}

/** A report entry before its file is named (`file`: the file's index). */
type DetectionEntry = Omit<Detection, 'file'> & { file: number | string };

/** What an entry says besides its detector's own fields (`file`: the file's index; '' for no command, no owner). */
export type EntryFields = Pick<Detection, 'line' | 'auditID' | 'user' | 'verb' | 'resource' | 'namespace' | 'name' | 'policyRule'> & { command: string; owner: string; file: number };

/**
 * A report entry: the one place its keys and their order are written. Optional keys are set in their
 * place, not spread in (an object per spread; a scan of a few GB makes hundreds of thousands of entries).
 */
export function detectionEntry(detector: DetectorDefinition, f: EntryFields): DetectionEntry {
  const entry: Partial<DetectionEntry> = {
    detector: detector.id,
    title: detector.title,
    severity: detector.severity,
    line: f.line,
    auditID: f.auditID,
    user: f.user,
    verb: f.verb,
    resource: f.resource,
    namespace: f.namespace,
    name: f.name,
  };
  if (f.command) entry.command = f.command;
  if (f.owner) entry.owner = f.owner;
  entry.references = detector.references;
  if (f.policyRule !== undefined) entry.policyRule = f.policyRule;
  entry.file = f.file;
  return entry as DetectionEntry;
}

/** The fields of an entry that vary; `fileName` is the file's name (the entry's `file`). */
type Variable = Exclude<keyof EntryFields, 'file'> | 'fileName';
const VARIABLES: readonly Variable[] = ['line', 'auditID', 'user', 'verb', 'resource', 'namespace', 'name', 'command', 'owner', 'policyRule', 'fileName'];

/** An entry's text with the variable values left out: `pieces[i]`, value of `order[i]`, ..., the last piece. */
interface Template {
  pieces: string[];
  order: Variable[];
  /** Bytes of the separator and the text before the line's value when nothing variable precedes it; -1 otherwise. */
  lineAt: number;
}

/**
 * Renders entries as detectionEntry makes them and JSON.stringify writes them (the key order and which
 * optional keys are present are detectionEntry's): per detector and set of optional keys, the entry is
 * stringified once with a marker in place of each variable value; an entry is then the pieces between
 * markers and its values, each stringified alone (a test holds this to JSON.stringify of the entry).
 */
export class DetectionTextWriter {
  private readonly templates = new Map<DetectorDefinition, Template[]>();
  /** The entries' UTF-8 text so far (each entry's text is written here at once: no string outlives its entry). */
  private bytes = Buffer.allocUnsafe(1024 * 1024);
  // The run being written (reset by take()).
  private used = 0;
  private starts!: GrowableUint32;
  private files!: GrowableUint32;
  private lines!: GrowableFloat64;
  private detectors!: GrowableUint32;
  private lineAts!: GrowableUint32;
  private ids!: Map<string, number>;

  constructor() {
    this.startRun();
  }

  get count(): number {
    return this.starts.length;
  }

  add(detector: DetectorDefinition, fields: EntryFields, fileName: string): void {
    const optional = (fields.command ? 1 : 0) | (fields.owner ? 2 : 0) | (fields.policyRule !== undefined ? 4 : 0);
    const template = this.template(detector, optional);
    const { pieces, order } = template;
    let text = ITEM_SEPARATOR + pieces[0]!;
    let lineAt = template.lineAt;
    for (let i = 0; i < order.length; i++) {
      const variable = order[i]!;
      if (variable === 'line' && lineAt < 0) lineAt = Buffer.byteLength(text);
      text += valueText(variable === 'fileName' ? fileName : fields[variable]) + pieces[i + 1]!;
    }
    if (this.used + 3 * text.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, this.used + 3 * text.length));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.starts.push(this.used);
    this.used += this.bytes.write(text, this.used, 'utf8');
    this.files.push(fields.file);
    this.lines.push(fields.line);
    this.lineAts.push(lineAt);
    let id = this.ids.get(detector.id);
    if (id === undefined) this.ids.set(detector.id, (id = this.ids.size));
    this.detectors.push(id);
  }

  /**
   * The entries so far as a run; the writer starts a new one. The run's `bytes` are the writer's until
   * the next add (a worker sends or stores them at once: no copy); its other arrays are its own.
   */
  take(): DetectionRun {
    this.starts.push(this.used);
    const run: DetectionRun = {
      ids: [...this.ids.keys()],
      files: this.files.view().slice(),
      lines: this.lines.view().slice(),
      detectors: this.detectors.view().slice(),
      lineAts: this.lineAts.view().slice(),
      starts: this.starts.view().slice(),
      bytes: this.bytes.subarray(0, this.used),
      lineBase: 0,
    };
    this.startRun();
    return run;
  }

  private startRun(): void {
    this.used = 0;
    this.starts = new GrowableUint32(1024);
    this.files = new GrowableUint32(1024);
    this.lines = new GrowableFloat64(1024);
    this.detectors = new GrowableUint32(1024);
    this.lineAts = new GrowableUint32(1024);
    this.ids = new Map();
  }

  private template(detector: DetectorDefinition, optional: number): Template {
    let forDetector = this.templates.get(detector);
    if (!forDetector) this.templates.set(detector, (forDetector = []));
    return (forDetector[optional] ??= makeTemplate(detector, optional));
  }
}

/** Characters JSON.stringify writes escaped in a string (surrogates: it escapes the lone ones). */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A value as it is written at an entry's keys (two spaces deeper than the item). */
function valueText(value: unknown): string {
  // Most strings (names, IDs) have nothing to escape: quoted as they are, without JSON.stringify's call.
  if (typeof value === 'string') return ESCAPED.test(value) ? JSON.stringify(value) : `"${value}"`;
  return typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2).replace(/\n/g, `\n${ITEM_INDENT}  `) : JSON.stringify(value);
}

/** Part of each marker: no detector's title or references (a user's settings file) can hold one by chance or design. */
const NONCE = Math.random().toString(36).slice(2);

function makeTemplate(detector: DetectorDefinition, optional: number): Template {
  const marker = (variable: Variable) => `\u0000${NONCE}:${variable}\u0000`;
  const present = (variable: Variable) => (variable === 'command' ? optional & 1 : variable === 'owner' ? optional & 2 : variable === 'policyRule' ? optional & 4 : 1) !== 0;
  const fields: Record<string, unknown> = { file: 0 };
  for (const variable of VARIABLES) {
    if (variable === 'fileName') continue;
    fields[variable] = present(variable) ? marker(variable) : variable === 'policyRule' ? undefined : '';
  }
  const entry = detectionEntry(detector, fields as unknown as EntryFields) as Record<string, unknown>;
  entry.file = marker('fileName');
  const text = JSON.stringify(entry, null, 2).replace(/\n/g, `\n${ITEM_INDENT}`);
  const found = VARIABLES.map((variable) => ({ variable, at: text.indexOf(JSON.stringify(marker(variable))) }))
    .filter(({ at }) => at >= 0)
    .sort((a, b) => a.at - b.at);
  const pieces: string[] = [];
  let from = 0;
  for (const { variable, at } of found) {
    pieces.push(text.slice(from, at));
    from = at + JSON.stringify(marker(variable)).length;
  }
  pieces.push(text.slice(from));
  const order = found.map(({ variable }) => variable);
  return { pieces, order, lineAt: order[0] === 'line' ? Buffer.byteLength(ITEM_SEPARATOR + pieces[0]!) : -1 };
}
