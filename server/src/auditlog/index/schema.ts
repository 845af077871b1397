// The layout of one index row, shared by the code that encodes rows (in a worker) and the code that
// stores and queries them (in the index). One row is one request: the fields of its most complete
// stage (the one the streaming path's requestPredicate and detectors look at), plus where its stages are.

import type { RequestFieldName } from '../../protocol/requestFields';
import { STAGE_BITS } from '../../protocol/vocabulary';

/**
 * Text fields, dictionary-encoded: each row holds an integer id per column, each column one string
 * table. `resourcePath` is "resource/subresource" (the value `resource:pods/exec` compares with);
 * `groups` holds the whole group list of the user as one key (see GROUP_SEPARATOR); `stage` is the
 * primary stage's.
 */
export const STRING_COLUMNS = [
  'user',
  'impersonatedUser',
  'verb',
  'apiGroup',
  'resource',
  'subresource',
  'resourcePath',
  'namespace',
  'name',
  'requestURI',
  'sourceIP',
  'userAgent',
  'level',
  'stage',
  'decision',
  'reason',
  'groups',
] as const satisfies readonly (RequestFieldName | IndexOnlyColumn)[];
/** Text columns that are not fields of the event but derived from them for queries. */
type IndexOnlyColumn = 'resourcePath' | 'decision' | 'reason';
export type StringColumn = (typeof STRING_COLUMNS)[number];
export const STRING_COLUMN_COUNT = STRING_COLUMNS.length;
export const STRING_COLUMN_INDEX: Readonly<Record<StringColumn, number>> = Object.fromEntries(STRING_COLUMNS.map((name, i) => [name, i])) as Record<StringColumn, number>;

/** Joins a group list into one dictionary key (each group preceded by NUL, so [] and [""] differ). */
export const GROUP_SEPARATOR = '\u0000';

/** Numeric fields, NaN where the streaming path has null (code, latency) or NaN (time). */
export const NUMBER_COLUMNS = ['time', 'latency', 'code', 'firstOffset', 'primaryOffset'] as const;
export type NumberColumn = (typeof NUMBER_COLUMNS)[number];
export const NUMBER_COLUMN_COUNT = NUMBER_COLUMNS.length;
export const NUM = { time: 0, latency: 1, code: 2, firstOffset: 3, primaryOffset: 4 } as const;

/** Bits of the stage mask: which stages of the request were logged. */
export { STAGE_BITS };
/** Any other (or empty) stage name. */
export const OTHER_STAGE_BIT = 16;

export function stageBit(stage: string): number {
  // Own keys only: a stage named "constructor" must not find Object.prototype's.
  return Object.hasOwn(STAGE_BITS, stage) ? STAGE_BITS[stage]! : OTHER_STAGE_BIT;
}

/** The primary stage is the last stage of the highest rank, as requests.ts groups them. */
export { stageRank } from '../requests';

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
