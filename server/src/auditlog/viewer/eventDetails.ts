import type { ViewerEventResult } from '../../protocol/logViewer';
import type { DetectorDefinitions } from '../detectors';
import { redactEvent } from '../redact';
import { detectorInfo } from './viewerRow';

/**
 * The details pane's JSON of a request: its most complete stage and its other stages, pretty, with
 * secret values hidden in every one of them unless `reveal`.
 */
export function shownStages(primary: Record<string, unknown>, others: readonly { stage: string; event: Record<string, unknown> }[], reveal: boolean): Pick<ViewerEventResult, 'json' | 'otherStages' | 'redactions'> {
  let redactions = 0;
  const shown = (event: Record<string, unknown>) => {
    if (reveal) return JSON.stringify(event, null, 2);
    const redacted = redactEvent(event);
    redactions += redacted.redactions.length;
    return JSON.stringify(redacted.value, null, 2);
  };
  const json = shown(primary);
  const otherStages = others.map(({ stage, event }) => ({ stage, json: shown(event) }));
  return { json, otherStages, redactions };
}

/** A request's detections as the details pane lists them: what each means and what to do. */
export function detailedDetections(detectors: readonly { id: string; outcome: 'hit' | 'unknown' }[], definitions: DetectorDefinitions): ViewerEventResult['detections'] {
  return detectors.map(({ id, outcome }) => {
    const { query: _query, ...info } = detectorInfo(id, definitions);
    return { ...info, outcome };
  });
}
