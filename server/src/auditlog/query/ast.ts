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

/**
 * field:value, field:(a OR b): true when the field matches any of the values. On a JSON path: when
 * some value the path reaches (null and missing ones aside) matches.
 */
export interface MatchNode {
  kind: 'match';
  field: FieldRef;
  values: ValuePattern[];
  offset: number;
}

/** field>N and the like; on a JSON path, when some number the path reaches compares so. */
export interface CompareNode {
  kind: 'compare';
  field: FieldRef;
  op: ComparisonOperator;
  value: number;
  offset: number;
}

/** A match or comparison on a JSON path: the term `every` quantifies. */
export type PathTerm = (MatchNode | CompareNode) & { field: Extract<FieldRef, { kind: 'path' }> };

export type QueryNode =
  | { kind: 'all' }
  | { kind: 'and'; items: QueryNode[] }
  | { kind: 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | MatchNode
  | CompareNode
  /**
   * `all(PATH:VALUE)`, `all(PATH>N)`: EVERY value the path reaches (null and missing ones aside)
   * satisfies the term, which alone means SOME value does; true when the path reaches none (as jq's
   * all/2 and SQL's ALL). `-all(…)` is "some value does not": a pod with one untrusted image among
   * trusted ones. Equivalently NOT (some present value fails the term). An engine that can only
   * over-approximate path terms (a prefilter, then the evaluator) must let any row through.
   * (`any(…)` is the plain term and parses to it.)
   */
  | { kind: 'every'; item: PathTerm; offset: number }
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
