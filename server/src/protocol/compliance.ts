// Client <-> language server: the compliance report over the audit setup of the workspace.
import type { ComplianceReport, ControlResult, ControlStatus, Evidence, LogEvidence } from '../cluster/compliance/types';

export type { ComplianceReport, ControlResult, ControlStatus, Evidence, LogEvidence };

export const COMPLIANCE_REPORT_METHOD = 'k8sAudit/compliance/report';

export interface ComplianceReportParams {
  /** File-system paths. Setup files named on purpose: one that is not a setup file is a problem. */
  manifests?: string[];
  /** Files that may be setup files (a workspace search): the others are skipped silently. */
  candidates?: string[];
  /** The policy; without it, the file --audit-policy-file names is looked for. */
  policy?: string;
  logs?: string[];
}

export interface ComplianceReportResult {
  report: ComplianceReport;
  /** Files that could not be read or are not what they were named as. */
  problems: { file: string; message: string }[];
}
