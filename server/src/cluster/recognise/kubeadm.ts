import type { TreeMap, TreeNode } from '../../policy/yaml/tree';
import { jsonTypeName } from '../../policy/yaml/goYamlScalar';
import type { ApiServerConfig, FlagArg, FlagList, Mount, MountModel } from '../model';
import { entryAt, keySpan, mapAt, scalarAt, scalarValueSpan, seqAt, stringAt, type ClusterSource } from '../source';

/**
 * kubeadm's ClusterConfiguration: `apiServer.extraArgs` becomes kube-apiserver flags (a map of strings
 * up to v1beta3, a list of {name, value} from v1beta4, which allows a flag twice), and
 * `apiServer.extraVolumes` become hostPath volumes mounted into the apiserver's static pod.
 */
export function recogniseKubeadm(source: ClusterSource, root: TreeNode | undefined): ApiServerConfig | undefined {
  if (root?.kind !== 'map' || stringAt(root, 'kind') !== 'ClusterConfiguration') return undefined;
  const apiVersion = stringAt(root, 'apiVersion') ?? '';
  if (!apiVersion.startsWith('kubeadm.k8s.io/')) return undefined;
  const apiServerEntry = entryAt(root, 'apiServer');
  const apiServer = mapAt(root, 'apiServer');
  const extraArgsEntry = entryAt(apiServer, 'extraArgs');
  const extraArgs = extraArgsEntry?.value;
  const listStyle = !/\/v1beta[123]$/.test(apiVersion);

  let flags: FlagArg[] = [];
  let flagList: FlagList;
  if (extraArgs?.kind === 'map') {
    flags = mapFlags(source.text, extraArgs);
    flagList = { form: 'map', map: extraArgs };
  } else if (extraArgs?.kind === 'seq') {
    flags = nameValueFlags(source.text, extraArgs.items);
    flagList = { form: 'name-value', seq: extraArgs };
  } else {
    flagList = apiServer ? { form: 'absent', owner: apiServer, path: ['extraArgs'], style: listStyle ? 'name-value' : 'map' } : { form: 'absent', owner: root, path: ['apiServer', 'extraArgs'], style: listStyle ? 'name-value' : 'map' };
  }
  const anchorEntry = extraArgsEntry ?? apiServerEntry ?? entryAt(root, 'kind')!;
  return {
    kind: 'kubeadm',
    apiVersion,
    flags,
    strayArgs: [],
    anchor: keySpan(anchorEntry),
    flagList,
    mounts: kubeadmMounts(root, apiServer),
  };
}

function mapFlags(text: string, map: TreeMap): FlagArg[] {
  return map.entries.map((entry) => {
    const value = entry.value;
    const flag: FlagArg = {
      name: entry.key,
      value: value.kind === 'scalar' && value.value !== null ? (typeof value.value === 'string' ? value.value : text.slice(value.start, value.end)) : undefined,
      nameSpan: keySpan(entry),
      valueSpan: value.kind === 'scalar' && value.end > value.start ? scalarValueSpan(text, value) : undefined,
      span: { start: entry.keyStart, end: Math.max(entry.keyEnd, value.end) },
    };
    if (value.kind === 'scalar' && value.value !== null && typeof value.value !== 'string') flag.valueNotString = { node: value, type: jsonTypeName(value.value) };
    return flag;
  });
}

function nameValueFlags(text: string, items: readonly TreeNode[]): FlagArg[] {
  const flags: FlagArg[] = [];
  for (const item of items) {
    const nameNode = scalarAt(item, 'name');
    if (item.kind !== 'map' || !nameNode || typeof nameNode.value !== 'string') continue;
    const valueNode = scalarAt(item, 'value');
    const flag: FlagArg = {
      name: nameNode.value,
      value: valueNode && valueNode.value !== null ? (typeof valueNode.value === 'string' ? valueNode.value : text.slice(valueNode.start, valueNode.end)) : undefined,
      nameSpan: scalarValueSpan(text, nameNode),
      valueSpan: valueNode && valueNode.end > valueNode.start ? scalarValueSpan(text, valueNode) : undefined,
      span: { start: item.start, end: item.end },
    };
    if (valueNode && valueNode.value !== null && typeof valueNode.value !== 'string') flag.valueNotString = { node: valueNode, type: jsonTypeName(valueNode.value) };
    flags.push(flag);
  }
  return flags;
}

/**
 * kubeadm's control-plane phase always mounts the certificate directory (volume "k8s-certs") and the
 * host's /etc/ssl/certs ("ca-certs") into kube-apiserver (cmd/kubeadm/app/phases/controlplane/volumes.go),
 * so a policy kept under /etc/kubernetes/pki is visible without an extraVolume.
 */
const KUBEADM_MOUNTS: Mount[] = [
  { name: 'k8s-certs', mountPath: '/etc/kubernetes/pki', readOnly: true, node: undefined, volume: { kind: 'implicit', path: '/etc/kubernetes/pki' } },
  { name: 'ca-certs', mountPath: '/etc/ssl/certs', readOnly: true, node: undefined, volume: { kind: 'implicit', path: '/etc/ssl/certs' } },
];

function kubeadmMounts(root: TreeMap, apiServer: TreeMap | undefined): MountModel {
  const mounts: Mount[] = [...KUBEADM_MOUNTS];
  for (const item of seqAt(apiServer, 'extraVolumes')?.items ?? []) {
    if (item.kind !== 'map') continue;
    const mountPath = stringAt(item, 'mountPath');
    const hostPath = stringAt(item, 'hostPath');
    if (mountPath === undefined) continue;
    mounts.push({
      name: stringAt(item, 'name') ?? '',
      mountPath,
      readOnly: scalarAt(item, 'readOnly')?.value === true,
      node: item,
      volume: hostPath === undefined ? { kind: 'missing' } : { kind: 'hostPath', path: hostPath, type: stringAt(item, 'pathType') },
    });
  }
  return { style: 'kubeadm', mounts, ...(apiServer ? { apiServer } : {}), root };
}
