import { detectRequest, unknownReason, type CompiledDetector, type CompiledWindowDetector, type DetectorFinding } from '../detectors/engine';
import type { QueryNode } from '../query/ast';
import { compileQuery, type EventPredicate } from '../query/evaluate';
import { ScannedEvent } from '../reader/scannedEvent';
import type { AuditRequest } from '../requests';
import { BODY, compileIndexPredicate, YES } from './indexPredicate';
import { rowDetectors } from '../detectors/onIndex/rowDetectors';
import { ScannerViews } from './scannedEventColumns';

// A streaming read (readLogSet with the field scanner) decides queries and detectors the way the log
// index decides a row: on dictionary ids and row flags, the event decoded only when a body must be
// read. Requests whose primary stage took the JSON.parse path are decided on the event as before.
// Same answers (the index is tested against the event evaluator on the same logs).

/** compileQuery(ast), faster on events the field scanner read (each decided as its request's primary stage). */
export function scannedEventPredicate(ast: QueryNode): EventPredicate {
  const onEvent = compileQuery(ast);
  const views = new ScannerViews((columns) => compileIndexPredicate(ast, columns));
  return (event) => {
    if (!(event instanceof ScannedEvent)) return onEvent(event);
    const answer = views.of(event)(0);
    return answer === BODY ? onEvent(event) : answer === YES;
  };
}

/** requestPredicate(compileQuery(ast)), faster on requests the field scanner read. */
export function scannedRequestPredicate(ast: QueryNode): (request: AuditRequest) => boolean {
  const onPrimary = scannedEventPredicate(ast);
  return (request) => onPrimary(request.primary);
}

/** The window detectors, their conditions decided like the index's on events the field scanner read. */
export function scannedWindowDetectors(detectors: readonly CompiledWindowDetector[]): CompiledWindowDetector[] {
  return detectors.map((detector) => ({ ...detector, matches: scannedEventPredicate(detector.condition) }));
}

/** Most requests: shared, never added to. */
const NO_FINDINGS: DetectorFinding[] = [];

/** detectRequest, faster on requests the field scanner read: the same findings in the same order. */
export function scannedDetectRequest(detectors: readonly CompiledDetector[]): (request: AuditRequest) => DetectorFinding[] {
  const positions = new Map(detectors.map((detector, i) => [detector.definition.id, i]));
  // Findings are numbered by detector id: a selection naming one id twice is decided on events.
  const byRow = positions.size === detectors.length;
  const views = new ScannerViews((columns) => rowDetectors(detectors, positions, columns));
  const entries: number[] = [];
  return (request) => {
    const primary = request.primary;
    if (!byRow || !(primary instanceof ScannedEvent)) return detectRequest(request, detectors);
    entries.length = 0;
    views.of(primary)(0, () => primary, entries);
    if (entries.length === 0) return NO_FINDINGS;
    return entries.map((entry): DetectorFinding => {
      const detector = detectors[entry >>> 1]!.definition;
      return (entry & 1) === 1 ? { detector, outcome: 'unknown', event: primary, reason: unknownReason(primary.level, detector.needsLevel) } : { detector, outcome: 'hit', event: primary };
    });
  };
}
