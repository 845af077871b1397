import { SEVERITIES, type Severity } from '../../protocol/vocabulary';

export { SEVERITIES, type Severity };

/** The audit level an event must have been logged at for its body-based condition to be decidable. */
export type NeedsLevel = 'Metadata' | 'Request' | 'RequestResponse';

export type DetectorGroup = 'secrets' | 'exec-and-node' | 'pod-spec' | 'workloads' | 'rbac' | 'authn' | 'credentials' | 'defense-evasion' | 'activity' | 'custom';
export const DETECTOR_GROUPS: readonly DetectorGroup[] = ['secrets', 'exec-and-node', 'pod-spec', 'workloads', 'rbac', 'authn', 'credentials', 'defense-evasion', 'activity', 'custom'];

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

/** Request fields a window detector can group by or count distinct values of (index columns of the same names). */
export const WINDOW_FIELDS = ['user', 'sourceIP', 'userAgent', 'impersonatedUser', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace', 'name'] as const;
export type WindowField = (typeof WINDOW_FIELDS)[number];

/**
 * What makes a window detector fire: among the requests its `condition` selects, `threshold` of them
 * (or `threshold` distinct values of `distinct`) with the same `key` within `windowMs`.
 */
export interface WindowSpec {
  /** Requests are counted per value of these fields (all must be non-empty). */
  key: WindowField[];
  /** Count distinct values of these fields (joined) instead of requests. */
  distinct?: WindowField[];
  threshold: number;
  windowMs: number;
}

/**
 * A detector over a stretch of time ("10 denials from one IP in a minute"). `condition` says which
 * requests count; it cannot say "burst", so the burst is data too. Every request of a burst is a hit
 * (see slidingWindow.ts). Has no body condition: counting is on fields present at every level.
 */
export interface WindowDetectorDefinition extends DetectorDefinition {
  window: WindowSpec;
}

export function isWindowDetector(definition: DetectorDefinition): definition is WindowDetectorDefinition {
  return (definition as Partial<WindowDetectorDefinition>).window !== undefined;
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}
