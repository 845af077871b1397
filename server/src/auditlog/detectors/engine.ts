import type { NormalizedEvent } from '../normalizedEvent';
import type { QueryNode } from '../query/ast';
import { compileQuery, type EventPredicate } from '../query/evaluate';
import { parseQuery } from '../query/parser';
import type { AuditRequest } from '../requests';
import { DETECTOR_CATALOG } from './catalog';
import { levelRank, LEVELS } from '../../protocol/vocabulary';
import { isWindowDetector, severityRank, type DetectorDefinition, type NeedsLevel, type Severity, type WindowDetectorDefinition } from './types';
import { WINDOW_DETECTOR_CATALOG } from './windowCatalog';

/** `hit`: the detector fired. `unknown`: the request is in scope but was logged without the body needed to decide. */
export type DetectorOutcome = 'hit' | 'unknown';

export interface DetectorFinding {
  detector: DetectorDefinition;
  outcome: DetectorOutcome;
  /** The stage the detector looked at (the request's most complete one). */
  event: NormalizedEvent;
  /** For `unknown`: "needs Request level (logged at Metadata)". */
  reason?: string;
}

export interface CompiledDetector {
  definition: DetectorDefinition;
  /** The scope condition, parsed once: the log index compiles it again over its columns (onIndex/rowDetectors). */
  condition: QueryNode;
  matchesScope: EventPredicate;
  matchesBody: EventPredicate | null;
}

export interface DetectorSelection {
  /** Run detectors that are off by default too. */
  includeDisabled?: boolean;
  /** Only detectors at or above this severity. */
  minSeverity?: Severity;
  /** Only these ids. */
  ids?: readonly string[];
  /**
   * The single-request detectors to choose from (default DETECTOR_CATALOG), e.g. built from settings
   * by resolveDetectorSettings. Plain data: the selection is structured-cloned to index workers.
   */
  catalog?: readonly DetectorDefinition[];
  /** The window detectors to choose from (default WINDOW_DETECTOR_CATALOG). */
  windows?: readonly WindowDetectorDefinition[];
}

export interface CompiledWindowDetector {
  definition: WindowDetectorDefinition;
  /** Which requests count, parsed once: the log index and ClickHouse compile it again over their columns (onIndex/windowPass, store/storeScan). */
  condition: QueryNode;
  matches: EventPredicate;
}

function selected(selection: DetectorSelection): (d: DetectorDefinition) => boolean {
  const minRank = severityRank(selection.minSeverity ?? 'info');
  return (d) => (selection.includeDisabled || !d.disabled) && severityRank(d.severity) >= minRank && (!selection.ids || selection.ids.includes(d.id));
}

/** The window detectors a selection runs, in catalog order. */
export function selectWindowDetectors(selection: DetectorSelection = {}): WindowDetectorDefinition[] {
  return (selection.windows ?? WINDOW_DETECTOR_CATALOG).filter(selected(selection));
}

/** Window detectors with their condition parsed and compiled (which requests count). */
export function compileWindowDetectors(selection: DetectorSelection = {}): CompiledWindowDetector[] {
  return selectWindowDetectors(selection).map((definition) => {
    const condition = parseQuery(definition.condition);
    return { definition, condition, matches: compileQuery(condition) };
  });
}

/** The full query text of a detector (condition and body condition), as a user could paste it. */
export function detectorQuery(definition: DetectorDefinition): string {
  if (!definition.bodyCondition) return definition.condition;
  return definition.condition ? `(${definition.condition}) (${definition.bodyCondition})` : definition.bodyCondition;
}

/** The single-request detectors a selection runs, in catalog order. */
export function selectDetectors(selection: DetectorSelection = {}, catalog: readonly DetectorDefinition[] = selection.catalog ?? DETECTOR_CATALOG): DetectorDefinition[] {
  const wanted = selected(selection);
  return catalog.filter((d) => !isWindowDetector(d) && wanted(d));
}

/** Parses every selected detector once; a catalog entry with a bad condition throws (a bug, caught by tests). */
export function compileDetectors(selection: DetectorSelection = {}, catalog: readonly DetectorDefinition[] = selection.catalog ?? DETECTOR_CATALOG): CompiledDetector[] {
  return selectDetectors(selection, catalog).map((definition) => {
    const condition = parseQuery(definition.condition);
    return {
      definition,
      condition,
      matchesScope: compileQuery(condition),
      matchesBody: definition.bodyCondition ? compileQuery(parseQuery(definition.bodyCondition)) : null,
    };
  });
}

/**
 * Whether the event carries what a body condition reads. The body itself decides (GKE and converted
 * records have bodies but no level); the stated level only explains a missing one.
 */
function missingBody(event: NormalizedEvent, needs: NeedsLevel): string | null {
  const body = needs === 'RequestResponse' ? event.event.responseObject : event.event.requestObject;
  if (needs === 'Metadata' || (body !== undefined && body !== null)) return null;
  return unknownReason(event.level, needs);
}

/** Why a request logged at `level` without the body a detector reads is unknown to it ("needs Request level (logged at Metadata)"). */
export function unknownReason(level: string, needs: NeedsLevel): string {
  const logged = level || 'Metadata';
  // A level this version does not know counts as Metadata here (levelRank would order it like None).
  const rank = (LEVELS as readonly string[]).includes(logged) ? levelRank(logged) : levelRank('Metadata');
  const detail = rank >= levelRank(needs) ? `logged at ${logged} but without ${needs === 'RequestResponse' ? 'responseObject' : 'requestObject'}` : `logged at ${logged}`;
  return `needs ${needs} level (${detail})`;
}

/** Runs detectors over one request, once, on its most complete stage. */
export function detectRequest(request: AuditRequest, detectors: readonly CompiledDetector[]): DetectorFinding[] {
  const event = request.primary;
  const findings: DetectorFinding[] = [];
  for (const detector of detectors) {
    if (!detector.matchesScope(event)) continue;
    const finding = decideInScope(detector, event);
    if (finding !== null) findings.push(finding);
  }
  return findings;
}

/**
 * The outcome for an event already known to be in the detector's scope: a hit, unknown (the body
 * it reads was not logged) or nothing. Shared with the log index, which decides scope on its columns.
 */
export function decideInScope(detector: CompiledDetector, event: NormalizedEvent): DetectorFinding | null {
  if (detector.matchesBody === null) return { detector: detector.definition, outcome: 'hit', event };
  const missing = missingBody(event, detector.definition.needsLevel);
  if (missing !== null) return { detector: detector.definition, outcome: 'unknown', event, reason: missing };
  return detector.matchesBody(event) ? { detector: detector.definition, outcome: 'hit', event } : null;
}
