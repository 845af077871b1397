// Allowlists are data so a site can edit them; detector conditions are built from them.

/** The allowlists a site can edit (setting k8sAudit.detectors.systemPrincipals, `scan --detectors FILE.json`). */
export interface DetectorAllowlists {
  /** User patterns (query-language wildcards) of control-plane, node and managed-service identities. */
  systemPrincipals: readonly string[];
}

/**
 * Control-plane, node and managed-service identities whose routine traffic would drown real findings
 * (spec §8.6). Service accounts outside kube-system are deliberately not here: a stolen workload token
 * is exactly what detectors should see.
 */
export const SYSTEM_PRINCIPALS: readonly string[] = [
  'system:apiserver',
  'system:kube-controller-manager',
  'system:kube-scheduler',
  'system:kube-proxy',
  'system:volume-scheduler',
  'system:addon-manager',
  'system:node:*',
  'system:serviceaccount:kube-system:*',
  'system:gke-*',
  'system:konnectivity-server',
  'system:cloud-controller-manager',
  'eks:*',
  'aks:*',
  'aksService',
  'masterclient',
  'nodeclient',
  'hcpService',
  '*@container-engine-robot.iam.gserviceaccount.com',
];

/** Falco's allowed_k8s_users (and its eks_allowed_k8s_users as eks:*), for "Disallowed K8s User". */
export const FALCO_ALLOWED_K8S_USERS: readonly string[] = [
  'minikube', 'minikube-user', 'kubelet', 'kops', 'admin', 'kube', 'kube-proxy', 'kube-apiserver-healthcheck', 'kubernetes-admin',
  'vpa-recommender', 'vpa-updater', 'cluster-autoscaler', 'system:addon-manager', 'cloud-controller-manager', 'system:kube-controller-manager', 'eks:*',
];

/** Falco's known_sa_list: service accounts the control plane itself creates in kube-system. */
export const BUILTIN_KUBE_SYSTEM_SERVICE_ACCOUNTS: readonly string[] = [
  'coredns', 'coredns-autoscaler', 'cronjob-controller', 'daemon-set-controller', 'deployment-controller', 'disruption-controller',
  'endpoint-controller', 'endpointslice-controller', 'endpointslicemirroring-controller', 'generic-garbage-collector',
  'horizontal-pod-autoscaler', 'job-controller', 'namespace-controller', 'node-controller', 'persistent-volume-binder',
  'pod-garbage-collector', 'pv-protection-controller', 'pvc-protection-controller', 'replicaset-controller',
  'resourcequota-controller', 'root-ca-cert-publisher', 'service-account-controller', 'statefulset-controller',
];

/** Images of the platform's own kube-system pods (registries of Kubernetes, GKE, EKS, AKS, common CNIs). */
export const TRUSTED_SYSTEM_IMAGES: readonly string[] = [
  'registry.k8s.io/*', 'k8s.gcr.io/*', 'gcr.io/google_containers/*', 'gcr.io/google-containers/*', 'gke.gcr.io/*',
  '*.dkr.ecr.*.amazonaws.com/eks/*', '*.dkr.ecr.*.amazonaws.com/amazon-k8s-cni*', 'mcr.microsoft.com/oss/*', 'mcr.microsoft.com/aks/*',
  'docker.io/calico/*', 'calico/*', 'quay.io/cilium/*', 'docker.io/coredns/*', 'coredns/*',
];

/**
 * Host paths that give a container the node: Falco's list plus Elastic's additions. Matched exactly,
 * with a trailing slash, and (for the ones whose children are as sensitive) by prefix.
 */
const SENSITIVE_EXACT = ['/', '/etc', '/var', '/var/run', '/run', '/home/admin', '/dev', '/sys'];
const SENSITIVE_TREES = [
  '/proc', '/root', '/var/run/docker.sock', '/var/run/crio', '/var/run/cri-dockerd.sock', '/run/containerd', '/var/lib/kubelet',
  '/var/lib/docker', '/etc/kubernetes', '/boot',
];
export const SENSITIVE_HOST_PATHS: readonly string[] = [
  ...SENSITIVE_EXACT.flatMap((path) => (path === '/' ? ['/', '//'] : [path, `${path}/`])),
  ...SENSITIVE_TREES.flatMap((path) => [path, `${path}/*`]),
];

