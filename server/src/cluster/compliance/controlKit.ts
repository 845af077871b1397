import type { Range } from 'vscode-languageserver-types';
import { firstMatchingRule } from '../../policy/match';
import { keyRange, ruleAnchorRange } from '../../policy/yaml/model';
import type { RequestAttributes } from '../../policy/types';
import type { ApiServerFacts, PolicyFacts } from './facts';
import { evidenceAt, evidenceAtLine } from './facts';
import type { ControlId, ControlResult, ControlStatus, Evidence } from './types';

/** Shared pieces of the controls: titles, remediation texts, status arithmetic and policy evidence. */

export const TITLES: Record<ControlId, string> = {
  'cis-1.2.16': 'CIS 1.2.16: --audit-log-path is set',
  'cis-1.2.17': 'CIS 1.2.17: --audit-log-maxage is 30 or more',
  'cis-1.2.18': 'CIS 1.2.18: --audit-log-maxbackup is 10 or more',
  'cis-1.2.19': 'CIS 1.2.19: --audit-log-maxsize is 100 or more',
  'cis-3.2.1': 'CIS 3.2.1: an audit policy exists and loads',
  'cis-3.2.2': 'CIS 3.2.2: the audit policy covers key security concerns',
  'soc2-cc6.1': 'SOC 2 CC6.1: user activity is logged (who, what, when) for writes and sensitive reads',
  'soc2-cc7.2': 'SOC 2 CC7.2: anomalies are monitored (detectors over a streamed audit log)',
  'pci-dss-10.2': 'PCI DSS 10.2: access to cardholder-data namespaces is logged',
  'pci-dss-10.5': 'PCI DSS 10.5: audit logs are kept 12 months, the last 3 immediately available',
  'hipaa-164.312b': 'HIPAA 164.312(b): audit controls record activity in PHI namespaces',
};

export const REMEDIATION: Record<ControlId, string> = {
  'cis-1.2.16': 'Set --audit-log-path (for example /var/log/kubernetes/audit/audit.log) and mount its directory from the host.',
  'cis-1.2.17': 'Set --audit-log-maxage=30 or more.',
  'cis-1.2.18': 'Set --audit-log-maxbackup=10 or more.',
  'cis-1.2.19': 'Set --audit-log-maxsize=100 or more.',
  'cis-3.2.1': 'Write an audit.k8s.io/v1 Policy, name it with --audit-policy-file, mount it read-only, and fix every error `k8s-audit lint` reports in it.',
  'cis-3.2.2': 'Log secrets, configmaps and tokenreviews at Metadata only; log changes to pods and deployments, and pods/exec, pods/portforward, pods/proxy and services/proxy, at Metadata or more; end with a catch-all rule.',
  'soc2-cc6.1': 'Log every write and every read of secrets at Metadata or more (the catch-all `- level: Metadata` does this), with a backend that keeps the events.',
  'soc2-cc7.2': 'Stream audit events to a monitored place (the webhook backend, or a collector that ships the log file to a SIEM) and run detectors over them (`k8s-audit scan`, or your SIEM rules).',
  'pci-dss-10.2': 'Make sure no rule before the catch-all sets level None for the cardholder-data namespaces; log every request there at Metadata or more.',
  'pci-dss-10.5': 'Keep 12 months of audit logs and the last 3 months searchable: rotate on the node (--audit-log-maxage) and ship the log to an archive with that retention (or set the provider\'s retention to 365 days).',
  'hipaa-164.312b': 'Log every request in the PHI namespaces at Metadata or more, and keep the log where it is reviewed.',
};

const RANK: Record<ControlStatus, number> = { pass: 0, manual: 1, partial: 2, fail: 3 };

/** The worst of several statuses (fail over partial over pass). */
export function worst(statuses: ControlStatus[]): ControlStatus {
  return statuses.reduce<ControlStatus>((acc, status) => (RANK[status] > RANK[acc] ? status : acc), 'pass');
}

/** Statuses from "how many of the checked things are right": all, some, none. */
export function byShare(ok: number, total: number): ControlStatus {
  if (total === 0) return 'manual';
  return ok === total ? 'pass' : ok === 0 ? 'fail' : 'partial';
}

export function result(id: ControlId, status: ControlStatus, detail: string, evidence: Evidence[]): ControlResult {
  return { id, title: TITLES[id], status, detail, evidence: dedupe(evidence), remediation: REMEDIATION[id] };
}

export function manual(id: ControlId, detail: string): ControlResult {
  return result(id, 'manual', detail, []);
}

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const key = `${e.file}:${e.line}:${e.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Where a missing flag would go: the list holding kube-apiserver's flags. */
export function anchorEvidence(api: ApiServerFacts): Evidence {
  return evidenceAt(api.file, api.source, api.config.anchor);
}

export function flagEvidence(api: ApiServerFacts, name: string): Evidence | undefined {
  const flag = api.flags.get(name);
  return flag ? evidenceAt(api.file, api.source, flag.span) : undefined;
}

/** The rule of a loaded policy that decides a request, as evidence (the `rules:` key when none does). */
export function decide(policy: PolicyFacts, request: RequestAttributes): { level: string; evidence: Evidence; ruleIndex: number | undefined } {
  const model = policy.model!;
  const decision = firstMatchingRule(model.policy, request);
  let range: Range;
  if (decision.ruleIndex !== undefined) range = ruleAnchorRange(model, model.rules[decision.ruleIndex]!);
  else {
    const rules = model.root?.byKey.get('rules');
    range = rules ? keyRange(model, rules) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  }
  return { level: decision.level, evidence: evidenceAtLine(policy.file, policy.source, range.start.line), ruleIndex: decision.ruleIndex };
}

/** The first errors of a policy that does not load, as evidence. */
export function policyErrorEvidence(policy: PolicyFacts, limit = 3): Evidence[] {
  return policy.errors.slice(0, limit).map((d) => evidenceAtLine(policy.file, policy.source, d.range.start.line));
}

export function isLogged(level: string): boolean {
  return level !== 'None' && level !== '';
}
