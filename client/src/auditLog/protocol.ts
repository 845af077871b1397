// Messages between the audit log webview and the extension host. Both sides import this file, so a
// message that one side sends and the other does not understand is a type error.
import type { AuditRow, SkippedLine } from '../../../server/src/auditlog/event';

export type { AuditRow, SkippedLine };

export type FromWebviewMessage =
  | { type: 'ready' }
  /** Open the log as text, at a 1-based line when given. */
  | { type: 'openRaw'; line?: number };

export type ToWebviewMessage =
  | {
      type: 'preview';
      fileName: string;
      sizeBytes: number;
      rows: AuditRow[];
      skipped: SkippedLine[];
      complete: boolean;
    }
  | { type: 'error'; message: string };