/** Falco's exact list (no prefix matching), kept so "Create Sensitive Mount Pod" means what Falco means plus normalisation. */
export const FALCO_SENSITIVE_HOST_PATHS: readonly string[] = [
  '/proc', '/var/run/docker.sock', '/', '/etc', '/root', '/var/run/crio/crio.sock', '/run/containerd/containerd.sock', '/home/admin',
  '/var/lib/kubelet', '/var/lib/kubelet/pki', '/etc/kubernetes', '/etc/kubernetes/manifests',
];

export const DANGEROUS_CAPABILITIES: readonly string[] = [
  'ALL', 'SYS_ADMIN', 'NET_ADMIN', 'BPF', 'PERFMON', 'SYS_PTRACE', 'SYS_MODULE', 'DAC_READ_SEARCH', 'DAC_OVERRIDE', 'SYS_RAWIO', 'SYS_BOOT', 'SYSLOG',
  'NET_RAW', 'CAP_SYS_ADMIN', 'CAP_NET_ADMIN', 'CAP_SYS_PTRACE', 'CAP_SYS_MODULE', 'CAP_BPF',
];

/** Private, loopback and link-local source addresses (sourceIPs[0] prefixes). */
export const PRIVATE_ADDRESSES: readonly string[] = [
  '10.*', '192.168.*', '127.*', '169.254.*', '::1', 'fc*', 'fd*', 'fe80:*',
  ...Array.from({ length: 16 }, (_, i) => `172.${16 + i}.*`),
];

export const RECON_USER_AGENTS: readonly string[] = [
  '*access_matrix*', '*trufflehog*', '*azurehound*', '*kube-hunter*', '*micro-scanner*', '*kubiscan*', '*peirates*', '*kubeletctl*',
];

export const SCRIPTING_USER_AGENTS: readonly string[] = [
  'curl*', 'python*', 'Python*', 'Wget*', 'wget*', 'perl*', 'libwww-perl*', 'Java*', 'java*', 'node*', 'axios*', 'PHP*', 'php*', 'kali*', 'okhttp*', 'Go-http-client*',
];

/** Patterns over the decoded exec command (spec §5 "Suspicious exec command"). */
export const EXEC_REVERSE_SHELL: readonly string[] = [
  '*/dev/tcp/*', '*/dev/udp/*', '*nc -e*', '*nc -c*', '*ncat *', '*nc.traditional*', '*mkfifo*', '*socat *', '*bash -i*', '*sh -i *', '*socket.socket*', '*pty.spawn*', '*fsockopen*',
];
export const EXEC_CREDENTIAL_PATHS: readonly string[] = [
  '*/var/run/secrets/*', '*/run/secrets/kubernetes.io*', '*serviceaccount/token*', '*/etc/kubernetes*', '*/var/lib/kubelet*', '*/etc/shadow*',
  '*.kube/config*', '*.aws/credentials*', '*.ssh/*', '*.pem*', '*id_rsa*', '*/proc/*/environ*', '*printenv*',
];
export const EXEC_CLOUD_METADATA: readonly string[] = [
  '*169.254.169.254*', '*169.254.170.2*', '*metadata.google.internal*', '*/latest/api/token*', '*/latest/meta-data*', '*100.100.100.200*', '*fd00:ec2::254*', '*/metadata/instance*', '*/computeMetadata/*',
];
export const EXEC_DOWNLOAD: readonly string[] = ['*curl *http*', '*wget *http*', '*curl -*http*', '*python* -c *urllib*'];
/** kubectl cp from a pod runs `tar cf - PATH` in it. */
export const EXEC_TAR_EXFILTRATION: readonly string[] = ['tar cf -*', 'tar -cf -*', 'tar *cf - *', 'tar czf -*', 'tar -czf -*'];

export const DEFAULT_ALLOWLISTS: DetectorAllowlists = { systemPrincipals: SYSTEM_PRINCIPALS };
