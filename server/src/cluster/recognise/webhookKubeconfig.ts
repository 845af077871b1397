import type { TreeNode } from '../../policy/yaml/tree';
import type { KubeconfigCluster, WebhookKubeconfig } from '../model';
import { entryAt, keySpan, mapAt, scalarAt, scalarValueSpan, seqAt, stringAt, type ClusterSource } from '../source';

/**
 * A kubeconfig (`kind: Config`): the format of --audit-webhook-config-file. Every kubeconfig looks like
 * this, so the caller decides whether this one is the audit webhook's (its name says so, or an
 * apiserver flag points at it); a personal ~/.kube/config is never judged as a webhook backend.
 */
export function recogniseKubeconfig(source: ClusterSource, root: TreeNode | undefined): WebhookKubeconfig | undefined {
  if (root?.kind !== 'map' || stringAt(root, 'kind') !== 'Config') return undefined;
  const apiVersion = stringAt(root, 'apiVersion');
  if (apiVersion !== undefined && apiVersion !== 'v1') return undefined;
  if (!root.byKey.has('clusters') && !root.byKey.has('contexts') && !root.byKey.has('users')) return undefined;

  const clusters: KubeconfigCluster[] = [];
  for (const item of seqAt(root, 'clusters')?.items ?? []) {
    const nameNode = scalarAt(item, 'name');
    if (item.kind !== 'map') continue;
    const name = typeof nameNode?.value === 'string' ? nameNode.value : '';
    clusters.push({ name, node: item, nameSpan: nameNode ? scalarValueSpan(source.text, nameNode) : { start: item.start, end: item.start }, cluster: mapAt(item, 'cluster') });
  }
  const contextNames = new Map<string, { cluster?: string; user?: string }>();
  for (const item of seqAt(root, 'contexts')?.items ?? []) {
    const name = stringAt(item, 'name');
    if (name === undefined) continue;
    const context = mapAt(item, 'context');
    const cluster = stringAt(context, 'cluster');
    const user = stringAt(context, 'user');
    contextNames.set(name, { ...(cluster !== undefined ? { cluster } : {}), ...(user !== undefined ? { user } : {}) });
  }
  const current = entryAt(root, 'current-context');
  const result: WebhookKubeconfig = { root, clusters, contextNames, users: seqAt(root, 'users') };
  if (current) {
    const value = current.value;
    const text = value.kind === 'scalar' && typeof value.value === 'string' ? value.value : '';
    result.currentContext = { value: text, span: { start: value.start, end: Math.max(value.end, value.start) }, keySpan: keySpan(current) };
  }
  return result;
}
