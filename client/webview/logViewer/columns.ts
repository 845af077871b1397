import type { AuditRow } from '../../src/auditLog/protocol';

export interface Column {
  id: string;
  title: string;
  /** CSS grid track size. */
  width: string;
  value(row: AuditRow): string;
}

export const COLUMNS: readonly Column[] = [
  { id: 'time', title: 'Time', width: '17em', value: (row) => row.time },
  { id: 'stage', title: 'Stage', width: '9em', value: (row) => row.stage },
  { id: 'user', title: 'User', width: 'minmax(10em, 2fr)', value: (row) => row.user },
  { id: 'verb', title: 'Verb', width: '6em', value: (row) => row.verb },
  { id: 'resource', title: 'Resource', width: 'minmax(8em, 1.5fr)', value: (row) => row.resource },
  { id: 'namespace', title: 'Namespace', width: '8em', value: (row) => row.namespace },
  { id: 'name', title: 'Name', width: 'minmax(6em, 1fr)', value: (row) => row.name },
  { id: 'code', title: 'Code', width: '4em', value: (row) => (row.code === null ? '' : String(row.code)) },
  { id: 'sourceIP', title: 'Source IP', width: '8em', value: (row) => row.sourceIP },
];
