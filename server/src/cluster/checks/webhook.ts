import type { Diagnostic } from 'vscode-languageserver-types';
import type { LineIndexed } from '../../policy/yaml/parse';
import type { TreeMap } from '../../policy/yaml/tree';
import { addToMap, replaceSpan } from '../edit';
import { finding } from '../finding';
import type { KubeconfigCluster, WebhookKubeconfig } from '../model';
import { entryAt, keySpan, mapAt, scalarAt, scalarValueSpan, type Span } from '../source';

/**
 * The audit webhook's kubeconfig, as kube-apiserver loads it (client-go clientcmd, through
 * k8s.io/apiserver/pkg/util/webhook): current-context chooses the cluster (where events go) and the
 * user (how kube-apiserver authenticates), and the cluster entry decides how the connection is secured.
 */
export function webhookDiagnostics(source: LineIndexed, config: WebhookKubeconfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const anchor = keySpan(entryAt(config.root, 'contexts') ?? entryAt(config.root, 'clusters') ?? entryAt(config.root, 'kind')!);
  const contextNames = [...config.contextNames.keys()];
  const current = config.currentContext;
  let used: KubeconfigCluster[] = config.clusters;

  if (!current || current.value === '') {
    const only = contextNames.length === 1 ? contextNames[0]! : undefined;
    out.push(
      finding(source, 'webhook-current-context-missing', 'error', current ? current.keySpan : anchor, 'No current-context: client-go then picks no cluster and no user, so kube-apiserver has no server to send audit events to and fails to set up the webhook backend.', {
        ...(only !== undefined && !current ? { fixes: [{ title: `Add current-context: ${only}`, edits: [addToMap(source, config.root, 'current-context', only)], preferred: true }] } : {}),
        ...(only !== undefined && current ? { fixes: [{ title: `Use context ${only}`, edits: [replaceSpan(source, { start: current.keySpan.end, end: current.span.end }, `: ${only}`)], preferred: true }] } : {}),
      }),
    );
  } else if (!config.contextNames.has(current.value)) {
    const only = contextNames.length === 1 ? contextNames[0]! : undefined;
    out.push(
      finding(source, 'webhook-current-context-unknown', 'error', current.span, `initializing audit webhook: context was not found for specified context: ${current.value} (kube-apiserver does not start).`, {
        ...(only !== undefined ? { fixes: [{ title: `Use context ${only}`, edits: [replaceSpan(source, valueSpan(source, config.root, 'current-context') ?? current.span, only)], preferred: true }] } : {}),
      }),
    );
  } else {
    const clusterName = config.contextNames.get(current.value)!.cluster;
    const chosen = config.clusters.filter((cluster) => cluster.name === clusterName);
    if (chosen.length === 0) out.push(finding(source, 'webhook-cluster-unknown', 'error', current.span, `Context ${current.value} names cluster ${clusterName ?? '(none)'}, which is not in clusters: kube-apiserver has no server to send events to.`));
    used = chosen;
  }

  if (config.clusters.length > 1) {
    const clustersKey = keySpan(entryAt(config.root, 'clusters')!);
    const which = used.length === 1 ? `only ${used[0]!.name} (through current-context) receives events` : 'only the cluster of current-context receives events';
    out.push(finding(source, 'webhook-multiple-clusters', 'information', clustersKey, `${config.clusters.length} clusters: ${which}; the others are never used by the audit webhook.`));
  }
  for (const cluster of used) out.push(...clusterDiagnostics(source, cluster));
  out.push(...inlineCredentialDiagnostics(source, config));
  return out;
}

function clusterDiagnostics(source: LineIndexed, cluster: KubeconfigCluster): Diagnostic[] {
  const out: Diagnostic[] = [];
  const settings = cluster.cluster;
  const server = scalarAt(settings, 'server');
  if (!server || typeof server.value !== 'string' || server.value === '') {
    out.push(finding(source, 'webhook-server-missing', 'error', cluster.nameSpan, `Cluster ${cluster.name} has no server: kube-apiserver has nowhere to send audit events.`));
    return out;
  }
  const url = server.value;
  const serverSpan = scalarValueSpan(source.text, server);
  if (url.startsWith('http://')) {
    out.push(
      finding(source, 'webhook-server-not-https', 'warning', serverSpan, `${url} is plain HTTP: audit events (user names, request bodies, possibly secrets) travel unencrypted and unauthenticated.`, {
        fixes: [{ title: 'Use https://', edits: [replaceSpan(source, { start: serverSpan.start, end: serverSpan.start + 'http://'.length }, 'https://')], preferred: true }],
      }),
    );
  }
  const insecure = scalarAt(settings, 'insecure-skip-tls-verify');
  if (insecure?.value === true) {
    out.push(
      finding(source, 'webhook-insecure-skip-tls-verify', 'warning', keySpan(entryAt(settings, 'insecure-skip-tls-verify')!), "insecure-skip-tls-verify: the receiver's certificate is not checked, so anyone on the path can pose as it and read every audit event.", {
        fixes: [{ title: 'Verify the certificate (insecure-skip-tls-verify: false)', edits: [replaceSpan(source, insecure, 'false')], preferred: true }],
      }),
    );
  } else if (url.startsWith('https://') && !scalarAt(settings, 'certificate-authority') && !scalarAt(settings, 'certificate-authority-data')) {
    out.push(finding(source, 'webhook-no-ca', 'information', serverSpan, "No certificate-authority: the receiver's certificate is checked against the control-plane host's system roots. That works for a public CA; a private receiver needs certificate-authority (or -data)."));
  }
  return out;
}

/** Secrets written into the file itself rather than referenced as files on the control-plane node. */
const INLINE_SECRETS: Record<string, string> = { token: 'tokenFile', password: 'a token or client certificate', 'client-key-data': 'client-key' };

function inlineCredentialDiagnostics(source: LineIndexed, config: WebhookKubeconfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const item of config.users?.items ?? []) {
    const user = mapAt(item, 'user');
    if (!user) continue;
    for (const [key, instead] of Object.entries(INLINE_SECRETS)) {
      const entry = entryAt(user, key);
      if (!entry || (entry.value.kind === 'scalar' && (entry.value.value === null || entry.value.value === ''))) continue;
      out.push(finding(source, 'webhook-credentials-inline', 'information', keySpan(entry), `The ${key} is written into this file: whoever can read it (or the repository it is kept in) has the webhook credential. Reference ${instead} kept only on the control-plane nodes.`));
    }
  }
  return out;
}

function valueSpan(source: LineIndexed, map: TreeMap, key: string): Span | undefined {
  const node = scalarAt(map, key);
  return node ? scalarValueSpan(source.text, node) : undefined;
}
