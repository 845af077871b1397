import { FLAG_REQUEST_OBJECT, FLAG_RESPONSE_OBJECT, STRING_COLUMN_INDEX } from '../index/schema';
import { copyEvent, type NormalizedEvent } from '../normalizedEvent';
import { type FieldScanner, R_AUDIT_ID_LENGTH, R_AUDIT_ID_START, R_CODE, R_FLAGS, R_IDS, R_LATENCY, R_STAGE_BIT, R_TIME } from './fieldScanner';

// Column numbers of schema.ts STRING_COLUMNS (the scanner's dictionaries follow that order).
const USER = STRING_COLUMN_INDEX.user;
const IMPERSONATED = STRING_COLUMN_INDEX.impersonatedUser;
const VERB = STRING_COLUMN_INDEX.verb;
const API_GROUP = STRING_COLUMN_INDEX.apiGroup;
const RESOURCE = STRING_COLUMN_INDEX.resource;
const SUBRESOURCE = STRING_COLUMN_INDEX.subresource;
const NAMESPACE = STRING_COLUMN_INDEX.namespace;
const NAME = STRING_COLUMN_INDEX.name;
const URI = STRING_COLUMN_INDEX.requestURI;
const SOURCE_IP = STRING_COLUMN_INDEX.sourceIP;
const USER_AGENT = STRING_COLUMN_INDEX.userAgent;
const LEVEL = STRING_COLUMN_INDEX.level;
const STAGE = STRING_COLUMN_INDEX.stage;
const GROUPS = STRING_COLUMN_INDEX.groups;
const NO_GROUPS: readonly string[] = Object.freeze([]);
const NOT_DECODED: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * A NormalizedEvent read by the field scanner: its text fields are dictionary ids in the scanner's
 * record, its numbers were computed from bytes, and `event` (the decoded Event) is parsed from the
 * line only when something asks for it (a body detector). Equal, field by field, to what
 * normalizeEvent gives for the same line (the equivalence tests hold the scanner to that).
 *
 * The record and the line live in the scanner's buffers until its next scan: the event is only valid
 * until then (reading it later throws).
 */
export class ScannedEvent implements NormalizedEvent {
  readonly format = 'k8s-json' as const;
  readonly stage: string;
  /** The line and its line break, as normalizeEvent's caller measures a JSON line. */
  recordBytes: number;
  private decoded: Record<string, unknown> | null = null;
  private id_: string | null;
  private readonly generation: number;

  constructor(
    readonly scanner: FieldScanner,
    /** Word index in scanner.words of its record (the first words of a row are its primary stage's record). */
    private readonly record: number,
    /** Its line: bytes [lineStart, lineEnd) of scanner.bytes. */
    private readonly lineStart: number,
    private readonly lineEnd: number,
    /** Its auditID: a string, or bytes [start, start + length) of scanner.bytes (ASCII) made a string when asked. */
    auditID: string | null,
    private readonly idStart: number,
    private readonly idLength: number,
    public time: number,
    public latencyMs: number | null,
    public code: number | null,
    /** The event's schema.ts PRIMARY_FLAGS (which of requestObject, responseObject... it has). */
    readonly rowFlags: number,
    readonly stageBit: number,
    public file: number,
    public line: number,
    public offset: number,
  ) {
    this.generation = scanner.generation;
    this.recordBytes = lineEnd - lineStart + 1;
    this.id_ = auditID;
    this.stage = scanner.strings[STAGE]![scanner.words[record + R_IDS + STAGE]!]!;
  }

  get auditID(): string {
    if (this.id_ === null) {
      this.assertCurrent();
      // The scanner only reads ASCII auditIDs without escapes: latin1 is their UTF-8.
      this.id_ = this.scanner.bytes.latin1Slice(this.idStart, this.idStart + this.idLength);
    }
    return this.id_;
  }

  set auditID(value: string) {
    this.id_ = value;
  }

  /** The dictionary id of a text column (schema.ts STRING_COLUMNS order). */
  id(column: number): number {
    this.assertCurrent();
    return this.scanner.words[this.record + R_IDS + column]!;
  }

  private text(column: number): string {
    return this.scanner.strings[column]![this.id(column)]!;
  }

