/** A value to match: literal parts with a `*` wildcard between each pair (one part: no wildcard). */
export interface ValuePattern {
  parts: string[];
  /** The value as written (for errors and the jq translation of comparisons). */
  source: string;
  /** Offset of the value in the query text. */
  offset: number;
}

export type ComparisonOperator = '>' | '>=' | '<' | '<=';

/** A JSON path step: an object key, every element of an array (`[]`), or one element (`[2]`). */
export type PathStep = { key: string } | { each: true } | { index: number };

/** A path into the Event; several alternatives when an alias expands (podSpec: pod and templates). */
export type JsonPath = PathStep[][];

export type FieldRef = { kind: 'index'; name: string } | { kind: 'path'; path: JsonPath; text: string };

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  /** field:value, field:(a OR b): true when the field matches any of the values. */
  | { kind: 'match'; field: FieldRef; values: ValuePattern[]; offset: number }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOperator; value: number; offset: number }
  /** Free text: case-insensitive match anywhere in the indexed text fields. */
  | { kind: 'text'; value: ValuePattern; offset: number };

/** A query that cannot be parsed: where (offset and length in the query text) and why. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly length = 1,
  ) {
    super(message);
  }
}
