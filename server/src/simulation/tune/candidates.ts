import { SYSTEM_PRINCIPALS } from '../../auditlog/detectors/allowlists';
import { compilePattern } from '../../auditlog/query/pattern';
import { pathMatches } from '../../policy/match';
import type { GroupResources, PolicyRule, RequestAttributes } from '../../policy/types';
import type { RequestKind, TrafficSample } from '../trafficSample';

/**
 * One way to cut volume: rules at level None for a class of high-volume, low-value traffic, or a
 * policy-wide omitStages. Built from the traffic in the sample (the users, verbs and resources it
 * really has), so the rules are as narrow as the traffic they drop.
 */
export interface Candidate {
  id: string;
  title: string;
  why: string;
  rules: PolicyRule[];
  /** Policy-wide stages to omit instead of rules. */
  omitStages?: string[];
}

const NODES_GROUP = 'system:nodes';
const READ_VERBS = ['get', 'list', 'watch'];
/** Liveness, readiness, version and API discovery: every client polls them, none says anything about who did what. */
const HEALTH_AND_DISCOVERY = ['/healthz*', '/livez*', '/readyz*', '/version', '/version/', '/metrics', '/openapi/*', '/api', '/api/*', '/apis', '/apis/*', '/.well-known/openid-configuration', '/openid/v1/jwks'];
/** Never dropped by a noise rule, whoever asks: the must-logs and the ways into pods and nodes. */
const KEEP_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy', 'token']);
const KEEP_GROUPS = new Set(['rbac.authorization.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'certificates.k8s.io', 'admissionregistration.k8s.io']);

/** Whether a user is the platform itself: the detectors' system principals (editable allowlist), or a node. */
export function systemUserTest(patterns: readonly string[] = SYSTEM_PRINCIPALS): (user: RequestAttributes['user']) => boolean {
  const tests = patterns.map((p) => compilePattern({ parts: p.split('*'), source: p, offset: 0 }));
  return (user) => user !== undefined && (user.groups.includes(NODES_GROUP) || tests.some((test) => test(user.name)));
}

function isSensitive(kind: RequestKind): boolean {
  const attrs = kind.attrs;
  return kind.sensitive >= 0 || attrs.resource === 'secrets' || attrs.resource === 'configmaps' || KEEP_SUBRESOURCES.has(attrs.subresource ?? '') || KEEP_GROUPS.has(attrs.apiGroup ?? '');
}

/** users/userGroups conditions covering these users: nodes by their group, the others by name. */
function identityRules(users: Set<string>, nodes: boolean, base: Omit<PolicyRule, 'level'>): PolicyRule[] {
  const rules: PolicyRule[] = [];
  if (nodes) rules.push({ level: 'None', userGroups: [NODES_GROUP], ...base });
  if (users.size > 0) rules.push({ level: 'None', users: [...users].sort(), ...base });
  return rules;
}

/** (group -> resource paths) as resources[] entries, sorted. */
function groupResources(targets: Map<string, Set<string>>): GroupResources[] {
  return [...targets.keys()].sort().map((group) => ({ group, resources: [...targets.get(group)!].sort() }));
}

function addTarget(targets: Map<string, Set<string>>, kind: RequestKind): void {
  const group = kind.attrs.apiGroup ?? '';
  let set = targets.get(group);
  if (!set) targets.set(group, (set = new Set()));
  set.add(kind.target);
}

/** What the kinds passing `test` have: their verbs, targets by group, and users (nodes apart). */
interface Traffic {
  verbs: string[];
  targets: Map<string, Set<string>>;
  nodeTargets: Map<string, Set<string>>;
  users: Set<string>;
  nodes: boolean;
}

function collect(kinds: readonly RequestKind[], test: (kind: RequestKind, attrs: RequestAttributes) => boolean): Traffic {
  const verbs = new Set<string>();
  const traffic: Traffic = { verbs: [], targets: new Map(), nodeTargets: new Map(), users: new Set(), nodes: false };
  for (const kind of kinds) {
    if (!test(kind, kind.attrs)) continue;
    verbs.add(kind.attrs.verb);
    if (kind.attrs.user?.groups.includes(NODES_GROUP)) {
      traffic.nodes = true;
      addTarget(traffic.nodeTargets, kind);
    } else {
      if (kind.attrs.user) traffic.users.add(kind.attrs.user.name);
      addTarget(traffic.targets, kind);
    }
  }
  traffic.verbs = [...verbs].sort();
  return traffic;
}

/** The noise the sample has, as candidate rules (each only when the sample has such traffic). */
export function noiseCandidates(sample: TrafficSample, isSystem: (user: RequestAttributes['user']) => boolean): Candidate[] {
  const used = new Uint8Array(sample.kinds.length);
  for (let row = 0; row < sample.rows; row++) used[sample.kind.data[row]!] = 1;
  const kinds = sample.kinds.filter((_, k) => used[k] === 1);
  const candidates: Candidate[] = [];
  const add = (candidate: Omit<Candidate, 'rules'>, rules: PolicyRule[]) => {
    if (rules.length > 0) candidates.push({ ...candidate, rules });
  };

  const leases = collect(kinds, (_, a) => a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases' && a.subresource === '' && isSystem(a.user));
  add(
    { id: 'leases', title: 'Leases of system users', why: 'Node heartbeats and leader election of control-plane components: a lease renewed every few seconds per node and component.' },
    identityRules(leases.users, leases.nodes, { verbs: leases.verbs, resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] }),
  );

  const status = collect(kinds, (_, a) => !!a.user?.groups.includes(NODES_GROUP) && a.apiGroup === '' && a.subresource === 'status' && (a.resource === 'nodes' || a.resource === 'pods') && (a.verb === 'patch' || a.verb === 'update'));
  add(
    { id: 'kubelet-status', title: 'Status patches of kubelets', why: "Kubelets reporting node and pod status: the biggest share of most clusters' traffic, and the object state is in the cluster anyway." },
    status.nodes ? [{ level: 'None', userGroups: [NODES_GROUP], verbs: status.verbs, resources: groupResources(status.nodeTargets) }] : [],
  );

  const patterns = HEALTH_AND_DISCOVERY.filter((spec) => kinds.some((kind) => !kind.attrs.resourceRequest && pathMatches(spec, kind.attrs.path ?? '')));
  add(
    { id: 'health-and-discovery', title: 'Health and discovery URLs', why: 'Liveness, readiness, version, metrics and API discovery requests: polled by every client and probe, they record no change and no data access.' },
    patterns.length > 0 ? [{ level: 'None', nonResourceURLs: patterns }] : [],
  );

  // Leases are the first candidate's; secrets, tokens, RBAC and the ways into pods are never noise.
  const reads = collect(kinds, (kind, a) => a.resourceRequest && READ_VERBS.includes(a.verb) && isSystem(a.user) && !isSensitive(kind) && !(a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases'));
  add(
    { id: 'system-reads', title: 'Reads of controllers and nodes', why: 'Controllers and kubelets listing and watching what they manage: constant, expected, and not a change. Secrets, ConfigMaps, tokens and RBAC reads stay logged (earlier rules).' },
    [
      ...(reads.nodes ? [{ level: 'None', userGroups: [NODES_GROUP], verbs: READ_VERBS, resources: groupResources(reads.nodeTargets) }] : []),
      ...(reads.users.size > 0 ? [{ level: 'None', users: [...reads.users].sort(), verbs: READ_VERBS, resources: groupResources(reads.targets) }] : []),
    ],
  );

  const events = collect(kinds, (_, a) => a.resource === 'events' && (a.apiGroup === '' || a.apiGroup === 'events.k8s.io') && ['create', 'update', 'patch'].includes(a.verb));
  const eventTargets = new Map([...events.targets, ...events.nodeTargets].map(([group]) => [group, new Set(['events'])]));
  add(
    { id: 'events', title: 'Event objects written', why: 'Kubernetes Event objects (scheduling, image pulls, probes) written by components: a log of their own, kept by the cluster. Deleting events stays logged.' },
    events.verbs.length > 0 ? [{ level: 'None', verbs: events.verbs, resources: groupResources(eventTargets) }] : [],
  );
  return candidates;
}

/** Omitting RequestReceived: every request's first event says nothing its final one does not. */
export const OMIT_REQUEST_RECEIVED: Candidate = {
  id: 'omit-request-received',
  title: 'RequestReceived events',
  why: 'The RequestReceived stage repeats what the ResponseComplete event says, without the outcome: omitting it halves the events of ordinary requests.',
  rules: [],
  omitStages: ['RequestReceived'],
};

/** For a given policy that logs bodies of reads or response bodies of writes: the level those need no more than. */
export const LOWER_BODIES: Candidate[] = [
  {
    id: 'reads-at-metadata',
    title: 'Bodies of reads',
    why: 'Reads logged with bodies carry whole objects and lists in every event; who read what is in their metadata.',
    rules: [{ level: 'Metadata', verbs: READ_VERBS }],
  },
];
