// Client <-> language server: custom requests about audit logs. Shared by both sides so that the
// method name and the payload shapes cannot drift apart.
import type { LogPreview } from '../auditlog/preview';

export const LOG_PREVIEW_METHOD = 'k8sAudit/logPreview';

export interface LogPreviewParams {
  /** Absolute file system path of the log. */
  path: string;
  maxRows: number;
}

export type LogPreviewResult = LogPreview;
