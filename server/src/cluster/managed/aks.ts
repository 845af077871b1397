import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TreeMap, TreeNode, TreeSeq } from '../../policy/yaml/tree';
import { appendToSeq, replaceSpan } from '../edit';
import { finding } from '../finding';
import type { ManagedLogging } from '../model';
import { entryAtAnyCase, keySpan, scalarValueSpan, type ClusterSource, type Span } from '../source';
import { RETENTION_DAYS_ASKED, retentionMessage } from './retention';

/**
 * AKS diagnostic settings (`az monitor diagnostic-settings show/list` output, or an ARM
 * Microsoft.Insights/diagnosticSettings resource): `logs[]` entries switch log categories on. For audit,
 * `kube-audit` has every request; `kube-audit-admin` is the subset without get and list, so reads (of
 * secrets among others) are not logged. `allLogs` (categoryGroup) includes every category.
 * Source: Azure Monitor reference, tables AKSAudit / AKSAuditAdmin, and PSRule for Azure
 * (Azure.AKS.AuditLogs): "kube-audit-admin ... excludes get and list audit events".
 */
const AKS_CATEGORIES = /^(kube-apiserver|kube-audit|kube-audit-admin|kube-controller-manager|kube-scheduler|cluster-autoscaler|cloud-controller-manager|guard|csi-.+)$/;

export function recogniseAksDiagnosticSettings(source: ClusterSource, root: TreeNode | undefined): { logging: ManagedLogging[]; diagnostics: Diagnostic[] } | undefined {
  const settings = settingsObjects(root);
  if (settings.length === 0) return undefined;
  const logging: ManagedLogging[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { owner, logs, logsKey } of settings) {
    const entries = logs.items.filter((item): item is TreeMap => item.kind === 'map').map((item) => describeEntry(source, item));
    const on = entries.filter((entry) => entry.enabled);
    const full = on.find((entry) => entry.category === 'kube-audit' || entry.group === 'allLogs');
    const admin = on.find((entry) => entry.category === 'kube-audit-admin');
    const coverage = full ? 'all' : admin ? 'writes' : 'none';
    const decisive = full ?? admin;
    if (!decisive) {
      const disabledAudit = entries.find((entry) => entry.category === 'kube-audit' && entry.enabledNode);
      const edit: TextEdit = disabledAudit?.enabledNode ? replaceSpan(source, disabledAudit.enabledNode, 'true') : appendToSeq(source, logs, { category: 'kube-audit', enabled: true });
      diagnostics.push(finding(source, 'aks-audit-disabled', 'warning', logsKey, 'Neither kube-audit nor kube-audit-admin is enabled: AKS sends no Kubernetes audit log anywhere.', { fixes: [{ title: 'Enable kube-audit', edits: [edit], preferred: true }] }));
    } else if (coverage === 'writes' && admin) {
      const disabledAudit = entries.find((entry) => entry.category === 'kube-audit' && entry.enabledNode);
      const edit = disabledAudit?.enabledNode ? replaceSpan(source, disabledAudit.enabledNode, 'true') : replaceSpan(source, admin.categorySpan!, 'kube-audit');
      diagnostics.push(
        finding(source, 'aks-audit-admin-only', 'warning', admin.categorySpan ?? admin.span, 'kube-audit-admin leaves out get and list requests: reads (of secrets, config maps, tokens) are not logged. Enable kube-audit for every request.', {
          fixes: [{ title: 'Log kube-audit (every request)', edits: [edit], preferred: true }],
        }),
      );
    }
    const retention = decisive?.retention;
    if (decisive && retention && retention.days > 0 && retention.days < RETENTION_DAYS_ASKED) {
      diagnostics.push(finding(source, 'aks-log-retention-short', 'warning', retention.span, retentionMessage(retention.days, 'This diagnostic setting'), { fixes: [{ title: `Keep ${RETENTION_DAYS_ASKED} days`, edits: [replaceSpan(source, retention.span, String(RETENTION_DAYS_ASKED))], preferred: true }] }));
    }
    const streams = ['workspaceId', 'eventHubAuthorizationRuleId', 'eventHubName'].some((key) => entryAtAnyCase(owner, key) !== undefined);
    logging.push({
      provider: 'aks',
      source: 'aks-diagnostic-settings',
      coverage,
      retentionDays: retention ? (retention.days === 0 ? 'forever' : retention.days) : undefined,
      evidence: decisive ? (decisive.categorySpan ?? decisive.span) : logsKey,
      ...(retention ? { retentionEvidence: retention.span } : {}),
      streams: streams && coverage !== 'none',
    });
  }
  return { logging, diagnostics };
}

interface LogEntry {
  category?: string;
  group?: string;
  categorySpan?: Span;
  enabled: boolean;
  enabledNode?: { start: number; end: number };
  retention?: { days: number; span: Span };
  span: Span;
}

function describeEntry(source: ClusterSource, item: TreeMap): LogEntry {
  const category = entryAtAnyCase(item, 'category')?.value;
  const group = entryAtAnyCase(item, 'categoryGroup')?.value;
  const enabled = entryAtAnyCase(item, 'enabled')?.value;
  const policy = entryAtAnyCase(item, 'retentionPolicy')?.value;
  const days = entryAtAnyCase(policy, 'days')?.value;
  const policyOn = entryAtAnyCase(policy, 'enabled')?.value;
  const entry: LogEntry = { enabled: enabled?.kind === 'scalar' && enabled.value === true, span: { start: item.start, end: item.end } };
  if (category?.kind === 'scalar' && typeof category.value === 'string') {
    entry.category = category.value;
    entry.categorySpan = scalarValueSpan(source.text, category);
  }
  if (group?.kind === 'scalar' && typeof group.value === 'string') entry.group = group.value;
  if (enabled?.kind === 'scalar' && enabled.value === false) entry.enabledNode = enabled;
  if (policyOn?.kind === 'scalar' && policyOn.value === true && days?.kind === 'scalar' && typeof days.value === 'number') entry.retention = { days: days.value, span: { start: days.start, end: days.end } };
  return entry;
}

/**
 * Every diagnostic-settings object in the file: the object itself, its ARM `properties`, the items of
 * a `list` output (a bare array or `{value: [...]}`) and the resources of an ARM template. One counts
 * when its logs name an AKS category.
 */
function settingsObjects(root: TreeNode | undefined): { owner: TreeMap; logs: TreeSeq; logsKey: Span }[] {
  const candidates: TreeNode[] = [];
  const collect = (node: TreeNode | undefined) => {
    if (!node) return;
    if (node.kind === 'seq') node.items.forEach(collect);
    if (node.kind !== 'map') return;
    candidates.push(node);
    const properties = entryAtAnyCase(node, 'properties')?.value;
    if (properties) candidates.push(properties);
    for (const key of ['value', 'resources']) {
      const list = entryAtAnyCase(node, key)?.value;
      if (list?.kind === 'seq') list.items.forEach(collect);
    }
  };
  collect(root);
  const found: { owner: TreeMap; logs: TreeSeq; logsKey: Span }[] = [];
  for (const candidate of candidates) {
    const entry = entryAtAnyCase(candidate, 'logs');
    if (candidate.kind !== 'map' || entry?.value.kind !== 'seq') continue;
    const logs = entry.value;
    const aks = logs.items.some((item) => {
      const category = entryAtAnyCase(item, 'category')?.value;
      return category?.kind === 'scalar' && typeof category.value === 'string' && AKS_CATEGORIES.test(category.value);
    });
    if (aks) found.push({ owner: candidate, logs, logsKey: keySpan(entry) });
  }
  return found;
}
