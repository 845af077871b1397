// Messages between the audit log webview and the extension host. Both sides import this file, so a
// message that one side sends and the other does not understand is a type error.
import type { AuditRow, SkippedLine } from '../../../server/src/auditlog/event';

export type { AuditRow, SkippedLine };

export type FromWebviewMessage =
  | { type: 'ready' }
  /** Rows [start, start + count) of the current view; answered by a `rows` message with the same id. */
  | { type: 'getRows'; requestId: number; start: number; count: number }
  /** The whole event of row `index`, secrets redacted unless `reveal`. Answered by `event`. */
  | { type: 'getEvent'; requestId: number; index: number; reveal: boolean }
  /** Put text on the clipboard (webviews cannot reach it reliably themselves). */
  | { type: 'copy'; text: string }
  /** Open the log as text, at a 1-based line when given. */
  | { type: 'openRaw'; line?: number };

export type ToWebviewMessage =
  | { type: 'opened'; fileName: string; sizeBytes: number; rowCount: number; complete: boolean; skipped: SkippedLine[]; pendingLine?: number }
  /** The file grew, or was replaced (`reset`: rows start over). */
  | { type: 'changed'; sizeBytes: number; rowCount: number; complete: boolean; skipped: SkippedLine[]; reset: boolean; pendingLine?: number }
  | { type: 'rows'; requestId: number; start: number; rows: AuditRow[] }
  | { type: 'event'; requestId: number; index: number; line: number; json: string; redactions: number }
  | { type: 'error'; message: string; requestId?: number };
