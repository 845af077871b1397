import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { LineIndexed } from '../../policy/yaml/parse';
import { addPathToMap, addToMap, appendToSeq, replaceSpan, type PlainValue } from '../edit';
import { effectiveFlags } from '../effectiveFlags';
import { finding } from '../finding';
import type { ApiServerConfig, Mount, MountModel } from '../model';
import { entryAt, keySpan, scalarAt, seqAt, type Span } from '../source';

/**
 * kube-apiserver runs in a container: a file named by a flag exists for it only when a volumeMount
 * (kubeadm: an extraVolume) covers its path and the volume behind it is the host path. The policy and
 * the webhook kubeconfig must be readable (read-only is enough and safer); the log's directory must be
 * writable and on the host, or the log is lost with the container.
 */
export function mountDiagnostics(source: LineIndexed, config: ApiServerConfig): Diagnostic[] {
  const model = config.mounts;
  if (!model) return [];
  const flags = effectiveFlags(config);
  const out: Diagnostic[] = [];
  for (const need of NEEDS) {
    const flag = flags.get(need.flag);
    const path = flag?.value;
    if (!flag || !path || path === '-' || !path.startsWith('/')) continue;
    const target = need.kind === 'log' ? dirname(path) : path;
    // A log file mounted by itself is found too (and reported: rotation needs its directory).
    const mount = coveringMount(model.mounts, target) ?? (need.kind === 'log' ? coveringMount(model.mounts, path) : undefined);
    const at = flag.valueSpan ?? flag.span;
    if (!mount) {
      out.push(
        finding(source, 'audit-mount-missing', need.kind === 'log' ? 'warning' : 'error', at, missingMessage(model, need.kind, need.flag, target), {
          flag: need.flag,
          fixes: [{ title: `Mount ${target} from the host`, edits: addMountEdits(source, model, need.kind, target), preferred: true }],
        }),
      );
      continue;
    }
    out.push(...mountProblems(source, model, mount, need.kind, need.flag, path, at));
  }
  return out;
}

type Need = 'policy' | 'log' | 'webhook';
const NEEDS: { flag: string; kind: Need }[] = [
  { flag: 'audit-policy-file', kind: 'policy' },
  { flag: 'audit-log-path', kind: 'log' },
  { flag: 'audit-webhook-config-file', kind: 'webhook' },
];

function missingMessage(model: MountModel, kind: Need, flag: string, target: string): string {
  const where = model.style === 'kubeadm' ? `no apiServer.extraVolumes entry covers ${target} (kubeadm itself mounts only /etc/kubernetes/pki and /etc/ssl/certs)` : `no volumeMount of the kube-apiserver container covers ${target}`;
  if (kind === 'log') return `--${flag}: ${where}, so the log is written inside the container: lost when it restarts, and not on the host for collectors.`;
  return `--${flag}: ${where}; kube-apiserver runs in a container and cannot open the file, so it does not start.`;
}

/** The deepest mount whose mountPath is the path or one of its parent directories. */
export function coveringMount(mounts: readonly Mount[], path: string): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    const mountPath = trimSlash(mount.mountPath);
    if (path === mountPath || path.startsWith(mountPath === '' ? '/' : `${mountPath}/`)) {
      if (!best || mountPath.length > trimSlash(best.mountPath).length) best = mount;
    }
  }
  return best;
}

