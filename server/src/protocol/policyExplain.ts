// Client <-> language server: "explain a request" against the policy open in an editor (the request:
// editorRequests.ts).

export interface ExplainParams {
  /** URI of an open policy document. */
  uri: string;
  request: ExplainRequest;
}

/** `undefined` (null on the wire) when the document is not a policy the apiserver would load. */
export type ExplainResponse = ExplainResult | null;

export interface ExplainRequest {
  user?: string;
  groups?: string[];
  verb: string;
  /** e.g. "pods/exec" or "deployments" */
  resource?: string;
  /** default: from the catalog when the resource name is unambiguous, else "" */
  apiGroup?: string;
  namespace?: string;
  name?: string;
  /** non-resource URL, e.g. /healthz */
  path?: string;
}

export interface ExplainResult {
  /** 0-based index into the policy's rules[] */
  ruleIndex?: number;
  /** 0-based line of the rule's "-" */
  ruleLine?: number;
  level: string;
  omitStages: string[];
  omitManagedFields: boolean;
  requestBodyLogged: boolean;
  responseBodyLogged: boolean;
  /** one or two plain sentences */
  summary: string;
}
