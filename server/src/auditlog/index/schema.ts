// The layout of one index row, shared by the code that encodes rows (in a worker) and the code that
// stores and queries them (in the index). One row is one request: the fields of its most complete
// stage (the one the streaming path's requestPredicate and detectors look at), plus where its stages are.

import { queryNameOf, REQUEST_FIELDS, TABLE_FIELD_NAMES, type QueryName, type TableFieldName } from '../../protocol/requestFields';
import { STAGE_BITS } from '../../protocol/vocabulary';

type Table = typeof REQUEST_FIELDS;

/**
 * Text fields, dictionary-encoded: each row holds an integer id per column, each column one string
 * table. The text and text-list fields of the request field table (protocol/requestFields.ts), in its
 * order, which the field scanner shares: `resourcePath` is "resource/subresource" (the value
 * `resource:pods/exec` compares with); `groups` holds the whole group list of the user as one key
 * (see GROUP_SEPARATOR); `stage` is the primary stage's. The auditID is kept apart (auditIdBytes.ts).
 */
export type StringColumn = { [K in TableFieldName]: Table[K] extends { column: false } ? never : Table[K] extends { type: 'text' | 'texts' } ? K : never }[TableFieldName];
export const STRING_COLUMNS: readonly StringColumn[] = TABLE_FIELD_NAMES.filter((name): name is StringColumn => {
  const declared: { type: string; column?: false } = REQUEST_FIELDS[name];
  return (declared.type === 'text' || declared.type === 'texts') && declared.column !== false;
});
export const STRING_COLUMN_COUNT = STRING_COLUMNS.length;
export const STRING_COLUMN_INDEX: Readonly<Record<StringColumn, number>> = Object.fromEntries(STRING_COLUMNS.map((name, i) => [name, i])) as Record<StringColumn, number>;

/** Joins a group list into one dictionary key (each group preceded by NUL, so [] and [""] differ). */
export const GROUP_SEPARATOR = '\u0000';

/** The table's number fields, by their query names (latency for latencyMs). */
type NumberField = { [K in TableFieldName]: Table[K] extends { type: 'integer' | 'number' } ? K : never }[TableFieldName];
type NumberFieldColumn = { [K in NumberField]: QueryName<K> }[NumberField];
/**
 * Numeric columns, NaN where the streaming path has null (code, latency) or NaN (time): the time, the
 * number fields of the request field table (by their query names), and where the request's first and
 * primary stages are in its file.
 */
export type NumberColumn = 'time' | NumberFieldColumn | 'firstOffset' | 'primaryOffset';
export const NUMBER_COLUMNS: readonly NumberColumn[] = [
  'time',
  ...TABLE_FIELD_NAMES.filter((name) => REQUEST_FIELDS[name].type === 'integer' || REQUEST_FIELDS[name].type === 'number').map((name) => queryNameOf(name) as NumberFieldColumn),
  'firstOffset',
  'primaryOffset',
];
export const NUMBER_COLUMN_COUNT = NUMBER_COLUMNS.length;
/** Each number column's position in a row's numbers. */
export const NUM: Readonly<Record<NumberColumn, number>> = Object.freeze(Object.fromEntries(NUMBER_COLUMNS.map((name, i) => [name, i])) as Record<NumberColumn, number>);

/** Bits of the stage mask: which stages of the request were logged. */
export { STAGE_BITS };
/** Any other (or empty) stage name. */
export const OTHER_STAGE_BIT = 16;

export function stageBit(stage: string): number {
  // Own keys only: a stage named "constructor" must not find Object.prototype's.
  return Object.hasOwn(STAGE_BITS, stage) ? STAGE_BITS[stage]! : OTHER_STAGE_BIT;
}

/** The primary stage is the last stage of the highest rank, as requests.ts groups them. */
export { stageRank } from '../../protocol/vocabulary';

/** Row flags. INCOMPLETE: the request's final stage was not seen in its segment (it may continue in the next one). */
export const FLAG_INCOMPLETE = 1;
/** The row was merged into an earlier row of the same request; queries skip it. */
export const FLAG_DEAD = 2;
/** The primary stage has a requestObject / responseObject (not null): body terms on rows without one are false. */
export const FLAG_REQUEST_OBJECT = 4;
export const FLAG_RESPONSE_OBJECT = 8;
/** The primary stage's impersonatedUser is an object or array (a path into it can reach a value). */
export const FLAG_IMPERSONATED_USER = 16;
/** Its annotations are an array, or an object with a key other than the two authorization.k8s.io ones. */
export const FLAG_OTHER_ANNOTATIONS = 32;
/** The annotation keys with columns of their own (decision, reason). */
export const COLUMN_ANNOTATIONS: readonly string[] = ['authorization.k8s.io/decision', 'authorization.k8s.io/reason'];
/** Flags that describe the primary stage, copied along with it when rows merge. */
export const PRIMARY_FLAGS = FLAG_REQUEST_OBJECT | FLAG_RESPONSE_OBJECT | FLAG_IMPERSONATED_USER | FLAG_OTHER_ANNOTATIONS;

/** The PRIMARY_FLAGS of a decoded Event (the field scanner computes the same from bytes). */
export function eventFlags(event: Record<string, unknown>): number {
  let flags = 0;
  if (event.requestObject !== undefined && event.requestObject !== null) flags |= FLAG_REQUEST_OBJECT;
  if (event.responseObject !== undefined && event.responseObject !== null) flags |= FLAG_RESPONSE_OBJECT;
  const impersonated = event.impersonatedUser;
  if (impersonated !== null && typeof impersonated === 'object') flags |= FLAG_IMPERSONATED_USER;
  const annotations = event.annotations;
  if (annotations !== null && typeof annotations === 'object') {
    if (Array.isArray(annotations)) flags |= FLAG_OTHER_ANNOTATIONS;
    else {
      for (const key in annotations) {
        if (key !== COLUMN_ANNOTATIONS[0] && key !== COLUMN_ANNOTATIONS[1]) {
          flags |= FLAG_OTHER_ANNOTATIONS;
          break;
        }
      }
    }
  }
  return flags;
}

/** A detector entry packs the detector's position in the catalog list and its outcome. */
export function packDetector(detector: number, unknown: boolean): number {
  return (detector << 1) | (unknown ? 1 : 0);
}
