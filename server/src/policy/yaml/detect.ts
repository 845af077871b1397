import type { PolicyText } from './parse';

const AUDIT_GROUP_PREFIX = 'audit.k8s.io/';
const NOT_POLICY_KINDS = new Set(['Event', 'EventList', 'PolicyList']);
/** File names people give policies: audit-policy.yaml, audit_policy.yml, kube-audit-policy.yaml... */
const POLICY_FILE_NAME = /audit[-_.]?polic(y|ies)[^/\\]*\.(ya?ml|json)$/i;

/**
 * Whether a YAML file is an audit policy we should act on. Other YAML stays untouched so that Red Hat
 * YAML and other tools keep sole say over it.
 */
export function isAuditPolicy(uri: string, parsed: PolicyText): boolean {
  const root = parsed.tree.root;
  if (root?.kind === 'map') {
    const scalar = (key: string) => {
      const value = root.byKey.get(key)?.value;
      return value?.kind === 'scalar' ? value.value : undefined;
    };
    const apiVersion = scalar('apiVersion');
    const kind = scalar('kind');
    if (typeof apiVersion === 'string' && apiVersion.startsWith(AUDIT_GROUP_PREFIX)) {
      // audit.k8s.io also has Event/EventList: those are logs, not policies. Any other kind is a
      // policy with a wrong kind, which kube-apiserver rejects and we should say so.
      return typeof kind !== 'string' || !NOT_POLICY_KINDS.has(kind);
    }
    if (kind === 'Policy' && (apiVersion === undefined || apiVersion === null) && root.byKey.has('rules')) return true;
    if ((apiVersion !== undefined && apiVersion !== null) || (kind !== undefined && kind !== null && kind !== 'Policy')) return false;
  }
  return POLICY_FILE_NAME.test(safeDecode(uri));
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
