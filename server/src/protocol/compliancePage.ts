// Messages between the compliance report webview and the extension host. Both sides import this file.
import type { ComplianceReport, ComplianceReportResult } from './compliance';

export type { ComplianceReport };

export type ToReportWebview =
  /** The report, the files that could not be used, and the workspace folders (to show paths relative to them). */
  | { type: 'report'; result: ComplianceReportResult; folders: string[] }
  | { type: 'busy'; text: string }
  | { type: 'error'; message: string };

export type FromReportWebview =
  | { type: 'ready' }
  /** Show the line that is a piece of evidence. */
  | { type: 'openEvidence'; file: string; line: number }
  | { type: 'export'; format: 'markdown' | 'html' }
  /** Pick audit logs to add to the report's inputs. */
  | { type: 'addLogs' }
  | { type: 'refresh' };
