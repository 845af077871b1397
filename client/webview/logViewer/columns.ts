import type { ViewerRow } from '../../src/auditLog/protocol';

export interface Column {
  id: string;
  title: string;
  /** CSS grid track size (until the user resizes the column). */
  width: string;
  value(row: ViewerRow): string;
  /** For a JSON path column: the path, whose values the server sends with each page of rows. */
  path?: string;
  /** Header tooltip. */
  description?: string;
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

export const COLUMNS: readonly Column[] = [
  { id: 'mark', title: '', width: '2em', value: (row) => MARK_TEXT[row.mark] },
  { id: 'time', title: 'Time', width: '17em', value: (row) => row.time },
  { id: 'user', title: 'User', width: 'minmax(10em, 2fr)', value: (row) => (row.impersonatedUser ? `${row.user} as ${row.impersonatedUser}` : row.user) },
  { id: 'verb', title: 'Verb', width: '6em', value: (row) => row.verb },
  { id: 'resource', title: 'Resource', width: 'minmax(8em, 1.5fr)', value: (row) => row.resource },
  { id: 'namespace', title: 'Namespace', width: '8em', value: (row) => row.namespace },
  { id: 'name', title: 'Name', width: 'minmax(6em, 1fr)', value: (row) => row.name },
  { id: 'code', title: 'Code', width: '4em', value: (row) => (row.code === null ? '' : String(row.code)) },
  { id: 'latency', title: 'Latency', width: '5em', value: (row) => (row.latencyMs === null ? '' : `${Math.round(row.latencyMs)} ms`) },
  { id: 'sourceIP', title: 'Source IP', width: '8em', value: (row) => row.sourceIP },
  { id: 'stages', title: 'Stages', width: 'minmax(8em, 1fr)', value: (row) => row.stages },
  { id: 'detectors', title: 'Detections', width: 'minmax(8em, 1.5fr)', value: (row) => row.detectors.join(' · '), description: 'What the detectors found in the request (the mark column shows the worst)' },
  { id: 'userAgent', title: 'User agent', width: 'minmax(8em, 1.5fr)', value: (row) => row.userAgent, hiddenByDefault: true },
];
