// Client <-> language server: custom requests of the audit log viewer. The server owns the open logs
// (it reads the files and holds their rows); the client only relays pages to its webview. Shared by
// both sides so that method names and payload shapes cannot drift apart.
import type { AuditRow, SkippedLine } from '../auditlog/event';

export const LogMethods = {
  open: 'k8sAudit/log/open',
  rows: 'k8sAudit/log/rows',
  close: 'k8sAudit/log/close',
  event: 'k8sAudit/log/event',
  /** Notification from the server: the file grew (rows were added) or was replaced (rotation). */
  changed: 'k8sAudit/log/changed',
} as const;

export interface LogOpenParams {
  /** Absolute file system path of the log. */
  path: string;
}

export interface LogOpenResult {
  sessionId: number;
  sizeBytes: number;
  rowCount: number;
  /** False when only the first part of the file is available. */
  complete: boolean;
  skipped: SkippedLine[];
  pendingLine?: number;
}

export interface LogChangedParams {
  sessionId: number;
  sizeBytes: number;
  rowCount: number;
  complete: boolean;
  skipped: SkippedLine[];
  /** True when the file was replaced or truncated: earlier rows are gone and indexes start over. */
  reset: boolean;
  /** A last line still being written (not yet valid JSON), if any. */
  pendingLine?: number;
}

export interface LogRowsParams {
  sessionId: number;
  /** 0-based index of the first row. */
  start: number;
  count: number;
}

export interface LogRowsResult {
  start: number;
  rows: AuditRow[];
}

export interface LogCloseParams {
  sessionId: number;
}

export interface LogEventParams {
  sessionId: number;
  /** 0-based row index. */
  index: number;
  /** Show secret values instead of redaction markers. */
  reveal: boolean;
}

export interface LogEventResult {
  index: number;
  line: number;
  /** The whole event, pretty-printed JSON (redacted unless revealed), or the raw line if it is not JSON. */
  json: string;
  /** How many values were redacted (0 when revealed or nothing secret). */
  redactions: number;
}
