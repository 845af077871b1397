import type { Diagnostic } from 'vscode-languageserver-types';
import type { LineIndexed } from '../../policy/yaml/parse';
import { effectiveFlags } from '../effectiveFlags';
import { finding, type ClusterFix } from '../finding';
import { addFlag, putFlag } from '../flagEdits';
import { auditFlag, AUDIT_FLAGS, LOG_FORMATS, MODES, ROTATION_MINIMUMS } from '../flags';
import type { ApiServerConfig, FlagArg } from '../model';
import { boolValue, intValue } from './flagValues';
import { addMountEdits, coveringMount } from './mounts';
import { FEATURE_MINOR } from '../../policy/version';

/** Paths a fix writes when a flag is missing: the layout of the kubernetes.io auditing task. */
export const DEFAULT_PATHS = {
  'static-pod': { policy: '/etc/kubernetes/audit-policy.yaml', log: '/var/log/kubernetes/audit/audit.log' },
  kubeadm: { policy: '/etc/kubernetes/audit-policy.yaml', log: '/var/log/kubernetes/audit/audit.log' },
  k3s: { policy: '/etc/rancher/k3s/audit-policy.yaml', log: '/var/lib/rancher/k3s/server/logs/audit.log' },
} as const;

/**
 * Does the setup log anything, where, and for how long: the policy flag (without it nothing is
 * logged), a backend, rotation against CIS 1.2.17-1.2.19, and the format, mode, batch, truncate and
 * version flags with kube-apiserver's own validation (pkg/server/options/audit.go Validate: it runs for
 * each enabled backend, with or without a policy, and stops the apiserver on any error).
 */
export function backendDiagnostics(source: LineIndexed, config: ApiServerConfig, minor: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const flags = effectiveFlags(config);
  const policy = nonEmpty(flags.get('audit-policy-file'));
  const logPath = nonEmpty(flags.get('audit-log-path'));
  const webhook = nonEmpty(flags.get('audit-webhook-config-file'));
  const paths = DEFAULT_PATHS[config.kind];
  const k3s = config.kind === 'k3s';

  if (!policy) {
    out.push(
      finding(
        source,
        'audit-policy-file-missing',
        'warning',
        config.anchor,
        k3s
          ? 'No audit-policy-file: k3s then logs nothing, and RKE2 uses its built-in policy, which logs nothing (a single level: None rule).'
          : 'No --audit-policy-file: kube-apiserver builds no audit policy, so nothing is logged; the log and webhook flags do nothing without it.',
        { flag: 'audit-policy-file', fixes: [addPathFlag(source, config, 'audit-policy-file', paths.policy, 'policy')] },
      ),
    );
  } else if (!logPath && !webhook) {
    out.push(
      finding(
        source,
        'audit-backend-missing',
        k3s ? 'information' : 'warning',
        policy.nameSpan,
        k3s
          ? 'No audit-log-path or audit-webhook-config-file: k3s writes the events nowhere (RKE2 has a default log path under /var/lib/rancher/rke2/server/logs).'
          : 'The policy is loaded but there is no backend (--audit-log-path or --audit-webhook-config-file): events are written nowhere.',
        { flag: 'audit-log-path', fixes: [addPathFlag(source, config, 'audit-log-path', paths.log, 'log')] },
      ),
    );
  }

  if (logPath) out.push(...logBackendDiagnostics(source, config, flags, logPath, minor));
  else out.push(...ignoredFlags(source, flags, 'audit-log-', 'there is no log file (--audit-log-path is not set)', ['audit-log-path']));
  if (webhook) out.push(...backendOptionDiagnostics(source, flags, 'webhook', minor));
  else out.push(...ignoredFlags(source, flags, 'audit-webhook-', 'there is no webhook backend (--audit-webhook-config-file is not set)', ['audit-webhook-config-file']));
  return out;
}

