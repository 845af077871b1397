import type { FieldScanner } from '../reader/fieldScanner';
import { STRING_COLUMNS } from './schema';

// The string tables a RowEncoder numbers text values with: segment-local ids, sent to the index with
// each batch (newStrings). Kept in JavaScript maps on the JSON.parse path, in the field scanner's
// memory when it reads the lines (it writes ids itself; strings of other events are interned into it).

/** Dictionaries up to this size are searched by comparison (see LocalDictionary.id). */
const FEW = 8;

/** The string tables of the text columns: an id per distinct string, per column. */
export interface ColumnDictionaries {
  id(column: number, value: string): number;
  /** The column's strings, in id order. */
  strings(column: number): readonly string[];
  /** Strings that got ids since the last call. */
  takeNew(column: number): string[];
}

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

/** Dictionaries kept in JavaScript maps (the JSON.parse path). */
export class LocalDictionaries implements ColumnDictionaries {
  private readonly columns = STRING_COLUMNS.map(() => new LocalDictionary());

  id(column: number, value: string): number {
    return this.columns[column]!.id(value);
  }

  strings(column: number): readonly string[] {
    return this.columns[column]!.strings;
  }

  takeNew(column: number): string[] {
    return this.columns[column]!.takeNew();
  }
}

/** The field scanner's dictionaries: the ids it wrote into its records, and strings of other events interned into them. */
export class ScannerDictionaries implements ColumnDictionaries {
  constructor(readonly scanner: FieldScanner) {}

  id(column: number, value: string): number {
    return this.scanner.intern(column, value);
  }

  strings(column: number): readonly string[] {
    return this.scanner.strings[column]!;
  }

  takeNew(column: number): string[] {
    return this.scanner.takeNew(column);
  }
}
