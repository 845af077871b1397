import { editDistance } from '../policy/checks/fieldHints';

/**
 * kube-apiserver's audit flags: their types, defaults and meaning, the one place for these facts
 * (checks, quick fixes and hover read them from here).
 *
 * Sources: kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/server/options/audit.go (AddFlags,
 * NewAuditOptions, Validate; read through the code search index, and the same text as the kube-apiserver
 * reference on kubernetes.io), gopkg.in/natefinch/lumberjack.v2 Logger docs (what 0 means for maxage,
 * maxbackup and maxsize), PR kubernetes#94066 (--audit-log-compress, in 1.20), and the spec
 * (shared/spec/audit-policy.md §2: no policy file, no events).
 */

export type FlagType = 'string' | 'int' | 'bool' | 'duration' | 'float';

export interface AuditFlag {
  name: string;
  type: FlagType;
  /** As kube-apiserver --help prints it; undefined when the default is the zero value. */
  default?: string;
  /** One or two sentences: what the flag does, in kube-apiserver's terms, plus what people miss. */
  doc: string;
  /** Accepted values, for enumerations. */
  allowed?: readonly string[];
  /** Only read in batch mode (audit.go: "Only used in batch mode"). */
  batchOnly?: boolean;
  /** Only used when --audit-<backend>-truncate-enabled is set. */
  truncateOnly?: boolean;
  deprecated?: string;
}

export const MODES = ['batch', 'blocking', 'blocking-strict'] as const;
export const LOG_FORMATS = ['legacy', 'json'] as const;

const MODE_DOC =
  'Strategy for sending audit events (`batch`, `blocking`, `blocking-strict`). `blocking`: each request waits until its events are written; write errors are ignored. ' +
  '`blocking-strict`: the same, but a failure at the RequestReceived stage fails the request itself. `batch`: events are buffered and written asynchronously; when the buffer is full, events are dropped.';

function batchFlags(backend: 'log' | 'webhook', defaults: { buffer: string; maxSize: string; maxWait?: string; throttleEnable?: string; qps?: string; burst?: string }): AuditFlag[] {
  const prefix = `audit-${backend}-batch-`;
  return [
    { name: `${prefix}buffer-size`, type: 'int', default: defaults.buffer, batchOnly: true, doc: 'Events buffered before batching and writing; when the buffer is full, new events are dropped. Only used in batch mode.' },
    { name: `${prefix}max-size`, type: 'int', default: defaults.maxSize, batchOnly: true, doc: 'The largest number of events in one batch. Only used in batch mode.' },
    { name: `${prefix}max-wait`, type: 'duration', ...(defaults.maxWait ? { default: defaults.maxWait } : {}), batchOnly: true, doc: 'How long to wait before writing a batch that has not reached the max size. Only used in batch mode.' },
    { name: `${prefix}throttle-enable`, type: 'bool', ...(defaults.throttleEnable ? { default: defaults.throttleEnable } : {}), batchOnly: true, doc: 'Whether batches are throttled (by throttle-qps and throttle-burst). Only used in batch mode.' },
    { name: `${prefix}throttle-qps`, type: 'float', ...(defaults.qps ? { default: defaults.qps } : {}), batchOnly: true, doc: 'Maximum average number of batches per second, when throttling is enabled. Only used in batch mode.' },
    { name: `${prefix}throttle-burst`, type: 'int', ...(defaults.burst ? { default: defaults.burst } : {}), batchOnly: true, doc: 'Batches sent at once when the QPS budget was not used before, when throttling is enabled. Only used in batch mode.' },
  ];
}

function truncateFlags(backend: 'log' | 'webhook'): AuditFlag[] {
  const prefix = `audit-${backend}-truncate-`;
  return [
    { name: `${prefix}enabled`, type: 'bool', doc: 'Truncate events and split batches that are larger than the two sizes below.' },
    { name: `${prefix}max-batch-size`, type: 'int', default: '10485760', truncateOnly: true, doc: 'Largest batch (bytes) sent to the backend; bigger batches are split. Must not be smaller than the max event size.' },
    { name: `${prefix}max-event-size`, type: 'int', default: '102400', truncateOnly: true, doc: 'Largest event (bytes): a bigger event loses its request and response bodies first, and is dropped if it is still too big.' },
  ];
}

