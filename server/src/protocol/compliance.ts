// Client <-> language server: the compliance report over the audit setup of the workspace (the
// request: editorRequests.ts).

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

/**
 * The compliance report: one entry per control, each with a status and the lines that are its
 * evidence. JSON shape (k8s-audit report --format json):
 * `{ controls: [{ id, title, status, detail, evidence: [{ file, line, text }], remediation }], ... }`.
 * Every status but "manual" carries evidence.
 */
export type ControlStatus = 'pass' | 'fail' | 'partial' | 'manual';

export interface Evidence {
  /** The file as the user named it (CLI argument, or the path in the workspace). */
  file: string;
  /** 1-based. */
  line: number;
  /** The line itself (trimmed), or a one-line description of a log event. */
  text: string;
}

export interface ControlResult {
  id: ControlId;
  title: string;
  status: ControlStatus;
  /** Why this status, in a sentence or two. */
  detail: string;
  evidence: Evidence[];
  remediation: string;
}

export const CONTROL_IDS = ['cis-1.2.16', 'cis-1.2.17', 'cis-1.2.18', 'cis-1.2.19', 'cis-3.2.1', 'cis-3.2.2', 'soc2-cc6.1', 'soc2-cc7.2', 'pci-dss-10.2', 'pci-dss-10.5', 'hipaa-164.312b'] as const;
export type ControlId = (typeof CONTROL_IDS)[number];

/** A log event as evidence: where it is and what it was. */
export interface LoggedExample extends Evidence {}

/** What the audit logs given to the report show (see logEvidence.ts). */
export interface LogEvidence {
  files: string[];
  events: number;
  requests: number;
  /** ISO times of the first and last request, when the log has times. */
  from?: string;
  to?: string;
  /** The first and the last request in time, as evidence. */
  span?: { first: LoggedExample; last: LoggedExample };
  /** Requests per level (the level of the most complete stage). */
  levels: Record<string, number>;
  /** Must-log categories: how many requests of each, and the first one. */
  categories: { id: string; title: string; count: number; example?: LoggedExample }[];
  /** The longest silences between requests, longest first (those that look like dropped events). */
  gaps: { from: string; to: string; minutes: number; suspicious: boolean; after?: LoggedExample }[];
  /** Requests in the log that the policy given would not log (level None), by verb and resource. */
  policyMisses: { what: string; count: number; example: LoggedExample }[];
  /** Requests per namespace, for the namespaces the report is asked about. */
  namespaces: Record<string, { count: number; example?: LoggedExample }>;
  detections: { detector: string; title: string; severity: string; count: number; example: LoggedExample }[];
  /** Files that could not be read. */
  errors: { file: string; message: string }[];
}

export interface ComplianceReport {
  generatedBy: string;
  inputs: { policy: string | null; manifests: string[]; logs: string[] };
  controls: ControlResult[];
  summary: Record<ControlStatus, number>;
  log?: LogEvidence;
}
