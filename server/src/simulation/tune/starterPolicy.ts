import type { Policy, PolicyRule } from '../../policy/types';

/** A rule of a proposal and why it is there (the comment above it in the YAML). */
export interface ExplainedRule {
  rule: PolicyRule;
  why: string;
}

const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'];

/**
 * What a sound policy always logs, before any noise is dropped (spec §7, CIS 3.2.2): secrets and
 * other sensitive objects seen but never with their bodies, every way into a pod or node, RBAC
 * changes in full. They come first, so that no rule tune adds later can take their requests.
 */
export const MUST_LOG_RULES: readonly ExplainedRule[] = [
  {
    rule: {
      level: 'Metadata',
      resources: [
        { group: '', resources: ['secrets', 'configmaps', 'serviceaccounts/token'] },
        { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
      ],
    },
    why: 'Secrets, ConfigMaps, service account tokens and TokenReviews: who touched them, never their bodies, which would copy secret values into the log (CIS 3.2.2).',
  },
  {
    rule: { level: 'Metadata', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy', 'nodes/proxy'] }] },
    why: 'Every way into a pod or node: exec, attach, port-forward and proxy (CIS 3.2.2); the exec command is in the URI, logged at Metadata.',
  },
  {
    rule: { level: 'RequestResponse', verbs: WRITE_VERBS, resources: [{ group: 'rbac.authorization.k8s.io' }] },
    why: 'RBAC changes with the objects as sent and as stored: who granted what to whom (the RBAC detectors read both).',
  },
];

/** After the noise rules: the writes with their bodies, then everything else at Metadata. */
export const DEFAULT_RULES: readonly ExplainedRule[] = [
  {
    rule: { level: 'Request', verbs: WRITE_VERBS },
    why: 'Every other change with its request body: pod specs and workload templates are what the pod-security detectors read (CIS 3.2.2: pods and deployments changes).',
  },
  { rule: { level: 'Metadata' }, why: 'Everything else: who did what to which object, without bodies. No request goes unlogged.' },
];

/** The starter policy tune proposes from when no policy is given (its noise rules go between the two parts). */
export function starterPolicy(): Policy {
  return { rules: [...MUST_LOG_RULES, ...DEFAULT_RULES].map((r) => r.rule) };
}