function logBackendDiagnostics(source: LineIndexed, config: ApiServerConfig, flags: Map<string, FlagArg>, logPath: FlagArg, minor: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (logPath.value === '-') {
    out.push(
      finding(source, 'audit-log-stdout', 'information', logPath.valueSpan ?? logPath.span, "--audit-log-path=- writes events to kube-apiserver's standard output, mixed with its own log lines (the container log): no rotation flag applies and whatever collects that output decides what is kept.", { flag: 'audit-log-path' }),
    );
    for (const name of ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-compress']) {
      const flag = flags.get(name);
      if (flag) out.push(finding(source, 'audit-flag-ignored', 'information', flag.nameSpan, `--${name} is ignored: the log goes to standard output, which is not rotated.`, { flag: name, unnecessary: true }));
    }
  } else {
    out.push(...rotationDiagnostics(source, config, flags, logPath));
  }

  const format = flags.get('audit-log-format');
  if (format?.value !== undefined) {
    if (!(LOG_FORMATS as readonly string[]).includes(format.value)) {
      out.push(finding(source, 'audit-log-format-invalid', 'error', format.valueSpan ?? format.span, `invalid audit log format ${format.value}, allowed formats are "${LOG_FORMATS.join(',')}"`, { flag: 'audit-log-format', fixes: [fix('Use json', putFlag(source, config, format, 'audit-log-format', 'json'))] }));
    } else if (format.value === 'legacy') {
      out.push(
        finding(source, 'audit-log-format-legacy', 'information', format.valueSpan ?? format.span, 'legacy writes one line of text per event: few tools read it (JSON parsers, SIEM pipelines expect json, the default), and bodies are not included the same way.', {
          flag: 'audit-log-format',
          fixes: [fix('Use json', putFlag(source, config, format, 'audit-log-format', 'json'))],
        }),
      );
    }
  }
  out.push(...backendOptionDiagnostics(source, flags, 'log', minor));
  return out;
}

function rotationDiagnostics(source: LineIndexed, config: ApiServerConfig, flags: Map<string, FlagArg>, logPath: FlagArg): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { flag: name, minimum, cis } of ROTATION_MINIMUMS) {
    const flag = flags.get(name);
    const value = intValue(flag);
    const setIt = fix(`Set --${name}=${minimum}`, putFlag(source, config, flag, name, String(minimum)));
    if (!flag) {
      out.push(finding(source, name, 'warning', logPath.nameSpan, `${MISSING[name]} CIS ${cis} asks for ${minimum} or more.`, { flag: name, fixes: [setIt] }));
    } else if (value !== undefined && value < 0) {
      out.push(finding(source, 'audit-flag-negative', 'error', flag.valueSpan ?? flag.span, `--${name} ${value} can't be a negative number`, { flag: name, fixes: [setIt] }));
    } else if (value !== undefined && value < minimum) {
      out.push(finding(source, name, 'warning', flag.valueSpan ?? flag.span, `${LOW[name](value)} CIS ${cis} asks for ${minimum} or more.`, { flag: name, fixes: [setIt] }));
    }
  }
  return out;
}

const MISSING: Record<string, string> = {
  'audit-log-maxage': '--audit-log-maxage is not set (0: rotated files are never removed by age, so how long history lasts depends on --audit-log-maxbackup alone).',
  'audit-log-maxbackup': '--audit-log-maxbackup is not set (0: every rotated file is kept, until the disk fills, unless maxage removes it).',
  'audit-log-maxsize': '--audit-log-maxsize is not set (0: the log is rotated at the rotation library default of 100 MB).',
};

const LOW: Record<string, (value: number) => string> = {
  'audit-log-maxage': (value) => (value === 0 ? '--audit-log-maxage 0 removes no rotated file by age.' : `--audit-log-maxage ${value}: rotated audit logs are deleted after ${value} day${value === 1 ? '' : 's'}.`),
  'audit-log-maxbackup': (value) => (value === 0 ? '--audit-log-maxbackup 0 keeps every rotated file, until the disk fills.' : `--audit-log-maxbackup ${value}: only ${value} rotated file${value === 1 ? ' is' : 's are'} kept, whatever their age.`),
  'audit-log-maxsize': (value) => (value === 0 ? '--audit-log-maxsize 0 means the library default of 100 MB.' : `--audit-log-maxsize ${value}: the log is rotated every ${value} MB, so the kept backups hold little history.`),
};

