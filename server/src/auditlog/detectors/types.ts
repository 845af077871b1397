export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** The audit level an event must have been logged at for its body-based condition to be decidable. */
export type NeedsLevel = 'Metadata' | 'Request' | 'RequestResponse';

export type DetectorGroup = 'secrets' | 'exec-and-node' | 'pod-spec' | 'workloads' | 'rbac' | 'authn' | 'credentials' | 'defense-evasion' | 'activity';

/**
 * A detector is data: conditions in the query language, so the filter bar, the CLI and "copy as jq"
 * all read the same definition.
 */
export interface DetectorDefinition {
  id: string;
  title: string;
  severity: Severity;
  group: DetectorGroup;
  description: string;
  remediation: string;
  /** Which requests the detector is about, from fields present at every level (verb, resource, user...). */
  condition: string;
  /** What it looks for in requestObject/responseObject; decided only when that body was logged. */
  bodyCondition?: string;
  needsLevel: NeedsLevel;
  /**
   * Where the idea comes from: `falco:<rule name>`, `sigma:<rule id>` (SigmaHQ UUID), `elastic:<rule file>`
   * (elastic/detection-rules rules/integrations/kubernetes/<file>.toml), and `panther:`, `splunk:`,
   * `datadog:`, `sentinel:` with the rule's title.
   */
  references: string[];
  /** Off by default (Falco ships these disabled, or they need a site-specific allowlist). */
  disabled?: boolean;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
