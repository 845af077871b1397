import type { TreeNode } from '../../policy/yaml/tree';
import { parseArgItems } from '../args';
import type { ApiServerConfig, FlagArg } from '../model';
import { entryAt, keySpan, scalarValueSpan, type ClusterSource } from '../source';

/**
 * k3s and RKE2 `config.yaml` (`/etc/rancher/k3s/config.yaml`, `/etc/rancher/rke2/config.yaml`): a flat
 * map of the server's own options, where `kube-apiserver-arg` passes `name=value` flags on to
 * kube-apiserver (a list, or one string). RKE2 also has its own `audit-policy-file` option, which it
 * passes on as --audit-policy-file. Neither file declares a kind, so it is recognised by these keys.
 */
export function recogniseK3sConfig(source: ClusterSource, root: TreeNode | undefined): ApiServerConfig | undefined {
  if (root?.kind !== 'map' || root.byKey.has('apiVersion') || root.byKey.has('kind')) return undefined;
  const argsEntry = entryAt(root, 'kube-apiserver-arg');
  const policyEntry = entryAt(root, 'audit-policy-file');
  if (!argsEntry && !policyEntry) return undefined;
  const args = argsEntry?.value;
  const items = args?.kind === 'seq' ? args.items : args?.kind === 'scalar' ? [args] : [];
  const { flags } = parseArgItems(source.text, items, false);
  const result: ApiServerConfig = {
    kind: 'k3s',
    flags: policyEntry ? [rke2PolicyOption(source.text, policyEntry.value, policyEntry.keyStart, policyEntry.keyEnd), ...flags] : flags,
    strayArgs: [],
    anchor: keySpan(argsEntry ?? policyEntry!),
    flagList: args?.kind === 'seq' ? { form: 'args', seq: args, dashes: false } : { form: 'absent', owner: root, path: ['kube-apiserver-arg'], style: 'args' },
    mounts: undefined,
  };
  return result;
}

/** RKE2's `audit-policy-file:` option, modelled as the flag it becomes. */
function rke2PolicyOption(text: string, value: TreeNode, keyStart: number, keyEnd: number): FlagArg {
  const path = value.kind === 'scalar' && typeof value.value === 'string' ? value.value : undefined;
  return {
    name: 'audit-policy-file',
    value: path,
    nameSpan: { start: keyStart, end: keyEnd },
    valueSpan: path === undefined || value.kind !== 'scalar' ? undefined : scalarValueSpan(text, value),
    span: { start: keyStart, end: value.end },
  };
}
