import { VIEWER_FIELDS, type ViewerFieldName } from '../../../server/src/protocol/viewerFields';
import type { ViewerRow, ViewerStatus } from '../../../server/src/protocol/logViewerPage';

/** A column of the table: a field of the viewer's list (protocol/viewerFields), one of the table's own, or a JSON path. */
export type ColumnId = ViewerFieldName | 'mark' | 'stages' | 'detectors' | `path:${string}`;

export interface Column {
  id: ColumnId;
  title: string;
  /** CSS grid track size (until the user resizes the column). */
  width: string;
  value(row: ViewerRow): string;
  /** For a JSON path column: the path, whose values the server sends with each page of rows. */
  path?: string;
  /** Header tooltip. */
  description?: string;
  /** A cell's tooltip, when its text leaves something out (the Time column's date). */
  tooltip?(row: ViewerRow): string;
  /** Offered in the column chooser but not shown until the user picks it. */
  hiddenByDefault?: boolean;
}

/** A column showing the value at a JSON path of each request's event (checked by the server first). */
export function pathColumn(path: string): Column {
  return {
    id: `path:${path}`,
    title: path,
    width: 'minmax(8em, 1.5fr)',
    path,
    description: `${path} (JSON path of the event; not sortable)`,
    // Own keys only: a path named like an Object.prototype member must not read the prototype.
    value: (row) => (row.paths && Object.hasOwn(row.paths, path) ? row.paths[path]! : ''),
  };
}

/** The mark column says the severity in text too: colour is never the only signal. */
const MARK_TEXT: Record<ViewerRow['mark'], string> = { '': '', unknown: '?', info: 'i', low: 'L', medium: 'M', high: 'H', critical: 'C' };

/**
 * The UTC day every request of the log is on ('2026-02-22'), or '' when the log spans several days (or
 * has no times yet). On one day the Time column shows the time of day only (13 characters instead of
 * 24), the date in the tooltips, which leaves the width to the user names.
 */
export const timeDisplay = { day: '' };

/** The day the Time column can leave out for a log spanning `span`; '' when it spans several days. */
export function singleDay(span: ViewerStatus['timeSpan']): string {
  return span !== null && span.first.slice(0, 10) === span.last.slice(0, 10) ? span.first.slice(0, 10) : '';
}

// Default widths, in the editor font (monospace, about 0.6em a character), chosen so that at 1500x950
// (explorer and side panel open, a one-day log) mark, time, user, verb, resource, namespace, name and
// code are whole: the user column fits a node name (system:node:ip-10-0-1-12) and an email; longer
// service account names are cut with an ellipsis. At 1366x768 the first six fit.
export const COLUMNS: readonly Column[] = [
  { id: 'mark', title: '', width: '2em', value: (row) => MARK_TEXT[row.mark] },
  {
    id: 'time',
    title: VIEWER_FIELDS.time.title,
    get width() {
      return timeDisplay.day ? '9.5em' : '16em';
    },
    get description() {
      return timeDisplay.day ? `When the request was received (UTC), on ${timeDisplay.day}: the whole log is on that day` : 'When the request was received (UTC)';
    },
    value: (row) => (timeDisplay.day && row.time.startsWith(timeDisplay.day) ? row.time.slice(11) : row.time),
    tooltip: (row) => row.time,
  },
  { id: 'user', title: VIEWER_FIELDS.user.title, width: 'minmax(16em, 2fr)', value: (row) => (row.impersonatedUser ? `${row.user} as ${row.impersonatedUser}` : row.user) },
  { id: 'verb', title: VIEWER_FIELDS.verb.title, width: '6em', value: (row) => row.verb },
  { id: 'resource', title: VIEWER_FIELDS.resource.title, width: 'minmax(9em, 1.5fr)', value: (row) => row.resource },
  { id: 'namespace', title: VIEWER_FIELDS.namespace.title, width: '8.5em', value: (row) => row.namespace },
  { id: 'name', title: VIEWER_FIELDS.name.title, width: 'minmax(8.5em, 1fr)', value: (row) => row.name },
  // Wide enough for the title with its sort arrow.
  { id: 'code', title: VIEWER_FIELDS.code.title, width: '5em', value: (row) => (row.code === null ? '' : String(row.code)) },
  { id: 'latency', title: VIEWER_FIELDS.latency.title, width: '5em', value: (row) => (row.latencyMs === null ? '' : `${Math.round(row.latencyMs)} ms`) },
  { id: 'sourceIP', title: VIEWER_FIELDS.sourceIP.title, width: '8em', value: (row) => row.sourceIP },
  { id: 'stages', title: 'Stages', width: 'minmax(8em, 1fr)', value: (row) => row.stages },
  { id: 'detectors', title: 'Detections', width: 'minmax(8em, 1.5fr)', value: (row) => row.detectors.join(' · '), description: 'What the detectors found in the request (the mark column shows the worst)' },
  { id: 'userAgent', title: VIEWER_FIELDS.userAgent.title, width: 'minmax(8em, 1.5fr)', value: (row) => row.userAgent, hiddenByDefault: true },
];
