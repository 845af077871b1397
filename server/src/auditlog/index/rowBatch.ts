import type { NormalizedEvent } from '../normalizedEvent';
import type { AuditRequest } from '../requests';
import { GrowableFloat64, GrowableUint16, GrowableUint32, GrowableUint8 } from './growable';
import type { RowColumns } from './rowColumns';
import { GROUP_SEPARATOR, NUMBER_COLUMN_COUNT, stageBit, STRING_COLUMN_COUNT, STRING_COLUMNS, FLAG_INCOMPLETE, FLAG_REQUEST_OBJECT, FLAG_RESPONSE_OBJECT } from './schema';
import { resourcePath } from '../requestTarget';

/**
 * Rows encoded by one segment reader, ready to cross a thread boundary: only typed arrays and
 * strings (structured clone copies them cheaply; the typed arrays are transferred). Text values use
 * the segment's own dictionary ids; `newStrings` carries the strings that got ids since the last
 * batch, so the index can map local ids to its global ones without ever seeing a string twice.
 */
export interface RowBatch {
  segment: number;
  rows: number;
  /** rows × STRING_COLUMNS, local ids. */
  strings: Uint32Array;
  /** Per string column, the strings whose local ids follow the ones sent before. */
  newStrings: string[][];
  /** rows × NUMBER_COLUMNS. */
  numbers: Float64Array;
  /** rows × 2: line of the first stage, line of the primary stage (1-based, relative to the segment). */
  lines: Uint32Array;
  /** rows × 2: stage mask, flags. */
  masks: Uint8Array;
  /** auditIDs, UTF-8, back to back. */
  auditIdBytes: Uint8Array;
  auditIdLengths: Uint16Array;
  /** Whether some auditID of the batch has an A-Z letter (free text then cannot search the bytes as they are). */
  auditIdUppercase: boolean;
  /** Per row, how many detector entries; entries back to back (see packDetector). */
  detectorCounts: Uint16Array;
  detectorEntries: Uint16Array;
}

const UPPERCASE = /[A-Z]/;
/** Dictionaries up to this size are searched by comparison (see LocalDictionary.id). */
const FEW = 8;

class LocalDictionary {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();
  private sent = 0;

  id(value: string): number {
    // Most columns hold a handful of values (verbs, levels, stages): comparing with each is cheaper
    // than hashing a string JSON.parse has just made (its hash is not computed yet).
    const strings = this.strings;
    if (strings.length <= FEW) {
      for (let i = 0; i < strings.length; i++) if (strings[i] === value) return i;
    }
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.ids.set(value, id);
      this.strings.push(value);
    }
    return id;
  }

  takeNew(): string[] {
    const taken = this.strings.slice(this.sent);
    this.sent = this.strings.length;
    return taken;
  }
}

/** Decides the detectors of the row just encoded (row number within the pending batch); pushes packed entries. */
export type RowDecider = (row: number, event: NormalizedEvent, entries: number[]) => void;

const encoder = new TextEncoder();
/** Rows a batch usually holds (the columns grow past it when needed). */
const PENDING_ROWS = 8192;
// Local copies: hot loops then read a constant, not an imported binding (a getter under tsx's CommonJS output).
const STRIDE = STRING_COLUMN_COUNT;
const NUMBERS = NUMBER_COLUMN_COUNT;
const bitOf = stageBit;
const INCOMPLETE = FLAG_INCOMPLETE;
const REQUEST_OBJECT = FLAG_REQUEST_OBJECT;
const RESPONSE_OBJECT = FLAG_RESPONSE_OBJECT;

/**
 * Builds row batches from grouped requests. It is also the RowColumns of its pending rows, so the
 * detectors can be decided on a row's dictionary ids right after it is encoded.
 */
export class RowEncoder implements RowColumns {
  private readonly dictionaries = STRING_COLUMNS.map(() => new LocalDictionary());
  // Pending rows in typed arrays, reused from batch to batch: no per-row array growth, and nothing
  // for the young-generation collector to copy while a batch fills (workers run with a small one).
  private readonly strings = new GrowableUint32(PENDING_ROWS * STRIDE);
  private readonly numbers = new GrowableFloat64(PENDING_ROWS * NUMBERS);
  private readonly lines = new GrowableUint32(PENDING_ROWS * 2);
  private readonly masks = new GrowableUint8(PENDING_ROWS * 2);
  private auditIds: string[] = [];
  private readonly detectorCounts = new GrowableUint16(PENDING_ROWS);
  private detectorEntries: number[] = [];
  private rowCount = 0;

  /** Set once the detectors are compiled against this encoder. */
  decide: RowDecider | null = null;

  constructor(private readonly segment: number) {}

  stringId(row: number, column: number): number {
    return this.strings.data[row * STRIDE + column]!;
  }

  dictionaryStrings(column: number): readonly string[] {
    return this.dictionaries[column]!.strings;
  }

  number(row: number, column: number): number {
    return this.numbers.data[row * NUMBERS + column]!;
  }

  flags(row: number): number {
    return this.masks.data[row * 2 + 1]!;
  }

  auditID(row: number): string {
    return this.auditIds[row]!;
  }

  get rows(): number {
    return this.rowCount;
  }

