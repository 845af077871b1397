// Client <-> language server: "explain a request" against the policy open in an editor.
import type { ExplainRequest, ExplainResult } from '../policy/features/explain';

export type { ExplainRequest, ExplainResult };

export const EXPLAIN_METHOD = 'k8sAudit/policy/explain';

export interface ExplainParams {
  /** URI of an open policy document. */
  uri: string;
  request: ExplainRequest;
}

/** `undefined` (null on the wire) when the document is not a policy the apiserver would load. */
export type ExplainResponse = ExplainResult | null;