  get user(): string {
    return this.text(USER);
  }
  get impersonatedUser(): string {
    return this.text(IMPERSONATED);
  }
  get verb(): string {
    return this.text(VERB);
  }
  get apiGroup(): string {
    return this.text(API_GROUP);
  }
  get resource(): string {
    return this.text(RESOURCE);
  }
  get subresource(): string {
    return this.text(SUBRESOURCE);
  }
  get namespace(): string {
    return this.text(NAMESPACE);
  }
  get name(): string {
    return this.text(NAME);
  }
  get requestURI(): string {
    return this.text(URI);
  }
  get sourceIP(): string {
    return this.text(SOURCE_IP);
  }
  get userAgent(): string {
    return this.text(USER_AGENT);
  }
  get level(): string {
    return this.text(LEVEL);
  }
  get groups(): readonly string[] {
    const joined = this.text(GROUPS);
    // Each group is preceded by NUL (schema.ts GROUP_SEPARATOR).
    return joined === '' ? NO_GROUPS : joined.slice(1).split('\u0000');
  }

  /** The decoded Event, as JSON.parse gives it for this line. */
  get event(): Record<string, unknown> {
    if (this.decoded === null) this.decoded = JSON.parse(this.lineText()) as Record<string, unknown>;
    return this.decoded;
  }

  /**
   * A copy that outlives the scanner's buffers (a stage a request holds while later lines are read):
   * its fields as values, its line kept as text and decoded only when `event` is asked for.
   */
  detach(): NormalizedEvent {
    if (this.decoded !== null) return copyEvent(this, this.decoded);
    const text = this.lineText();
    const copy = copyEvent(this, NOT_DECODED);
    lineTexts.set(copy, text);
    let decoded: Record<string, unknown> | null = null;
    Object.defineProperty(copy, 'event', {
      get: () => (decoded ??= JSON.parse(text) as Record<string, unknown>),
      set: (value: Record<string, unknown>) => (decoded = value),
      enumerable: true,
      configurable: true,
    });
    return copy;
  }

  /** The JSON line this event was read from. */
  lineText(): string {
    this.assertCurrent();
    return this.scanner.bytes.toString('utf8', this.lineStart, this.lineEnd);
  }

  private assertCurrent(): void {
    if (this.generation !== this.scanner.generation) throw new Error('scanned event read after its scanner moved on');
  }
}

/**
 * The event of a record (a scanned line's, or a row's primary stage), its line at [lineStart, lineEnd)
 * of scanner.bytes. The auditID is the record's (input bytes) unless given.
 */
export function scannedEvent(scanner: FieldScanner, record: number, lineStart: number, lineEnd: number, file: number, line: number, offset: number, auditID: string | null = null, idStart = -1, idLength = 0): ScannedEvent {
  const words = scanner.words;
  const numbers = scanner.numbers;
  const at = record >>> 1;
  const latency = numbers[at + R_LATENCY]!;
  const code = numbers[at + R_CODE]!;
  return new ScannedEvent(
    scanner,
    record,
    lineStart,
    lineEnd,
    auditID,
    idStart >= 0 ? idStart : scanner.input + words[record + R_AUDIT_ID_START]!,
    idStart >= 0 ? idLength : words[record + R_AUDIT_ID_LENGTH]!,
    numbers[at + R_TIME]!,
    Number.isNaN(latency) ? null : latency,
    Number.isNaN(code) ? null : code,
    words[record + R_FLAGS]!,
    words[record + R_STAGE_BIT]!,
    file,
    line,
    offset,
  );
}

/** The lines of detached copies (see ScannedEvent.detach), for sourceLine. */
const lineTexts = new WeakMap<NormalizedEvent, string>();

/**
 * The JSON line an event is exactly the decoding of, when the field scanner read it (the event or a
 * detached copy of it); null for events the JSON.parse path made.
 */
export function sourceLine(event: NormalizedEvent): string | null {
  return event instanceof ScannedEvent ? event.lineText() : (lineTexts.get(event) ?? null);
}

/**
 * False when the event is known to have neither a requestObject nor a responseObject: a line the
 * scanner read says so without being decoded.
 */
export function mayHaveBodies(event: NormalizedEvent): boolean {
  return !(event instanceof ScannedEvent) || (event.rowFlags & (FLAG_REQUEST_OBJECT | FLAG_RESPONSE_OBJECT)) !== 0;
}