/** Mode, batch, truncate and version flags of one backend, validated as audit.go does for an enabled backend. */
function backendOptionDiagnostics(source: LineIndexed, flags: Map<string, FlagArg>, backend: 'log' | 'webhook', minor: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  const prefix = `audit-${backend}-`;
  const modeFlag = flags.get(`${prefix}mode`);
  const mode = modeFlag?.value ?? auditFlag(`${prefix}mode`)!.default!;
  if (modeFlag?.value !== undefined && !(MODES as readonly string[]).includes(modeFlag.value)) {
    out.push(finding(source, 'audit-mode-invalid', 'error', modeFlag.valueSpan ?? modeFlag.span, `invalid audit ${backend} mode ${modeFlag.value}, allowed modes are "${MODES.join(',')}"`, { flag: `${prefix}mode` }));
    return out;
  }
  const explanation = MODE_NOTES[backend][mode];
  if (modeFlag && explanation) out.push(finding(source, 'audit-mode', 'information', modeFlag.valueSpan ?? modeFlag.span, explanation, { flag: `${prefix}mode` }));

  const batchFlags = [...flags.values()].filter((flag) => auditFlag(flag.name)?.batchOnly && flag.name.startsWith(prefix));
  if (mode !== 'batch') {
    for (const flag of batchFlags) {
      out.push(finding(source, 'audit-flag-ignored', 'information', flag.nameSpan, `--${flag.name} is only used in batch mode, and --${prefix}mode is ${mode}${modeFlag ? '' : ' (the default)'}: it is ignored.`, { flag: flag.name, unnecessary: true }));
    }
  } else {
    out.push(...batchValueDiagnostics(source, flags, backend));
  }
  out.push(...truncateDiagnostics(source, flags, backend));

  const version = flags.get(`${prefix}version`);
  if (version?.value !== undefined && version.value !== 'audit.k8s.io/v1') {
    const removed = minor >= FEATURE_MINOR.betaApiRemoved || !/^audit\.k8s\.io\/v1(alpha1|beta1)$/.test(version.value);
    out.push(
      finding(source, 'audit-version-unsupported', removed ? 'error' : 'warning', version.valueSpan ?? version.span, removed ? `${version.value}: only audit.k8s.io/v1 exists since Kubernetes 1.24 (v1alpha1 and v1beta1 were removed); kube-apiserver refuses any other version.` : `${version.value} is deprecated since 1.21 and removed in 1.24: use audit.k8s.io/v1.`, { flag: version.name }),
    );
  }
  return out;
}

const MODE_NOTES: Record<'log' | 'webhook', Record<string, string>> = {
  log: {
    batch: 'batch: events are buffered and written asynchronously; when the buffer (--audit-log-batch-buffer-size, 10000) is full, new events are dropped and the log has gaps.',
    'blocking-strict': 'blocking-strict: each request waits for its events to be written, and a failure to write the RequestReceived stage fails the request itself.',
  },
  webhook: {
    blocking: 'blocking: every request waits until the webhook has received its events; a slow or unreachable webhook slows the whole API (errors are ignored after that).',
    'blocking-strict': 'blocking-strict: every request waits for the webhook, and a failure at the RequestReceived stage fails the request: an unreachable webhook makes the API unusable.',
  },
};

/** validateBackendBatchOptions: positive buffer and batch sizes; with throttling, positive QPS and burst. */
function batchValueDiagnostics(source: LineIndexed, flags: Map<string, FlagArg>, backend: 'log' | 'webhook'): Diagnostic[] {
  const out: Diagnostic[] = [];
  const prefix = `audit-${backend}-batch-`;
  const check = (suffix: string, what: string, at?: FlagArg) => {
    const flag = flags.get(prefix + suffix);
    const value = flag ? Number(flag.value) : Number(auditFlag(prefix + suffix)!.default ?? 0);
    if (Number.isNaN(value) || value > 0) return;
    const where = flag ?? at;
    if (where) out.push(finding(source, 'audit-batch-invalid', 'error', flag?.valueSpan ?? where.nameSpan, `invalid audit batch ${backend} ${what} ${value}, must be a positive number`, { flag: prefix + suffix }));
  };
  check('buffer-size', 'buffer size');
  check('max-size', 'max batch size');
  const throttleFlag = flags.get(`${prefix}throttle-enable`);
  const throttle = throttleFlag ? boolValue(throttleFlag) : auditFlag(`${prefix}throttle-enable`)!.default === 'true';
  if (throttle) {
    check('throttle-qps', 'throttle QPS', throttleFlag);
    check('throttle-burst', 'throttle burst', throttleFlag);
  }
  return out;
}

