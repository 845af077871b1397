// Deterministic generator of realistic audit.k8s.io/v1 JSON-lines logs: controllers, kubelets and
// people doing ordinary work, with a few security-relevant requests mixed in (exec into a pod, secret
// reads, RBAC changes, a privileged pod, 403s). Same seed, same bytes.
//   node scripts/generate-audit-log.mjs --out FILE [--requests N | --mb N] [--seed N] [--compact]
// --compact writes what a policy with omitStages: [RequestReceived] and no allow annotations logs.
import { createWriteStream } from 'node:fs';

/** Small, fast, seedable PRNG (mulberry32): reproducible logs without a dependency. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ['default', 'kube-system', 'prod', 'staging', 'monitoring', 'payments'];
const PEOPLE = [
  { username: 'alice@example.com', groups: ['dev-team', 'system:authenticated'] },
  { username: 'bob@example.com', groups: ['sre', 'system:authenticated'] },
  { username: 'carol@example.com', groups: ['security', 'system:authenticated'] },
];
const CONTROLLERS = [
  { username: 'system:kube-controller-manager', groups: ['system:authenticated'] },
  { username: 'system:kube-scheduler', groups: ['system:authenticated'] },
  { username: 'system:serviceaccount:kube-system:replicaset-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:authenticated'] },
  { username: 'system:serviceaccount:monitoring:prometheus', groups: ['system:serviceaccounts', 'system:serviceaccounts:monitoring', 'system:authenticated'] },
];
const NODES = ['ip-10-0-1-11', 'ip-10-0-1-12', 'ip-10-0-2-21'].map((node) => ({ username: `system:node:${node}`, groups: ['system:nodes', 'system:authenticated'] }));

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function hex(random, length) {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid(random) {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** One request: the kinds of traffic a real cluster produces, weighted roughly as seen in practice. */
function makeRequest(random) {
  const roll = random();
  const ns = pick(random, NAMESPACES);
  if (roll < 0.3) {
    const node = pick(random, NODES);
    return { user: node, verb: 'patch', group: '', resource: 'nodes', subresource: 'status', namespace: '', name: node.username.split(':')[2], code: 200, agent: 'kubelet/v1.33.1 (linux/amd64) kubernetes/8adc0f0' };
  }
  if (roll < 0.5) {
    const node = pick(random, NODES);
    return { user: node, verb: 'update', group: 'coordination.k8s.io', resource: 'leases', namespace: 'kube-node-lease', name: node.username.split(':')[2], code: 200, agent: 'kubelet/v1.33.1 (linux/amd64) kubernetes/8adc0f0' };
  }
  if (roll < 0.75) {
    const user = pick(random, CONTROLLERS);
    const resource = pick(random, ['pods', 'replicasets', 'endpoints', 'configmaps', 'deployments']);
    const group = resource === 'replicasets' || resource === 'deployments' ? 'apps' : '';
    const verb = pick(random, ['get', 'list', 'watch', 'update']);
    return { user, verb, group, resource, namespace: ns, name: verb === 'list' || verb === 'watch' ? '' : `${resource.slice(0, -1)}-${hex(random, 5)}`, code: 200, agent: 'kube-controller-manager/v1.33.1 (linux/amd64) kubernetes/8adc0f0/system:serviceaccount' };
  }
  if (roll < 0.85) {
    return { user: pick(random, CONTROLLERS), verb: 'get', nonResource: pick(random, ['/healthz', '/readyz', '/livez', '/metrics', '/version']), code: 200, agent: 'Go-http-client/2.0' };
  }
  const user = pick(random, PEOPLE);
  const agent = 'kubectl/v1.33.1 (linux/amd64) kubernetes/8adc0f0';
  if (roll < 0.87) return { user, verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: ns, name: `web-${hex(random, 5)}`, code: 101, agent, query: '?command=sh&command=-c&command=id&container=web&stdin=true&stdout=true' };
  if (roll < 0.89) return { user, verb: 'get', group: '', resource: 'secrets', namespace: ns, name: pick(random, ['db-credentials', 'api-token', 'tls-cert']), code: 200, agent };
  if (roll < 0.9) return { user, verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings', namespace: '', name: `grant-${hex(random, 4)}`, code: 201, agent };
  if (roll < 0.91) return { user, verb: 'create', group: '', resource: 'pods', namespace: ns, name: '', code: 201, agent, privileged: true };
  if (roll < 0.94) return { user, verb: 'list', group: '', resource: 'secrets', namespace: ns, name: '', code: 403, agent };
  return { user, verb: pick(random, ['get', 'list']), group: pick(random, ['', 'apps']), resource: pick(random, ['pods', 'deployments', 'services']), namespace: ns, name: '', code: 200, agent };
}

function requestURI(request) {
  if (request.nonResource) return request.nonResource;
  const prefix = request.group ? `/apis/${request.group}/v1` : '/api/v1';
  const ns = request.namespace ? `/namespaces/${request.namespace}` : '';
  const name = request.name ? `/${request.name}` : '';
  const sub = request.subresource ? `/${request.subresource}` : '';
  return `${prefix}${ns}/${request.resource}${name}${sub}${request.query ?? ''}`;
}

function events(random, request, at, compact) {
  const auditID = uuid(random);
  const received = new Date(at).toISOString().replace('Z', '000Z');
  const done = new Date(at + 1 + Math.floor(random() * 40)).toISOString().replace('Z', '000Z');
  const base = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: request.privileged ? 'Request' : 'Metadata',
    auditID,
    requestURI: requestURI(request),
    verb: request.verb,
    user: request.user,
    sourceIPs: [request.user.username.startsWith('system:node') ? '10.0.1.11' : `10.0.${Math.floor(random() * 4)}.${10 + Math.floor(random() * 200)}`],
    userAgent: request.agent,
  };
  if (!request.nonResource) {
    base.objectRef = { resource: request.resource, namespace: request.namespace || undefined, name: request.name || undefined, apiGroup: request.group || undefined, apiVersion: 'v1', subresource: request.subresource };
  }
  // Compact logs are what a policy with omitStages: [RequestReceived] writes: no first stage.
  const stages = compact ? [] : [{ ...base, stage: 'RequestReceived', requestReceivedTimestamp: received, stageTimestamp: received }];
  if (request.subresource === 'exec') stages.push({ ...base, stage: 'ResponseStarted', responseStatus: { metadata: {}, code: 101 }, requestReceivedTimestamp: received, stageTimestamp: done });
  const complete = { ...base, stage: 'ResponseComplete', responseStatus: { metadata: {}, code: request.code }, requestReceivedTimestamp: received, stageTimestamp: done };
  if (request.code === 403) {
    complete.responseStatus = { metadata: {}, status: 'Failure', message: `secrets is forbidden: User "${request.user.username}" cannot list resource "secrets"`, reason: 'Forbidden', code: 403 };
    complete.annotations = { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' };
  } else if (!compact) {
    complete.annotations = { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by ClusterRoleBinding' };
  }
  if (request.privileged) {
    complete.requestObject = { kind: 'Pod', apiVersion: 'v1', metadata: { name: `debug-${auditID.slice(0, 5)}`, namespace: request.namespace }, spec: { containers: [{ name: 'debug', image: 'busybox', securityContext: { privileged: true } }] } };
  }
  stages.push(complete);
  return stages;
}

export async function generateAuditLog({ out, requests = Infinity, bytes = Infinity, seed = 1, start = Date.parse('2026-02-22T10:00:00Z'), compact = false }) {
  const random = prng(seed);
  const stream = createWriteStream(out);
  let written = 0;
  let count = 0;
  let at = start;
  let batch = '';
  while (count < requests && written < bytes) {
    at += Math.floor(random() * 20);
    for (const event of events(random, makeRequest(random), at, compact)) batch += `${JSON.stringify(event)}\n`;
    count++;
    if (batch.length > 1 << 20 || count >= requests) {
      written += Buffer.byteLength(batch);
      if (!stream.write(batch)) await new Promise((resolve) => stream.once('drain', resolve));
      batch = '';
    }
  }
  if (batch) {
    written += Buffer.byteLength(batch);
    stream.write(batch);
  }
  await new Promise((resolve, reject) => stream.end((error) => (error ? reject(error) : resolve())));
  return { requests: count, bytes: written };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const value = (name) => {
    const index = args.indexOf(`--${name}`);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const out = value('out');
  if (!out) {
    console.error('usage: generate-audit-log.mjs --out FILE [--requests N | --mb N] [--seed N] [--compact]');
    process.exit(2);
  }
  const mb = value('mb');
  const result = await generateAuditLog({
    out,
    requests: value('requests') ? Number(value('requests')) : mb ? Infinity : 1000,
    bytes: mb ? Number(mb) * 1024 * 1024 : Infinity,
    seed: Number(value('seed') ?? 1),
    compact: args.includes('--compact'),
  });
  console.error(`wrote ${result.requests} requests (${(result.bytes / 1048576).toFixed(1)} MB) to ${out}`);
}