export const AUDIT_FLAGS: readonly AuditFlag[] = [
  {
    name: 'audit-policy-file',
    type: 'string',
    doc: 'Path to the audit policy. Without it there is no audit evaluator and **nothing is logged**, whatever the backend flags say. The file is read once at startup (a change needs a restart); if it does not load, kube-apiserver exits.',
  },
  {
    name: 'audit-log-path',
    type: 'string',
    doc: "If set, every audited request is written to this file (the log backend); `-` means standard output. The file is rotated by size; the flags below decide how many rotated files are kept.",
  },
  {
    name: 'audit-log-maxage',
    type: 'int',
    doc: 'Maximum number of days to keep rotated audit log files, by the timestamp in their names. 0 (the default) removes no file by age. CIS 1.2.17: 30 or more.',
  },
  {
    name: 'audit-log-maxbackup',
    type: 'int',
    doc: 'Maximum number of rotated audit log files to keep. 0 (the default) keeps them all (maxage may still remove them). CIS 1.2.18: 10 or more.',
  },
  {
    name: 'audit-log-maxsize',
    type: 'int',
    doc: 'Size in megabytes at which the audit log is rotated. 0 (the default) means the rotation library default of 100 MB. CIS 1.2.19: 100 or more.',
  },
  { name: 'audit-log-format', type: 'string', default: 'json', allowed: LOG_FORMATS, doc: '`json` (the default): one audit.k8s.io Event per line. `legacy`: one line of text per event, which few tools read.' },
  { name: 'audit-log-compress', type: 'bool', doc: 'Compress rotated log files with gzip (kube-apiserver 1.20 and later).' },
  { name: 'audit-log-mode', type: 'string', default: 'blocking', allowed: MODES, doc: MODE_DOC },
  ...batchFlags('log', { buffer: '10000', maxSize: '1' }),
  ...truncateFlags('log'),
  { name: 'audit-log-version', type: 'string', default: 'audit.k8s.io/v1', doc: 'API group and version of the events written to the log. Only audit.k8s.io/v1 exists since Kubernetes 1.24.' },
  {
    name: 'audit-webhook-config-file',
    type: 'string',
    doc: 'Path to a kubeconfig-format file naming the remote service (clusters), the credentials kube-apiserver uses (users) and current-context. Enables the webhook backend.',
  },
  { name: 'audit-webhook-initial-backoff', type: 'duration', default: '10s', doc: 'Time to wait before retrying the first failed request to the webhook.' },
  { name: 'audit-webhook-batch-initial-backoff', type: 'duration', default: '10s', deprecated: 'use --audit-webhook-initial-backoff', doc: 'Deprecated: use --audit-webhook-initial-backoff.' },
  { name: 'audit-webhook-mode', type: 'string', default: 'batch', allowed: MODES, doc: MODE_DOC },
  ...batchFlags('webhook', { buffer: '10000', maxSize: '400', maxWait: '30s', throttleEnable: 'true', qps: '10', burst: '15' }),
  ...truncateFlags('webhook'),
  { name: 'audit-webhook-version', type: 'string', default: 'audit.k8s.io/v1', doc: 'API group and version of the events sent to the webhook. Only audit.k8s.io/v1 exists since Kubernetes 1.24.' },
];

const BY_NAME = new Map(AUDIT_FLAGS.map((flag) => [flag.name, flag]));

export function auditFlag(name: string): AuditFlag | undefined {
  return BY_NAME.get(name);
}

export function isAuditFlagName(name: string): boolean {
  return name.startsWith('audit-');
}

/** CIS Kubernetes Benchmark 1.2.17-1.2.19 (kube-bench cfg/cis-1.10 master.yaml, spec §7). */
export const ROTATION_MINIMUMS = [
  { flag: 'audit-log-maxage', minimum: 30, cis: '1.2.17' },
  { flag: 'audit-log-maxbackup', minimum: 10, cis: '1.2.18' },
  { flag: 'audit-log-maxsize', minimum: 100, cis: '1.2.19' },
] as const;

/** The closest known audit flag to a misspelt one (edit distance up to 2), for "did you mean". */
export function closestAuditFlag(name: string): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const flag of AUDIT_FLAGS) {
    if (flag.deprecated) continue;
    const distance = editDistance(name, flag.name);
    if (distance < bestDistance) {
      best = flag.name;
      bestDistance = distance;
    }
  }
  return best;
}
