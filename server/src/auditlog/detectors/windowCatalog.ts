import { DEFAULT_ALLOWLISTS, type DetectorAllowlists } from './allowlists';
import { notAnyUser } from './conditionText';
import type { WindowDetectorDefinition } from './types';

// Window detectors (spec §5 "401/403 burst per IP or user", "Burst of distinct secrets"; §8.5).
// Thresholds are data, chosen to stay quiet on a busy but healthy cluster:
// * a client retrying a denied call backs off (client-go: 1 s, 2 s, 4 s...), so 10 denials within
//   60 s from one address or for one user is a scanner or a script looping over resources;
// * controllers read secrets through watches, and a person reads a handful: 20 distinct secrets
//   within 5 min by one non-system user is a harvest (Elastic alerts on 3, Panther on 15 in 30 min;
//   20 in 5 min keeps CI deployers that touch a few secrets per release quiet).

export const WINDOW_DEFAULTS = {
  authFailures: { threshold: 10, windowMs: 60_000 },
  forbiddenByUser: { threshold: 10, windowMs: 60_000 },
  distinctSecrets: { threshold: 20, windowMs: 5 * 60_000 },
} as const;

export function windowDetectors(allowlists: DetectorAllowlists = DEFAULT_ALLOWLISTS): WindowDetectorDefinition[] {
  const NOT_SYSTEM = notAnyUser(allowlists.systemPrincipals);
  return [
    {
      id: 'auth-failure-burst-by-source',
      title: 'Burst of 401/403 from one source address',
      severity: 'medium',
      group: 'authn',
      description: `At least ${WINDOW_DEFAULTS.authFailures.threshold} requests from the same source IP were refused (401 or 403) within ${WINDOW_DEFAULTS.authFailures.windowMs / 1000} s: credential guessing, a scanner probing permissions, or a stolen token being tried.`,
      remediation: 'Look at what else the address did (filter by sourceIP) and whether a later request succeeded; block it at the network edge if it is not yours.',
      condition: 'code:(401 403)',
      needsLevel: 'Metadata',
      references: ['panther:multiple 403s from a single public IP', 'splunk:Kubernetes Access Scanning', 'splunk:Kubernetes Scanning by Unauthenticated IP'],
      window: { key: ['sourceIP'], threshold: WINDOW_DEFAULTS.authFailures.threshold, windowMs: WINDOW_DEFAULTS.authFailures.windowMs },
    },
    {
      id: 'forbidden-burst-by-user',
      title: 'Burst of 403 for one user',
      severity: 'medium',
      group: 'authn',
      description: `At least ${WINDOW_DEFAULTS.forbiddenByUser.threshold} requests of the same user were forbidden (403) within ${WINDOW_DEFAULTS.forbiddenByUser.windowMs / 1000} s: permission enumeration with a stolen or new credential (system principals of the allowlist excluded).`,
      remediation: 'Check who holds the credential and what it tried (filter by user); revoke it if the activity is not expected.',
      condition: `code:403 user:* ${NOT_SYSTEM}`,
      needsLevel: 'Metadata',
      references: ['elastic:GKE API failure burst (10 failures per user in 5 minutes)', 'elastic:AKS threshold rule (403s on 4 distinct resources)'],
      window: { key: ['user'], threshold: WINDOW_DEFAULTS.forbiddenByUser.threshold, windowMs: WINDOW_DEFAULTS.forbiddenByUser.windowMs },
    },
    {
      id: 'many-secrets-read',
      title: 'Many distinct secrets read by one user',
      severity: 'high',
      group: 'secrets',
      description: `One user read at least ${WINDOW_DEFAULTS.distinctSecrets.threshold} distinct secrets (namespace/name; a list counts as one read of its namespace) within ${WINDOW_DEFAULTS.distinctSecrets.windowMs / 60_000} min: credential harvesting (system principals of the allowlist excluded).`,
      remediation: 'Rotate the secrets that were read, find where the credential came from, and grant get on named secrets only.',
      condition: `verb:(get list watch) resource:secrets -subresource:* code:2* ${NOT_SYSTEM}`,
      needsLevel: 'Metadata',
      references: ['elastic:3 distinct secret names fetched by one user, IP and user agent', 'panther:secret enumeration (15 distinct secrets in 30 minutes)'],
      window: { key: ['user'], distinct: ['namespace', 'name'], threshold: WINDOW_DEFAULTS.distinctSecrets.threshold, windowMs: WINDOW_DEFAULTS.distinctSecrets.windowMs },
    },
  ];
}

export const WINDOW_DETECTOR_CATALOG: readonly WindowDetectorDefinition[] = windowDetectors();
