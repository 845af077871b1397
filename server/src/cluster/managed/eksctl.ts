import type { Diagnostic } from 'vscode-languageserver-types';
import type { TreeNode } from '../../policy/yaml/tree';
import { addPathToMap, appendToSeq, replaceSpan } from '../edit';
import { finding } from '../finding';
import type { ManagedLogging } from '../model';
import { entryAt, keySpan, mapAt, scalarAt, seqAt, stringAt, type ClusterSource } from '../source';
import { RETENTION_DAYS_ASKED, retentionMessage } from './retention';

/**
 * eksctl's ClusterConfig (eksctl.io/v1alpha5): `cloudWatch.clusterLogging.enableTypes` switches EKS
 * control-plane log types on (audit among api, authenticator, controllerManager, scheduler; `*` or
 * `all` for every type), `disableTypes` switches them off again, and `logRetentionInDays` sets the
 * CloudWatch log group's retention (unset: kept forever). Source: eksctl pkg/apis/eksctl.io/v1alpha5
 * cloudwatch.go (LogRetentionInDaysValues) and the eksctl CloudWatch logging docs.
 */
const RETENTION_VALUES = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653];

export function recogniseEksctl(source: ClusterSource, root: TreeNode | undefined): { logging: ManagedLogging; diagnostics: Diagnostic[] } | undefined {
  if (root?.kind !== 'map' || stringAt(root, 'kind') !== 'ClusterConfig' || !(stringAt(root, 'apiVersion') ?? '').startsWith('eksctl.io/')) return undefined;
  const diagnostics: Diagnostic[] = [];
  const cloudWatch = mapAt(root, 'cloudWatch');
  const logging = mapAt(cloudWatch, 'clusterLogging');
  const enableEntry = entryAt(logging, 'enableTypes');
  const enable = seqAt(logging, 'enableTypes');
  const types = (enable?.items ?? []).map((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? item.value : ''));
  const disabled = (seqAt(logging, 'disableTypes')?.items ?? []).map((item) => (item.kind === 'scalar' && typeof item.value === 'string' ? item.value : ''));
  const enabled = types.some((type) => type === 'audit' || type === 'all' || type === '*') && !disabled.some((type) => type === 'audit' || type === 'all' || type === '*');
  const evidenceEntry = enableEntry ?? entryAt(root, 'cloudWatch') ?? entryAt(root, 'kind')!;

  if (!enabled) {
    const edit = enable ? (enable.items.length > 0 ? appendToSeq(source, enable, 'audit') : replaceSpan(source, enable, '["audit"]')) : logging ? addPathToMap(source, logging, ['enableTypes'], ['audit']) : cloudWatch ? addPathToMap(source, cloudWatch, ['clusterLogging', 'enableTypes'], ['audit']) : addPathToMap(source, root, ['cloudWatch', 'clusterLogging', 'enableTypes'], ['audit']);
    const why = disabled.includes('audit') ? 'disableTypes switches the audit log off' : 'the audit log type is not in cloudWatch.clusterLogging.enableTypes';
    diagnostics.push(
      finding(source, 'eks-audit-log-disabled', 'warning', keySpan(evidenceEntry), `EKS keeps no Kubernetes audit log for this cluster: ${why}, and EKS control-plane logging is off unless enabled.`, {
        ...(disabled.includes('audit') ? {} : { fixes: [{ title: 'Enable the audit log type', edits: [edit], preferred: true }] }),
      }),
    );
  }

  const retentionNode = scalarAt(logging, 'logRetentionInDays');
  const retention = typeof retentionNode?.value === 'number' ? retentionNode.value : undefined;
  if (retentionNode && retention !== undefined) {
    if (!RETENTION_VALUES.includes(retention)) {
      diagnostics.push(finding(source, 'eks-log-retention-invalid', 'error', retentionNode, `eksctl accepts only these logRetentionInDays values: ${RETENTION_VALUES.join(', ')}.`, { fixes: [{ title: `Use ${RETENTION_DAYS_ASKED}`, edits: [replaceSpan(source, retentionNode, String(RETENTION_DAYS_ASKED))], preferred: true }] }));
    } else if (retention < RETENTION_DAYS_ASKED) {
      diagnostics.push(finding(source, 'eks-log-retention-short', 'warning', retentionNode, retentionMessage(retention, 'CloudWatch'), { fixes: [{ title: `Keep ${RETENTION_DAYS_ASKED} days`, edits: [replaceSpan(source, retentionNode, String(RETENTION_DAYS_ASKED))], preferred: true }] }));
    }
  }
  return {
    logging: {
      provider: 'eks',
      source: 'eksctl',
      coverage: enabled ? 'all' : 'none',
      retentionDays: retention ?? (enabled ? 'forever' : undefined),
      evidence: keySpan(evidenceEntry),
      ...(retentionNode ? { retentionEvidence: { start: retentionNode.start, end: retentionNode.end } } : {}),
      streams: enabled,
    },
    diagnostics,
  };
}
