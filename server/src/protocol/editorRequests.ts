// Client -> language server: the custom requests outside the log viewer's table (logViewer.ts), as one
// table: method -> params and result. The server registers one handler per method of it
// (lsp/editorRequests.ts) and the extension sends through one helper typed by it
// (client/src/editorRequests.ts), so no call site chooses its own result type.
import type { ComplianceReportParams, ComplianceReportResult } from './compliance';
import type { ExplainParams, ExplainResponse } from './policyExplain';
import type { SampleLogsResult, SimulateParams, SimulateResult, TuneParams, TuneResult } from './simulation';

export interface EditorRequests {
  /** "Explain a request" against the policy open in an editor. */
  explain: { params: ExplainParams; result: ExplainResponse };
  /** The compliance report over the audit setup of the workspace. */
  complianceReport: { params: ComplianceReportParams; result: ComplianceReportResult };
  /** A policy replayed over sample logs: the simulation report. */
  simulate: { params: SimulateParams; result: SimulateResult };
  /** A policy tuned to sample logs (or the starter policy, tuned). */
  tune: { params: TuneParams; result: TuneResult };
  /** The sample logs the k8sAudit.simulation.logs setting names, resolved to files. */
  sampleLogs: { params: void; result: SampleLogsResult };
}

export type EditorMethod = keyof EditorRequests;
export type EditorParams<M extends EditorMethod> = EditorRequests[M]['params'];
export type EditorResult<M extends EditorMethod> = EditorRequests[M]['result'];

/** The JSON-RPC method name of each request. */
export const EDITOR_METHOD_NAMES = {
  explain: 'k8sAudit/policy/explain',
  complianceReport: 'k8sAudit/compliance/report',
  simulate: 'k8sAudit/simulation/simulate',
  tune: 'k8sAudit/simulation/tune',
  sampleLogs: 'k8sAudit/simulation/sampleLogs',
} as const satisfies { readonly [M in EditorMethod]: string };
