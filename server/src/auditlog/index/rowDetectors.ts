import { decideInScope, type CompiledDetector } from '../detectors/engine';
import type { NormalizedEvent } from '../normalizedEvent';
import { parseQuery } from '../query/parser';
import { BODY, compileIndexPredicate, NO, type RowTest } from './indexPredicate';
import type { RowColumns } from './rowColumns';
import { packDetector, STRING_COLUMN_INDEX } from './schema';
import type { QueryNode } from '../query/ast';
import { compilePattern } from '../query/pattern';

/**
 * Runs the detectors on each row as it is encoded. A detector's scope condition (verb, resource,
 * user...) is decided on the row's dictionary ids, each pattern tested once per distinct string,
 * which is most of the detector cost in the streaming path; a scope that reads a body, and the body
 * condition, are decided on the event by the detector engine itself (decideInScope), so outcomes are
 * those of detectRequest.
 */
const VERB = STRING_COLUMN_INDEX.verb;
const OUT = NO;
const UNDECIDED = BODY;
const pack = packDetector;

export function rowDetectors(detectors: readonly CompiledDetector[], positions: ReadonlyMap<string, number>, source: RowColumns) {
  type Compiled = { detector: CompiledDetector; position: number; scope: RowTest; verbs: ((verb: string) => boolean) | null };
  const compiled: Compiled[] = [];
  for (const detector of detectors) {
    const position = positions.get(detector.definition.id);
    if (position === undefined) continue;
    const condition = parseQuery(detector.definition.condition);
    compiled.push({ detector, position, scope: compileIndexPredicate(condition, source), verbs: requiredVerbs(condition) });
  }
  // Most detectors are about a few verbs (create, delete, exec...) and most requests are reads and
  // heartbeats: per distinct verb, the detectors that can apply at all.
  const byVerb: Compiled[][] = [];
  return (row: number, event: NormalizedEvent, entries: number[]): void => {
    const verbId = source.stringId(row, VERB);
    let candidates = byVerb[verbId];
    if (candidates === undefined) {
      const verb = source.dictionaryStrings(VERB)[verbId]!;
      byVerb[verbId] = candidates = compiled.filter((c) => c.verbs === null || c.verbs(verb));
    }
    for (const { detector, position, scope } of candidates) {
      const inScope = scope(row);
      if (inScope === OUT || (inScope === UNDECIDED && !detector.matchesScope(event))) continue;
      const finding = decideInScope(detector, event);
      if (finding !== null) entries.push(pack(position, finding.outcome === 'unknown'));
    }
  };
}

/** The verbs a condition requires (a verb:... term at its top level, not negated), as a test; null if any verb may do. */
function requiredVerbs(condition: QueryNode): ((verb: string) => boolean) | null {
  const terms = condition.kind === 'and' ? condition.items : [condition];
  for (const term of terms) {
    if (term.kind === 'match' && term.field.kind === 'index' && term.field.name === 'verb') {
      const tests = term.values.map(compilePattern);
      return (verb) => tests.some((test) => test(verb));
    }
  }
  return null;
}
