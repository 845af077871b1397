import type { ScannedEvent } from '../reader/scannedEvent';
import type { FieldScanner } from '../reader/fieldScanner';
import type { RowColumns } from './rowColumns';
import { NUM } from './schema';

/**
 * The index's view of a row (RowColumns) over one event the field scanner just read: its dictionary
 * ids, numbers and row flags, as the index stores them for a request whose primary stage it is. So a
 * streaming read decides queries and detectors with the index's predicates (each pattern tested once
 * per distinct string), not field by field. The row number is ignored: it is always `current`.
 */
export class ScannedEventColumns implements RowColumns {
  current!: ScannedEvent;

  constructor(private readonly scanner: FieldScanner) {}

  /** The columns of `event` (read by the scanner this view was made for). */
  of(event: ScannedEvent): this {
    this.current = event;
    return this;
  }

  stringId(_row: number, column: number): number {
    return this.current.id(column);
  }

  dictionaryStrings(column: number): readonly string[] {
    return this.scanner.strings[column]!;
  }

  number(_row: number, column: number): number {
    const event = this.current;
    if (column === NUM.time) return event.time;
    if (column === NUM.latency) return event.latencyMs ?? NaN;
    if (column === NUM.code) return event.code ?? NaN;
    return event.offset;
  }

  flags(): number {
    return this.current.rowFlags;
  }

  auditID(): string {
    return this.current.auditID;
  }
}

/** Something made per scanner over a view of its events (dictionary ids mean nothing to another scanner). */
export class ScannerViews<T> {
  private readonly views = new WeakMap<FieldScanner, { columns: ScannedEventColumns; value: T }>();
  /** The last scanner's view (a read has one scanner: no map lookup per event). */
  private last: { scanner: FieldScanner; view: { columns: ScannedEventColumns; value: T } } | null = null;

  constructor(private readonly make: (columns: ScannedEventColumns) => T) {}

  /** What `make` gave for the event's scanner, its view now showing the event. */
  of(event: ScannedEvent): T {
    let view = this.last?.scanner === event.scanner ? this.last.view : this.views.get(event.scanner);
    if (view === undefined) {
      const columns = new ScannedEventColumns(event.scanner);
      view = { columns, value: this.make(columns) };
      this.views.set(event.scanner, view);
    }
    if (this.last?.scanner !== event.scanner) this.last = { scanner: event.scanner, view };
    view.columns.of(event);
    return view.value;
  }
}