  add(request: AuditRequest, incomplete: boolean): void {
    const p = request.primary;
    const first = request.stages[0]!;
    const d = this.dictionaries;
    const annotations = p.event.annotations;
    const decision = annotationText(annotations, 'authorization.k8s.io/decision');
    const reason = annotationText(annotations, 'authorization.k8s.io/reason');
    // Order must follow STRING_COLUMNS.
    const strings = this.strings;
    strings.reserve(STRIDE);
    const s = strings.data;
    const at = strings.length;
    s[at] = d[0]!.id(p.user);
    s[at + 1] = d[1]!.id(p.impersonatedUser);
    s[at + 2] = d[2]!.id(p.verb);
    s[at + 3] = d[3]!.id(p.apiGroup);
    s[at + 4] = d[4]!.id(p.resource);
    s[at + 5] = d[5]!.id(p.subresource);
    s[at + 6] = d[6]!.id(resourcePath(p));
    s[at + 7] = d[7]!.id(p.namespace);
    s[at + 8] = d[8]!.id(p.name);
    s[at + 9] = d[9]!.id(p.requestURI);
    s[at + 10] = d[10]!.id(p.sourceIP);
    s[at + 11] = d[11]!.id(p.userAgent);
    s[at + 12] = d[12]!.id(p.level);
    s[at + 13] = d[13]!.id(p.stage);
    s[at + 14] = d[14]!.id(decision);
    s[at + 15] = d[15]!.id(reason);
    s[at + 16] = d[16]!.id(p.groups.length === 0 ? '' : GROUP_SEPARATOR + p.groups.join(GROUP_SEPARATOR));
    strings.length = at + STRIDE;
    const numbers = this.numbers;
    numbers.reserve(NUMBERS);
    const n = numbers.data;
    const nat = numbers.length;
    n[nat] = p.time;
    n[nat + 1] = p.latencyMs ?? NaN;
    n[nat + 2] = p.code ?? NaN;
    n[nat + 3] = first.offset;
    n[nat + 4] = p.offset;
    numbers.length = nat + NUMBERS;
    this.lines.push(first.line);
    this.lines.push(p.line);
    let mask = 0;
    for (const stage of request.stages) mask |= bitOf(stage.stage);
    let flags = incomplete && request.auditID !== '' ? INCOMPLETE : 0;
    if (p.event.requestObject !== undefined && p.event.requestObject !== null) flags |= REQUEST_OBJECT;
    if (p.event.responseObject !== undefined && p.event.responseObject !== null) flags |= RESPONSE_OBJECT;
    this.masks.push(mask);
    this.masks.push(flags);
    this.auditIds.push(request.auditID);
    const before = this.detectorEntries.length;
    this.decide?.(this.rowCount, p, this.detectorEntries);
    this.detectorCounts.push(this.detectorEntries.length - before);
    this.rowCount++;
  }

  /** The rows added since the last call, as a batch (null when there are none). */
  flush(): RowBatch | null {
    if (this.rowCount === 0) return null;
    // An auditID is a UUID; a longer one (hostile input) is cut so its length fits the Uint16 column.
    const idBytes = this.auditIds.map((id) => {
      const bytes = encoder.encode(id);
      return bytes.length > 0xffff ? bytes.subarray(0, 0xffff) : bytes;
    });
    const auditIdBytes = new Uint8Array(idBytes.reduce((sum, bytes) => sum + bytes.length, 0));
    let at = 0;
    for (const bytes of idBytes) {
      auditIdBytes.set(bytes, at);
      at += bytes.length;
    }
    const batch: RowBatch = {
      segment: this.segment,
      rows: this.rowCount,
      strings: taken(this.strings),
      newStrings: this.dictionaries.map((dictionary) => dictionary.takeNew()),
      numbers: taken(this.numbers),
      lines: taken(this.lines),
      masks: taken(this.masks),
      auditIdBytes,
      auditIdLengths: Uint16Array.from(idBytes.map((bytes) => bytes.length)),
      auditIdUppercase: this.auditIds.some((id) => UPPERCASE.test(id)),
      detectorCounts: taken(this.detectorCounts),
      detectorEntries: Uint16Array.from(this.detectorEntries),
    };
    this.auditIds = [];
    this.detectorEntries = [];
    this.rowCount = 0;
    return batch;
  }
}

/** A copy of the pending values (its own buffer, to transfer), and the column emptied for the next batch. */
function taken<T extends Float64Array | Uint32Array | Uint16Array | Uint8Array>(column: { data: T; length: number }): T {
  const copy = column.data.slice(0, column.length) as T;
  column.length = 0;
  return copy;
}

/** The typed arrays of a batch, to transfer rather than copy them to another thread. */
export function batchTransferList(batch: RowBatch): ArrayBuffer[] {
  return [batch.strings, batch.numbers, batch.lines, batch.masks, batch.auditIdBytes, batch.auditIdLengths, batch.detectorCounts, batch.detectorEntries].map((a) => a.buffer as ArrayBuffer);
}

function annotationText(annotations: unknown, key: string): string {
  if (annotations === null || typeof annotations !== 'object' || Array.isArray(annotations)) return '';
  const value = (annotations as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : '';
}

