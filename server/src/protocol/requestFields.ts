/**
 * The fields of one API request as the engines read them from its events, declared once, in one
 * table. Derived from it: the event's fields (RequestFields: auditlog NormalizedEvent, the log index's
 * IndexRow and the viewer's ViewerRow take theirs from here), the log index's text and number columns
 * (auditlog/index/schema.ts), the query language's field names, and the ClickHouse table's columns of
 * these fields (store/schema.ts).
 *
 * The order is the order of the log index's text columns, which the field scanner's WebAssembly has
 * baked in (reader/assembly/fieldScanner.ts, C_*; test/unit/auditlog/reader/columnOrder.test.ts holds
 * the two equal): a new text field needs a column there too.
 */
export const REQUEST_FIELDS = {
  user: { type: 'text' },
  impersonatedUser: { type: 'text' },
  verb: { type: 'text' },
  apiGroup: { type: 'text' },
  resource: { type: 'text' },
  subresource: { type: 'text' },
  /** "resource/subresource": the value `resource:pods/exec` compares with. Not a query field of its own. */
  resourcePath: { type: 'text', derived: true, query: false },
  namespace: { type: 'text' },
  /** objectRef.name, or the created object's name when a create used generateName. */
  name: { type: 'text' },
  requestURI: { type: 'text' },
  /** The first of sourceIPs: the client as the apiserver saw it before any proxy hop. */
  sourceIP: { type: 'text' },
  userAgent: { type: 'text' },
  level: { type: 'text' },
  stage: { type: 'text' },
  /** annotations["authorization.k8s.io/decision"], '' without one. */
  decision: { type: 'text', derived: true },
  /** annotations["authorization.k8s.io/reason"], '' without one. */
  reason: { type: 'text', derived: true },
  /** user.groups; the log index keeps the whole list as one dictionary key. */
  groups: { type: 'texts' },
  /** The log index keeps it apart, as searchable bytes (auditIdBytes.ts), not as a text column. */
  auditID: { type: 'text', column: false },
  /** stageTimestamp - requestReceivedTimestamp, whole milliseconds; the query language calls it `latency`. */
  latencyMs: { type: 'integer', query: 'latency' },
  code: { type: 'number' },
} as const satisfies Readonly<Record<string, FieldDeclaration>>;

interface FieldDeclaration {
  /** text: a string ('' when the record lacks it); texts: a list of strings; integer, number: null when the record lacks it. */
  type: FieldType;
  /** Computed from the event's other values for queries (the log index and ClickHouse keep it as a column), not a field of the event. */
  derived?: true;
  /** Its name in the query language when not the same; false: not a query field. */
  query?: string | false;
  /** false: the log index does not keep it as a column of its type. */
  column?: false;
}

export type FieldType = 'text' | 'texts' | 'integer' | 'number';

type Table = typeof REQUEST_FIELDS;
type FieldValue<T extends FieldType> = T extends 'text' ? string : T extends 'texts' ? readonly string[] : number | null;

/** The names of the table, in its order (the index's text column order). */
export type TableFieldName = keyof Table;
export const TABLE_FIELD_NAMES = Object.keys(REQUEST_FIELDS) as TableFieldName[];

/** A field the event itself carries (not derived). */
export type RequestFieldName = { [K in TableFieldName]: Table[K] extends { derived: true } ? never : K }[TableFieldName];

/**
 * A request's own fields. Strings are '' and numbers null when the record lacks them, so consumers
 * never branch on undefined. The time is not here: each holds it its own way (epoch ms or NaN, epoch
 * ms or null, ISO text).
 */
export type RequestFields = { -readonly [K in RequestFieldName]: FieldValue<Table[K]['type']> };

/** The query language's name of each table field that is a query field. */
export type QueryName<K extends TableFieldName> = Table[K] extends { query: false } ? never : Table[K] extends { query: infer Q extends string } ? Q : K;

/**
 * The fields the query language names (auditlog/query/fields.ts defines each): the table's, its
 * time, and the exec command read from its URI.
 */
export type QueryFieldName = { [K in TableFieldName]: QueryName<K> }[TableFieldName] | 'time' | 'command';

/** A table field's name in the query language (null: not a query field). */
export function queryNameOf(name: TableFieldName): string | null {
  const declared: FieldDeclaration = REQUEST_FIELDS[name];
  return declared.query === false ? null : (declared.query ?? name);
}
