import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TreeMap, TreeNode } from '../../policy/yaml/tree';
import { addToMap, appendToSeq } from '../edit';
import { finding } from '../finding';
import type { ManagedLogging } from '../model';
import { entryAt, keySpan, seqAt, stringAt, type ClusterSource } from '../source';

/**
 * A Google Cloud project IAM policy (`gcloud projects get-iam-policy PROJECT --format=json|yaml`).
 * GKE writes Kubernetes audit events to Cloud Audit Logs: writes go to the Admin Activity log, which is
 * always on; reads go to the Data Access log, which is off until the policy's `auditConfigs` enables it
 * for the Kubernetes Engine API (service container.googleapis.com, or allServices): ADMIN_READ for
 * metadata reads such as listing pods, DATA_READ for reading data such as pod logs, DATA_WRITE for data
 * writes such as pod status. Source: GKE docs, "Audit policy" and "GKE audit logging information".
 */
const SERVICES = new Set(['container.googleapis.com', 'allServices']);
const READ_TYPES = ['ADMIN_READ', 'DATA_READ', 'DATA_WRITE'];

export function recogniseGcpIamPolicy(source: ClusterSource, root: TreeNode | undefined): { logging: ManagedLogging; diagnostics: Diagnostic[] } | undefined {
  if (root?.kind !== 'map') return undefined;
  const auditConfigsEntry = entryAt(root, 'auditConfigs');
  const isIamPolicy = auditConfigsEntry !== undefined || (seqAt(root, 'bindings') !== undefined && (root.byKey.has('etag') || root.byKey.has('version')));
  if (!isIamPolicy) return undefined;

  const diagnostics: Diagnostic[] = [];
  const configs = seqAt(root, 'auditConfigs');
  const enabled = new Set<string>();
  const relevant: TreeMap[] = [];
  for (const item of configs?.items ?? []) {
    if (item.kind !== 'map' || !SERVICES.has(stringAt(item, 'service') ?? '')) continue;
    relevant.push(item);
    for (const config of seqAt(item, 'auditLogConfigs')?.items ?? []) {
      const type = stringAt(config, 'logType');
      if (!type) continue;
      enabled.add(type);
      const exempted = entryAt(config, 'exemptedMembers');
      if (exempted?.value.kind === 'seq' && exempted.value.items.length > 0) {
        diagnostics.push(finding(source, 'gke-data-access-exempted', 'information', keySpan(exempted), `${type} requests of these ${exempted.value.items.length} member(s) are not logged.`));
      }
    }
  }
  const missing = READ_TYPES.filter((type) => !enabled.has(type));
  const anchor = auditConfigsEntry ? keySpan(auditConfigsEntry) : keySpan(entryAt(root, 'bindings') ?? root.entries[0]!);
  if (missing.length > 0) {
    diagnostics.push(
      finding(source, 'gke-data-access-off', 'warning', anchor, `Data Access audit logs are off for the Kubernetes Engine API (${missing.join(', ')} not enabled for container.googleapis.com or allServices): GKE logs writes (Admin Activity) but ${missing.includes('ADMIN_READ') || missing.includes('DATA_READ') ? 'not reads, such as secrets being listed or read' : 'not data writes'}.`, {
        fixes: [{ title: `Enable ${missing.join(', ')} for container.googleapis.com`, edits: [enableEdit(source, root, relevant[0], missing)], preferred: true }],
      }),
    );
  }
  const readsLogged = enabled.has('ADMIN_READ') && enabled.has('DATA_READ');
  return {
    logging: {
      provider: 'gke',
      source: 'gcp-iam-policy',
      coverage: readsLogged ? 'all' : 'writes',
      // Cloud Logging keeps Admin Activity 400 days (_Required bucket) and Data Access in the _Default
      // bucket (30 days unless changed): the IAM policy does not say, so retention stays unknown here.
      retentionDays: undefined,
      evidence: relevant[0] ? { start: relevant[0].start, end: relevant[0].end } : anchor,
      streams: true,
    },
    diagnostics,
  };
}

function enableEdit(source: ClusterSource, root: TreeMap, existing: TreeMap | undefined, missing: string[]): TextEdit {
  const items = missing.map((logType) => ({ logType }));
  const list = seqAt(existing, 'auditLogConfigs');
  if (existing && list && list.items.length > 0) {
    let edit = appendToSeq(source, list, items[0]!);
    for (const item of items.slice(1)) {
      const next = appendToSeq(source, list, item);
      edit = { range: edit.range, newText: edit.newText + next.newText };
    }
    return edit;
  }
  const config = { service: 'container.googleapis.com', auditLogConfigs: items };
  const configs = seqAt(root, 'auditConfigs');
  if (configs && configs.items.length > 0) return appendToSeq(source, configs, config);
  return addToMap(source, root, 'auditConfigs', [config]);
}
