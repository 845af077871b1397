import type { NormalizedEvent } from '../normalizedEvent';
import { type FieldScanner, R_CODE, R_FLAGS, R_IDS, R_LATENCY, R_STAGE_BIT, R_TIME, SOURCE_HELD, W_SOURCE, W_SOURCE_A } from '../reader/fieldScanner';
import { encodeColumns, type RowEncoder } from './rowBatch';
import { ScannerDictionaries } from './columnDictionaries';
import { eventFlags, stageBit, STRING_COLUMN_COUNT } from './schema';

/**
 * A segment's requests when the field scanner reads it: the scanner groups the lines it reads into
 * requests itself, and the events JSON.parse read (lines it was not sure of, other formats) join the
 * same request table, held here by number until no row can name them. Rows go to the encoder in the
 * order requests complete, as RequestGrouper hands them over.
 */
export class ScannedRequests {
  private readonly held = new Map<number, NormalizedEvent>();
  private nextHeld = 1;
  private readonly ids = new Uint32Array(STRING_COLUMN_COUNT);
  private readonly dictionaries: ScannerDictionaries;

  constructor(
    private readonly scanner: FieldScanner,
    private readonly encoder: RowEncoder,
    private readonly file: number,
  ) {
    this.dictionaries = new ScannerDictionaries(scanner);
  }

  /** An event the JSON.parse path read (its offset already in file coordinates). */
  addEvent(event: NormalizedEvent): void {
    const number = this.nextHeld++;
    this.held.set(number, event);
    encodeColumns(event, this.dictionaries, this.ids, 0);
    const ids = this.ids;
    this.scanner.addHeld(
      (words, numbers, record) => {
        words.set(ids, record + R_IDS);
        words[record + R_FLAGS] = eventFlags(event.event);
        words[record + R_STAGE_BIT] = stageBit(event.stage);
        const half = record >>> 1;
        numbers[half + R_TIME] = event.time;
        numbers[half + R_LATENCY] = event.latencyMs ?? NaN;
        numbers[half + R_CODE] = event.code ?? NaN;
      },
      event.auditID,
      event.line,
      event.offset,
      number,
    );
    this.takeRows();
  }

  /** Encodes the rows the scanner wrote; forgets the events no row can name any more. */
  takeRows(): void {
    this.scanner.takeRows(
      (row) => this.encoder.addScanned(this.scanner, row, this.heldPrimary(row), this.file),
      (number) => this.held.delete(number),
    );
  }

  /** The requests still open at the end of the segment, as incomplete rows. */
  finish(): void {
    while (this.scanner.finishRequests() > 0) this.takeRows();
    this.takeRows();
  }

  private heldPrimary(row: number): NormalizedEvent | null {
    const words = this.scanner.words;
    return words[row + W_SOURCE] === SOURCE_HELD ? this.held.get(words[row + W_SOURCE_A]!)! : null;
  }
}
