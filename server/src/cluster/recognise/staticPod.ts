import type { TreeMap, TreeNode, TreeSeq } from '../../policy/yaml/tree';
import { parseArgItems } from '../args';
import type { ApiServerConfig, Mount, MountModel } from '../model';
import { entryAt, keySpan, mapAt, scalarAt, seqAt, stringAt, type ClusterSource } from '../source';

/**
 * A kube-apiserver static pod manifest (kubeadm writes /etc/kubernetes/manifests/kube-apiserver.yaml):
 * a Pod with a container that runs kube-apiserver, its flags in `command` and/or `args` (the kubelet
 * appends args to command), and the volumeMounts/volumes that make host files visible to it.
 */
export function recogniseStaticPod(source: ClusterSource, root: TreeNode | undefined): ApiServerConfig | undefined {
  if (root?.kind !== 'map' || stringAt(root, 'kind') !== 'Pod') return undefined;
  const spec = mapAt(root, 'spec');
  const containers = seqAt(spec, 'containers');
  const container = containers?.items.find((item): item is TreeMap => item.kind === 'map' && runsApiServer(item));
  if (!spec || !container) return undefined;

  const command = seqAt(container, 'command');
  const args = seqAt(container, 'args');
  const commandItems = command ? command.items.slice(startsWithProgram(command) ? 1 : 0) : [];
  const parsed = parseArgItems(source.text, [...commandItems, ...(args?.items ?? [])], true);
  const flagSeqKey = chooseFlagList(command, args, commandItems.length);
  const listEntry = entryAt(container, flagSeqKey)!;
  const list = listEntry.value as TreeSeq;
  return {
    kind: 'static-pod',
    flags: parsed.flags,
    strayArgs: parsed.strayArgs,
    anchor: keySpan(listEntry),
    flagList: { form: 'args', seq: list, dashes: true },
    mounts: podMounts(container, spec),
  };
}

function runsApiServer(container: TreeMap): boolean {
  const command = seqAt(container, 'command');
  const first = command?.items[0];
  if (first?.kind === 'scalar' && typeof first.value === 'string' && /(^|\/)kube-apiserver$/.test(first.value)) return true;
  // No command: the image's entrypoint runs it (the args hold the flags).
  const image = stringAt(container, 'image') ?? '';
  return !command && stringAt(container, 'name') === 'kube-apiserver' && /kube-apiserver/.test(image) && seqAt(container, 'args') !== undefined;
}

function startsWithProgram(command: TreeSeq): boolean {
  const first = command.items[0];
  return first?.kind === 'scalar' && typeof first.value === 'string' && !first.value.startsWith('-');
}

/** The list new flags go to: the one already holding flags (args when both do, as the kubelet appends it). */
function chooseFlagList(command: TreeSeq | undefined, args: TreeSeq | undefined, commandFlagItems: number): 'command' | 'args' {
  if (args && (args.items.length > 0 || !command || commandFlagItems === 0)) return 'args';
  return 'command';
}

function podMounts(container: TreeMap, spec: TreeMap): MountModel {
  const volumes = new Map<string, TreeMap>();
  for (const item of seqAt(spec, 'volumes')?.items ?? []) {
    const name = stringAt(item, 'name');
    if (item.kind === 'map' && name !== undefined) volumes.set(name, item);
  }
  const mounts: Mount[] = [];
  for (const item of seqAt(container, 'volumeMounts')?.items ?? []) {
    if (item.kind !== 'map') continue;
    const name = stringAt(item, 'name') ?? '';
    const mountPath = stringAt(item, 'mountPath');
    if (mountPath === undefined) continue;
    const volumeNode = volumes.get(name);
    mounts.push({ name, mountPath, readOnly: scalarAt(item, 'readOnly')?.value === true, node: item, volume: volumeOf(volumeNode), ...(volumeNode ? { volumeNode } : {}) });
  }
  return { style: 'pod', mounts, container, podSpec: spec };
}

function volumeOf(volume: TreeMap | undefined): Mount['volume'] {
  if (!volume) return { kind: 'missing' };
  const hostPath = mapAt(volume, 'hostPath');
  const path = stringAt(hostPath, 'path');
  if (hostPath && path !== undefined) return { kind: 'hostPath', path, type: stringAt(hostPath, 'type') };
  const type = volume.entries.map((e) => e.key).find((key) => key !== 'name') ?? 'unknown';
  return { kind: 'other', type };
}