/** AuditTruncateOptions.Validate runs for an enabled backend even when truncation is off. */
function truncateDiagnostics(source: LineIndexed, flags: Map<string, FlagArg>, backend: 'log' | 'webhook'): Diagnostic[] {
  const out: Diagnostic[] = [];
  const prefix = `audit-${backend}-truncate-`;
  const eventFlag = flags.get(`${prefix}max-event-size`);
  const batchFlag = flags.get(`${prefix}max-batch-size`);
  const eventSize = eventFlag ? Number(eventFlag.value) : 102400;
  const batchSize = batchFlag ? Number(batchFlag.value) : 10485760;
  if (eventFlag && !Number.isNaN(eventSize) && eventSize <= 0) {
    out.push(finding(source, 'audit-truncate-invalid', 'error', eventFlag.valueSpan ?? eventFlag.span, `invalid audit truncate ${backend} max event size ${eventSize}, must be a positive number`, { flag: eventFlag.name }));
  } else if ((eventFlag || batchFlag) && !Number.isNaN(eventSize) && !Number.isNaN(batchSize) && batchSize < eventSize) {
    const at = batchFlag ?? eventFlag!;
    out.push(finding(source, 'audit-truncate-invalid', 'error', at.valueSpan ?? at.span, `invalid audit truncate ${backend} max batch size ${batchSize}, must be greater than max event size (${eventSize})`, { flag: at.name }));
  }
  if (boolValue(flags.get(`${prefix}enabled`)) !== true) {
    for (const flag of [eventFlag, batchFlag]) {
      if (flag) out.push(finding(source, 'audit-flag-ignored', 'information', flag.nameSpan, `--${flag.name} only applies with --${prefix}enabled: it is ignored.`, { flag: flag.name, unnecessary: true }));
    }
  }
  return out;
}

/** Flags of a backend that is not enabled: kube-apiserver accepts and ignores them. */
function ignoredFlags(source: LineIndexed, flags: Map<string, FlagArg>, prefix: string, reason: string, except: string[]): Diagnostic[] {
  const known = new Set(AUDIT_FLAGS.map((flag) => flag.name));
  return [...flags.values()]
    .filter((flag) => flag.name.startsWith(prefix) && known.has(flag.name) && !except.includes(flag.name))
    .map((flag) => finding(source, 'audit-flag-ignored', 'information', flag.nameSpan, `--${flag.name} is ignored: ${reason}.`, { flag: flag.name, unnecessary: true }));
}

/** The flag when it has a non-empty value (an empty path is the same as no flag to kube-apiserver). */
function nonEmpty(flag: FlagArg | undefined): FlagArg | undefined {
  return flag?.value ? flag : undefined;
}

/** Adds a path flag and, where the file declares mounts, the mount that makes the path exist for kube-apiserver. */
function addPathFlag(source: LineIndexed, config: ApiServerConfig, name: string, path: string, kind: 'policy' | 'log'): ClusterFix {
  const edits = [addFlag(source, config, name, path)];
  const target = kind === 'log' ? path.slice(0, path.lastIndexOf('/')) : path;
  if (config.mounts && !coveringMount(config.mounts.mounts, target)) edits.push(...addMountEdits(source, config.mounts, kind, target));
  return { title: `Add --${name}=${path}${edits.length > 1 ? ' and mount it' : ''}`, edits, preferred: true };
}

function fix(title: string, edit: ClusterFix['edits'][number]): ClusterFix {
  return { title, edits: [edit], preferred: true };
}

