import type { ViewerRow } from '../../protocol/logViewer';
import { detectorQuery, severityRank, type DetectorDefinitions, type Severity } from '../detectors';
import type { IndexRow } from '../index';
import { requestTarget } from '../requestTarget';


export interface DetectorInfo {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: string[];
  /** The detector's condition in the query language: what the viewer filters by when it is clicked. */
  query: string;
}

/** What the viewer says of a detector id, named by the session's definitions (an unknown id by itself). */
export function detectorInfo(id: string, definitions: DetectorDefinitions): DetectorInfo {
  const definition = definitions.get(id);
  if (!definition) return { id, title: id, severity: 'info', description: '', remediation: '', references: [], query: '' };
  const { title, severity, description, remediation, references } = definition;
  return { id, title, severity, description, remediation, references, query: detectorQuery(definition) };
}

/** The worst detection of a request as its mark, and every detection's title. */
export function rowMark(detectors: readonly { id: string; outcome: 'hit' | 'unknown' }[], definitions: DetectorDefinitions): { mark: ViewerRow['mark']; titles: string[] } {
  let mark: ViewerRow['mark'] = '';
  const titles: string[] = [];
  for (const { id, outcome } of detectors) {
    const info = detectorInfo(id, definitions);
    titles.push(outcome === 'unknown' ? `${info.title} (unknown: needs a body)` : info.title);
    if (outcome === 'unknown') {
      if (mark === '') mark = 'unknown';
    } else if (mark === '' || mark === 'unknown' || severityRank(info.severity) > severityRank(mark)) {
      mark = info.severity;
    }
  }
  return { mark, titles };
}

/** An indexed request as the table shows it: text cells, and the worst detection as its mark. */
export function viewerRow(row: IndexRow, position: number, definitions: DetectorDefinitions): ViewerRow {
  const { mark, titles } = rowMark(row.detectors, definitions);
  return {
    position,
    line: row.line,
    time: row.time === null ? '' : new Date(row.time).toISOString(),
    stages: row.stages.join(', '),
    user: row.user,
    impersonatedUser: row.impersonatedUser,
    verb: row.verb,
    resource: requestTarget(row),
    namespace: row.namespace,
    name: row.name,
    code: row.code,
    latencyMs: row.latencyMs,
    sourceIP: row.sourceIP,
    userAgent: row.userAgent,
    mark,
    detectors: titles,
  };
}
