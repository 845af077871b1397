import type { Diagnostic, TextEdit } from 'vscode-languageserver-types';
import type { TreeMap, TreeNode, TreeSeq } from '../../policy/yaml/tree';
import { addPathToMap, appendToSeq, replaceSpan } from '../edit';
import { finding } from '../finding';
import type { ManagedLogging } from '../model';
import { keySpan, mapAt, scalarAt, seqAt, stringAt, type ClusterSource, type Span } from '../source';
import { RETENTION_DAYS_ASKED, retentionMessage } from './retention';

/**
 * A CloudFormation template (YAML or JSON) with AWS::EKS::Cluster resources: the audit log is on when
 * `Properties.Logging.ClusterLogging.EnabledTypes` has `{Type: audit}` (CloudFormation reference,
 * AWS::EKS::Cluster LoggingTypeConfig: api | audit | authenticator | controllerManager | scheduler).
 * EKS writes to the log group /aws/eks/<cluster>/cluster; a template may declare it (AWS::Logs::LogGroup)
 * to set RetentionInDays, otherwise CloudWatch keeps it forever.
 */
export function recogniseCloudFormation(source: ClusterSource, root: TreeNode | undefined): { logging: ManagedLogging[]; diagnostics: Diagnostic[] } | undefined {
  const resources = mapAt(root, 'Resources');
  if (!resources) return undefined;
  const clusters = resources.entries.filter((entry) => stringAt(entry.value, 'Type') === 'AWS::EKS::Cluster');
  if (clusters.length === 0) return undefined;
  const diagnostics: Diagnostic[] = [];
  const retention = logGroupRetention(resources);
  if (retention && retention.days < RETENTION_DAYS_ASKED) {
    diagnostics.push(finding(source, 'eks-log-retention-short', 'warning', retention.span, retentionMessage(retention.days, 'This log group'), { fixes: [{ title: `Keep ${RETENTION_DAYS_ASKED} days`, edits: [replaceSpan(source, retention.span, String(RETENTION_DAYS_ASKED))], preferred: true }] }));
  }
  const logging: ManagedLogging[] = [];
  for (const entry of clusters) {
    const resource = entry.value as TreeMap;
    const properties = mapAt(resource, 'Properties');
    const enabledTypes = seqAt(mapAt(mapAt(properties, 'Logging'), 'ClusterLogging'), 'EnabledTypes');
    const enabled = (enabledTypes?.items ?? []).some((item) => stringAt(item, 'Type') === 'audit');
    const name = keySpan(entry);
    if (!enabled) {
      const fixEdit = enableAuditEdit(source, properties, enabledTypes);
      diagnostics.push(
        finding(source, 'eks-audit-log-disabled', 'warning', name, `EKS keeps no Kubernetes audit log for ${entry.key}: Logging.ClusterLogging.EnabledTypes has no {Type: audit}, and EKS control-plane logging is off unless enabled.`, {
          ...(fixEdit ? { fixes: [{ title: 'Enable the audit log type', edits: [fixEdit], preferred: true }] } : {}),
        }),
      );
    }
    logging.push({
      provider: 'eks',
      source: 'cloudformation',
      coverage: enabled ? 'all' : 'none',
      retentionDays: retention?.days ?? (enabled ? 'forever' : undefined),
      evidence: name,
      ...(retention ? { retentionEvidence: retention.span } : {}),
      streams: enabled,
    });
  }
  return { logging, diagnostics };
}

function enableAuditEdit(source: ClusterSource, properties: TreeMap | undefined, enabledTypes: TreeSeq | undefined): TextEdit | undefined {
  const item = { Type: 'audit' };
  if (enabledTypes) return enabledTypes.items.length > 0 ? appendToSeq(source, enabledTypes, item) : replaceSpan(source, enabledTypes, JSON.stringify([item]));
  const logging = mapAt(properties, 'Logging');
  const clusterLogging = mapAt(logging, 'ClusterLogging');
  if (clusterLogging && clusterLogging.entries.length > 0) return addPathToMap(source, clusterLogging, ['EnabledTypes'], [item]);
  if (logging && logging.entries.length > 0) return addPathToMap(source, logging, ['ClusterLogging', 'EnabledTypes'], [item]);
  if (properties && properties.entries.length > 0) return addPathToMap(source, properties, ['Logging', 'ClusterLogging', 'EnabledTypes'], [item]);
  return undefined;
}

/** RetentionInDays of a declared /aws/eks/<cluster>/cluster log group (LogGroupName as a string or Fn::Sub). */
function logGroupRetention(resources: TreeMap): { days: number; span: Span } | undefined {
  for (const entry of resources.entries) {
    if (stringAt(entry.value, 'Type') !== 'AWS::Logs::LogGroup') continue;
    const properties = mapAt(entry.value, 'Properties');
    const nameNode = properties?.byKey.get('LogGroupName')?.value;
    const name = nameNode?.kind === 'scalar' ? nameNode.value : stringAt(nameNode, 'Fn::Sub');
    if (typeof name !== 'string' || !/^\/aws\/eks\/.+\/cluster$/.test(name)) continue;
    const days = scalarAt(properties, 'RetentionInDays');
    if (days && typeof days.value === 'number') return { days: days.value, span: { start: days.start, end: days.end } };
  }
  return undefined;
}
