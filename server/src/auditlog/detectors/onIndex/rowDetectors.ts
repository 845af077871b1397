import { decideInScope, type CompiledDetector } from '../engine';
import type { NormalizedEvent } from '../../normalizedEvent';
import { BODY, compileIndexPredicate, NO, type RowTest } from '../../index/indexPredicate';
import type { RowColumns } from '../../index/rowColumns';
import { FLAG_REQUEST_OBJECT, FLAG_RESPONSE_OBJECT, packDetector, STRING_COLUMN_INDEX } from '../../index/schema';
import type { QueryNode } from '../../query/ast';

/**
 * Runs the detectors on each row as it is encoded. A detector's scope condition (verb, resource,
 * user...) is decided on the row's dictionary ids, each pattern tested once per distinct string,
 * which is most of the detector cost in the streaming path; a scope that reads a body, and the body
 * condition, are decided on the event by the detector engine itself (decideInScope), so outcomes are
 * those of detectRequest.
 */
const VERB = STRING_COLUMN_INDEX.verb;
const RESOURCE = STRING_COLUMN_INDEX.resource;
const SUBRESOURCE = STRING_COLUMN_INDEX.subresource;
const OUT = NO;
const UNDECIDED = BODY;
const pack = packDetector;
/** Fields a row's verb, resource and subresource ids settle: detector terms on them sort candidates once per triple. */
const KEY_FIELDS = new Set(['verb', 'resource', 'subresource']);
/** Distinct (verb, resource, subresource) triples whose candidates are kept; past this (a hostile log), candidates are found per row. */
const MAX_CACHED = 100_000;

export function rowDetectors(detectors: readonly CompiledDetector[], positions: ReadonlyMap<string, number>, source: RowColumns) {
  // bodyFlag: the row flag of the body a body condition needs (0: none needed); without it the outcome is unknown.
  type Compiled = { detector: CompiledDetector; position: number; scope: RowTest; byKey: RowTest | null; bodyFlag: number };
  const compiled: Compiled[] = [];
  for (const detector of detectors) {
    const position = positions.get(detector.definition.id);
    if (position === undefined) continue;
    const condition = detector.condition;
    const keyTerms = (condition.kind === 'and' ? condition.items : [condition]).filter((term) => readsOnly(term, KEY_FIELDS));
    const byKey = keyTerms.length === 0 ? null : compileIndexPredicate(keyTerms.length === 1 ? keyTerms[0]! : { kind: 'and', items: keyTerms }, source);
    const needs = detector.definition.needsLevel;
    const bodyFlag = detector.matchesBody === null || needs === 'Metadata' ? 0 : needs === 'RequestResponse' ? FLAG_RESPONSE_OBJECT : FLAG_REQUEST_OBJECT;
    compiled.push({ detector, position, scope: compileIndexPredicate(condition, source), byKey, bodyFlag });
  }
  // Most detectors are about a few verbs and resources (create pods, get secrets...), and most requests
  // are reads and heartbeats of others: per distinct (verb, resource, subresource), the detectors that
  // can apply at all, decided by their terms on those fields alone (the same answer for every such row).
  const candidatesOf = (row: number) => compiled.filter((c) => c.byKey === null || c.byKey(row) !== NO);
  const cache: Compiled[][][][] = [];
  let cached = 0;
  return (row: number, primary: () => NormalizedEvent, entries: number[]): void => {
    let event: NormalizedEvent | null = null;
    const forVerb = (cache[source.stringId(row, VERB)] ??= []);
    const forResource = (forVerb[source.stringId(row, RESOURCE)] ??= []);
    const subresource = source.stringId(row, SUBRESOURCE);
    let candidates = forResource[subresource];
    if (candidates === undefined) {
      candidates = candidatesOf(row);
      if (cached < MAX_CACHED) {
        forResource[subresource] = candidates;
        cached++;
      }
    }
    for (const { detector, position, scope, bodyFlag } of candidates) {
      const inScope = scope(row);
      if (inScope === OUT || (inScope === UNDECIDED && !detector.matchesScope((event ??= primary())))) continue;
      // What decideInScope finds, without the event when the row tells: a hit when no body is read,
      // unknown when the body read was not logged.
      if (detector.matchesBody === null) {
        entries.push(pack(position, false));
        continue;
      }
      if (bodyFlag !== 0 && (source.flags(row) & bodyFlag) === 0) {
        entries.push(pack(position, true));
        continue;
      }
      const finding = decideInScope(detector, (event ??= primary()));
      if (finding !== null) entries.push(pack(position, finding.outcome === 'unknown'));
    }
  };
}

/** Whether every field a query term reads is one of `fields` (index fields only; paths and free text read more). */
function readsOnly(node: QueryNode, fields: ReadonlySet<string>): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.items.every((item) => readsOnly(item, fields));
    case 'not':
      return readsOnly(node.item, fields);
    case 'match':
    case 'compare':
      return node.field.kind === 'index' && fields.has(node.field.name);
    default:
      return false;
  }
}
