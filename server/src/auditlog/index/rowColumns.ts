/**
 * What the index predicate reads of a row. Two implementations: the index itself (queries) and the
 * row encoder of a segment reader (detectors decided on the row just encoded), so both evaluate the
 * query language the same way. Column numbers follow STRING_COLUMNS and NUM in schema.ts.
 */
export interface RowColumns {
  stringId(row: number, column: number): number;
  /** The column's string table; the same array for the life of the source (it only grows). */
  dictionaryStrings(column: number): readonly string[];
  number(row: number, column: number): number;
  flags(row: number): number;
  auditID(row: number): string;
  /**
   * True when no string is added while a compiled predicate is in use (a query over the index runs
   * synchronously); predicates may then drop terms that no dictionary string satisfies.
   */
  readonly stable?: boolean;
  /** Optional fast path for free text: a flag per row whose auditID contains the (lower-case) text; null if unavailable. */
  auditIdsContaining?(needle: string): Uint8Array | null;
}