function mountProblems(source: LineIndexed, model: MountModel, mount: Mount, kind: Need, flag: string, path: string, at: Span): Diagnostic[] {
  const out: Diagnostic[] = [];
  const node = mount.node;
  const mountAt = node ? (entryAt(node, 'mountPath') ? keySpan(entryAt(node, 'mountPath')!) : node) : at;
  if (mount.volume.kind === 'missing') {
    if (model.style === 'pod') {
      const nameNode = scalarAt(node, 'name');
      out.push(
        finding(source, 'audit-volume-missing', 'error', nameNode ?? mountAt, `The pod has no volume named "${mount.name}": the kubelet rejects it (spec.containers[].volumeMounts[].name: Not found: "${mount.name}").`, {
          flag,
          fixes: [{ title: `Add a hostPath volume "${mount.name}" for ${mount.mountPath}`, edits: [addPodVolume(source, model, volumeFor(mount.name, kind, mount.mountPath))], preferred: true }],
        }),
      );
    } else {
      out.push(finding(source, 'audit-volume-missing', 'error', mountAt, `This extraVolume has no hostPath: kubeadm cannot mount ${mount.mountPath}.`, { flag }));
    }
    return out;
  }
  if (mount.volume.kind === 'other') {
    out.push(finding(source, 'audit-volume-not-host-path', 'information', mountAt, `${mount.mountPath} comes from a ${mount.volume.type} volume, not a hostPath: make sure it holds the ${kind === 'log' ? 'log and survives restarts' : 'file on every control-plane node'}.`, { flag }));
  }
  if (kind !== 'log' && !mount.readOnly && node) {
    out.push(
      finding(source, 'audit-mount-writable', 'warning', mountAt, `The ${kind === 'policy' ? 'audit policy' : 'webhook kubeconfig'} is mounted read-write: kube-apiserver only reads it, so mount it read-only.`, {
        flag,
        fixes: [{ title: 'Mount it read-only', edits: [setReadOnly(source, node, true)], preferred: true }],
      }),
    );
  }
  if (kind === 'log' && mount.readOnly && node) {
    out.push(
      finding(source, 'audit-log-mount-read-only', 'error', mountAt, `The log directory is mounted read-only: kube-apiserver cannot write ${path}, and every event is lost.`, {
        flag,
        fixes: [{ title: 'Mount it read-write', edits: [setReadOnly(source, node, false)], preferred: true }],
      }),
    );
  }
  if (kind === 'log' && trimSlash(mount.mountPath) === path) {
    out.push(finding(source, 'audit-log-mount-is-file', 'warning', mountAt, `Only the log file is mounted, not its directory: rotation renames ${path} to a timestamped backup in the same directory, which is inside the container, so backups are lost (and renaming a mount point fails). Mount ${dirname(path)} instead.`, { flag }));
  }
  if (kind !== 'log' && trimSlash(mount.mountPath) === path && mount.volume.kind === 'hostPath' && /^Directory/.test(mount.volume.type ?? '')) {
    out.push(finding(source, 'audit-mount-type', 'warning', mountAt, `hostPath type ${mount.volume.type} for a file: the kubelet expects (or creates) a directory at ${mount.volume.path}, and kube-apiserver cannot read a directory as its ${kind === 'policy' ? 'policy' : 'kubeconfig'}. Use type File.`, { flag }));
  }
  return out;
}

function setReadOnly(source: LineIndexed, node: Mount['node'] & object, value: boolean): TextEdit {
  const existing = scalarAt(node, 'readOnly');
  if (existing) return replaceSpan(source, existing, String(value));
  return addToMap(source, node, 'readOnly', value);
}

/** A name no volume or mount uses yet: audit-policy, audit-policy-2, ... */
function freeName(model: MountModel, base: string): string {
  const used = new Set(model.mounts.map((m) => m.name));
  for (const item of seqAt(model.podSpec, 'volumes')?.items ?? []) {
    const name = scalarAt(item, 'name')?.value;
    if (typeof name === 'string') used.add(name);
  }
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

const MOUNT_NAMES: Record<Need, string> = { policy: 'audit-policy', log: 'audit-log', webhook: 'audit-webhook' };

function volumeFor(name: string, kind: Need, path: string): PlainValue {
  return { name, hostPath: { path, type: kind === 'log' ? 'DirectoryOrCreate' : 'File' } };
}

/** The volumeMount and hostPath volume (pod) or the extraVolume (kubeadm) that make `path` visible. */
export function addMountEdits(source: LineIndexed, model: MountModel, kind: Need, path: string): TextEdit[] {
  const name = freeName(model, MOUNT_NAMES[kind]);
  const readOnly = kind !== 'log';
  if (model.style === 'kubeadm') {
    const item: PlainValue = { name, hostPath: path, mountPath: path, ...(readOnly ? { readOnly: true } : {}), pathType: kind === 'log' ? 'DirectoryOrCreate' : 'File' };
    const list = seqAt(model.apiServer, 'extraVolumes');
    if (list && list.items.length > 0) return [appendToSeq(source, list, item)];
    if (model.apiServer) return [addToMap(source, model.apiServer, 'extraVolumes', [item])];
    return [addPathToMap(source, model.root!, ['apiServer', 'extraVolumes'], [item])];
  }
  const mount: PlainValue = { name, mountPath: path, ...(readOnly ? { readOnly: true } : {}) };
  const mounts = seqAt(model.container, 'volumeMounts');
  const mountEdit = mounts && mounts.items.length > 0 ? appendToSeq(source, mounts, mount) : addToMap(source, model.container!, 'volumeMounts', [mount]);
  return [mountEdit, addPodVolume(source, model, volumeFor(name, kind, path))];
}

function addPodVolume(source: LineIndexed, model: MountModel, volume: PlainValue): TextEdit {
  const volumes = seqAt(model.podSpec, 'volumes');
  if (volumes && volumes.items.length > 0) return appendToSeq(source, volumes, volume);
  return addToMap(source, model.podSpec!, 'volumes', [volume]);
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut <= 0 ? '/' : path.slice(0, cut);
}

