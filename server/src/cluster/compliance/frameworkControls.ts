import { FRESH } from '../../policy/coverage';
import type { RequestAttributes } from '../../policy/types';
import { intValue } from '../checks/flagValues';
import { IMMEDIATELY_AVAILABLE_DAYS, RETENTION_DAYS_ASKED } from '../managed/retention';
import { anchorEvidence, byShare, decide, flagEvidence, isLogged, manual, policyErrorEvidence, result, worst } from './controlKit';
import { evidenceAt, type SetupFacts } from './facts';
import type { ComplianceInputs, ControlResult, ControlStatus, Evidence, LogEvidence } from './types';

/**
 * SOC 2, PCI DSS and HIPAA controls, judged from the same setup: the policy (with the first-match
 * evaluator, for an ordinary user no rule names), the backend, the managed service's switches, and,
 * when a log is given, what the log shows.
 */
export function frameworkControls(facts: SetupFacts, inputs: ComplianceInputs): ControlResult[] {
  return [
    userActivityControl(facts, inputs.log),
    monitoringControl(facts, inputs.log),
    namespaceControl(facts, inputs.log, 'pci-dss-10.2', inputs.cardholderNamespaces, 'cardholder-data', '--cardholder-namespaces (k8sAudit.compliance.cardholderNamespaces)'),
    retentionControl(facts, inputs.log),
    namespaceControl(facts, inputs.log, 'hipaa-164.312b', inputs.phiNamespaces, 'PHI', '--phi-namespaces (k8sAudit.compliance.phiNamespaces)'),
  ];
}

const USER = { name: FRESH, groups: ['system:authenticated'] };
const WRITES = ['create', 'update', 'patch', 'delete'];

function resourceRequest(verb: string, apiGroup: string, resource: string, namespace: string = FRESH): RequestAttributes {
  return { user: USER, verb, resourceRequest: true, apiGroup, resource, subresource: '', namespace, name: verb === 'create' || verb === 'list' ? '' : FRESH };
}

/** A backend that keeps events: without one the policy logs to nowhere. */
function backendProblem(facts: SetupFacts): { detail: string; evidence: Evidence[] } | undefined {
  for (const api of facts.apiServers) {
    if (!api.flags.get('audit-policy-file')?.value) return { detail: 'kube-apiserver has no --audit-policy-file: nothing is logged.', evidence: [anchorEvidence(api)] };
    if (!api.flags.get('audit-log-path')?.value && !api.flags.get('audit-webhook-config-file')?.value) return { detail: 'kube-apiserver has no audit backend: events are written nowhere.', evidence: [flagEvidence(api, 'audit-policy-file')!] };
  }
  return undefined;
}

function managedCoverage(facts: SetupFacts, what: string): { status: ControlStatus; detail: string; evidence: Evidence[] } {
  const status = worst(facts.managed.map((m) => (m.config.coverage === 'all' ? 'pass' : m.config.coverage === 'writes' ? 'partial' : 'fail')));
  const detail = status === 'pass' ? `The provider logs every request, ${what} included.` : status === 'partial' ? `The provider logs writes but not reads (${what} are reads).` : 'The managed cluster keeps no Kubernetes audit log.';
  return { status, detail, evidence: facts.managed.map((m) => evidenceAt(m.file, m.source, m.config.evidence)) };
}

function userActivityControl(facts: SetupFacts, log: LogEvidence | undefined): ControlResult {
  const id = 'soc2-cc6.1';
  const logEvidence = categoryEvidence(log, ['writes', 'secret-reads']);
  const broken = backendProblem(facts);
  if (broken) return result(id, 'fail', broken.detail, broken.evidence);
  const policy = facts.policy;
  if (policy && !policy.model) return result(id, 'fail', 'The policy does not load, so nothing is logged.', policyErrorEvidence(policy));
  if (policy?.model) {
    const checks = [
      ...WRITES.map((verb) => ({ what: `${verb} deployments`, request: resourceRequest(verb, 'apps', 'deployments') })),
      ...WRITES.map((verb) => ({ what: `${verb} configmaps`, request: resourceRequest(verb, '', 'configmaps') })),
      ...WRITES.map((verb) => ({ what: `${verb} of any other resource`, request: resourceRequest(verb, FRESH, FRESH) })),
      { what: 'get secrets', request: resourceRequest('get', '', 'secrets') },
      { what: 'list secrets', request: resourceRequest('list', '', 'secrets') },
    ];
    const decided = checks.map((c) => ({ ...c, ...decide(policy, c.request) }));
    const missed = decided.filter((d) => !isLogged(d.level));
    const status = byShare(decided.length - missed.length, decided.length);
    const detail = missed.length === 0 ? 'Every write and every secret read of an ordinary user is logged (user, verb, object and time are in every event).' : `Not logged: ${missed.map((m) => m.what).join(', ')}.`;
    return result(id, status, detail, [...decided.map((d) => d.evidence), ...logEvidence]);
  }
  if (facts.managed.length > 0) {
    const managed = managedCoverage(facts, 'secret reads');
    return result(id, managed.status, managed.detail, [...managed.evidence, ...logEvidence]);
  }
  if (log && log.requests > 0) {
    const writes = log.categories.find((c) => c.id === 'writes')?.count ?? 0;
    const reads = log.categories.find((c) => c.id === 'secret-reads')?.count ?? 0;
    return result(id, writes > 0 && reads > 0 ? 'pass' : 'partial', `The log has ${writes} write(s) and ${reads} secret read(s), each with user, verb, object and time${writes > 0 && reads > 0 ? '' : '; the policy was not given, so what is not logged cannot be told'}.`, logEvidence.length > 0 ? logEvidence : firstEventEvidence(log));
  }
  return manual(id, 'Neither a policy, a managed-cluster setting nor a log was given.');
}

function monitoringControl(facts: SetupFacts, log: LogEvidence | undefined): ControlResult {
  const id = 'soc2-cc7.2';
  const streams: Evidence[] = [];
  const fileOnly: Evidence[] = [];
  for (const api of facts.apiServers) {
    const webhook = flagEvidence(api, 'audit-webhook-config-file');
    if (webhook && api.flags.get('audit-webhook-config-file')?.value) streams.push(webhook);
    else fileOnly.push(flagEvidence(api, 'audit-log-path') ?? anchorEvidence(api));
  }
  for (const webhook of facts.webhooks) streams.push(evidenceAt(webhook.file, webhook.source, webhook.config.clusters[0]?.nameSpan ?? webhook.config.root));
  for (const managed of facts.managed) (managed.config.streams ? streams : fileOnly).push(evidenceAt(managed.file, managed.source, managed.config.evidence));
  const detectorEvidence: Evidence[] = log ? (log.detections.length > 0 ? log.detections.slice(0, 5).map((d) => d.example) : firstEventEvidence(log)) : [];
  const detected = log ? `detectors ran over ${log.requests} request(s) of the log: ${log.detections.reduce((sum, d) => sum + d.count, 0)} detection(s)` : '';
  if (streams.length === 0 && !log) {
    if (fileOnly.length === 0) return manual(id, 'No setup file or log was given.');
    return result(id, 'fail', 'The audit log stays in a file on the node (no webhook or provider stream), and no detector run is shown.', fileOnly);
  }
  if (streams.length > 0 && log) return result(id, 'pass', `Events are streamed out of the cluster, and ${detected}.`, [...streams, ...detectorEvidence]);
  if (streams.length > 0) return result(id, 'partial', 'Events are streamed out of the cluster; give a log (--log) to show that detectors run over it.', streams);
  return result(id, 'partial', `${detected[0]!.toUpperCase()}${detected.slice(1)}, but ${fileOnly.length > 0 ? 'the log stays in a file on the node (no webhook or provider stream)' : 'no setup file shows where events are sent'}.`, [...fileOnly, ...detectorEvidence]);
}

function namespaceControl(facts: SetupFacts, log: LogEvidence | undefined, id: 'pci-dss-10.2' | 'hipaa-164.312b', namespaces: string[], kind: string, setting: string): ControlResult {
  if (namespaces.length === 0) return manual(id, `Name the ${kind} namespaces with ${setting} to check this control.`);
  const logEvidence = namespaces.flatMap((ns) => (log?.namespaces[ns]?.example ? [log.namespaces[ns]!.example!] : []));
  const broken = backendProblem(facts);
  if (broken) return result(id, 'fail', broken.detail, broken.evidence);
  const policy = facts.policy;
  if (policy && !policy.model) return result(id, 'fail', 'The policy does not load, so nothing is logged.', policyErrorEvidence(policy));
  if (policy?.model) {
    const verbs = ['get', 'list', 'watch', ...WRITES];
    const resources: [string, string][] = [['', 'secrets'], ['', 'pods'], ['', 'configmaps'], [FRESH, FRESH]];
    const decided = namespaces.flatMap((ns) => verbs.flatMap((verb) => resources.map(([group, resource]) => ({ ns, verb, resource: resource === FRESH ? 'any other resource' : resource, ...decide(policy, resourceRequest(verb, group, resource, ns)) }))));
    const missed = decided.filter((d) => !isLogged(d.level));
    const status = byShare(decided.length - missed.length, decided.length);
    const summary = [...new Set(missed.map((m) => `${m.verb} ${m.resource} in ${m.ns}`))].slice(0, 8);
    const detail = missed.length === 0 ? `Every request of an ordinary user in ${namespaces.join(', ')} is logged at Metadata or more.` : `Not logged: ${summary.join(', ')}${missed.length > summary.length ? ', …' : ''}.`;
    return result(id, status, detail, [...decided.map((d) => d.evidence), ...logEvidence]);
  }
  if (facts.managed.length > 0) {
    const managed = managedCoverage(facts, `reads in ${namespaces.join(', ')}`);
    return result(id, managed.status, managed.detail, [...managed.evidence, ...logEvidence]);
  }
  if (logEvidence.length > 0) return result(id, 'partial', `The log has requests in ${namespaces.filter((ns) => log?.namespaces[ns]?.count).join(', ')}; give the policy to show that all of them are logged.`, logEvidence);
  return manual(id, 'Neither a policy, a managed-cluster setting nor a log with requests in these namespaces was given.');
}

function retentionControl(facts: SetupFacts, log: LogEvidence | undefined): ControlResult {
  const id = 'pci-dss-10.5';
  const span = log ? logSpanDays(log) : undefined;
  const logEvidence = log && span !== undefined && span >= IMMEDIATELY_AVAILABLE_DAYS ? firstAndLastEvidence(log) : [];
  if (facts.apiServers.length > 0) {
    const judged = facts.apiServers.map((api): { status: ControlStatus; detail: string; evidence: Evidence[] } => {
      const path = api.flags.get('audit-log-path')?.value;
      const webhook = api.flags.get('audit-webhook-config-file')?.value;
      if (!path || path === '-') {
        if (webhook) return { status: 'manual', detail: 'Events go to the webhook: its receiver decides how long they are kept.', evidence: [flagEvidence(api, 'audit-webhook-config-file')!] };
        return { status: 'fail', detail: 'No log file is kept on the node.', evidence: [flagEvidence(api, 'audit-log-path') ?? anchorEvidence(api)] };
      }
      const maxage = intValue(api.flags.get('audit-log-maxage')) ?? 0;
      const maxbackup = intValue(api.flags.get('audit-log-maxbackup')) ?? 0;
      const evidence = [flagEvidence(api, 'audit-log-maxage') ?? flagEvidence(api, 'audit-log-path')!, ...(api.flags.has('audit-log-maxbackup') ? [flagEvidence(api, 'audit-log-maxbackup')!] : [])];
      if (maxage >= RETENTION_DAYS_ASKED && maxbackup === 0) return { status: 'pass', detail: `Rotated files are kept ${maxage} days, with no limit on their number.`, evidence };
      if (maxage === 0 && maxbackup === 0) return { status: 'partial', detail: 'Rotated files are never removed: kept until the disk fills, which guarantees nothing; archive them for 12 months.', evidence };
      if (maxage >= IMMEDIATELY_AVAILABLE_DAYS || (maxage === 0 && maxbackup > 0)) return { status: 'partial', detail: `On the node: ${maxage > 0 ? `up to ${maxage} days` : 'no age limit'}${maxbackup > 0 ? `, at most ${maxbackup} rotated files` : ''}; 12 months need an archive these files do not show.`, evidence };
      return { status: 'fail', detail: `Rotated files are deleted after ${maxage} days: less than the 3 months to keep immediately available.`, evidence };
    });
    return result(id, worst(judged.map((j) => j.status)), `${judged.map((j) => j.detail).join(' ')}${span !== undefined ? ` The logs given cover ${span === 0 ? 'less than a day' : `${span} day(s)`}.` : ''}`, [...judged.flatMap((j) => j.evidence), ...logEvidence]);
  }
  if (facts.managed.length > 0) {
    const judged = facts.managed.map((m): { status: ControlStatus; detail: string; evidence: Evidence } => {
      const days = m.config.retentionDays;
      const evidence = evidenceAt(m.file, m.source, m.config.retentionEvidence ?? m.config.evidence);
      if (m.config.coverage === 'none') return { status: 'fail', detail: 'No audit log is kept.', evidence };
      if (days === undefined) return { status: 'manual', detail: m.config.provider === 'gke' ? 'Cloud Logging keeps Admin Activity 400 days and Data Access 30 days in the _Default bucket unless it is changed; the IAM policy does not say.' : 'The retention is set at the destination, not in this file.', evidence };
      if (days === 'forever' || days >= RETENTION_DAYS_ASKED) return { status: 'pass', detail: days === 'forever' ? 'The provider keeps the audit log until it is deleted.' : `The provider keeps the audit log ${days} days.`, evidence };
      return { status: days >= IMMEDIATELY_AVAILABLE_DAYS ? 'partial' : 'fail', detail: `The provider keeps the audit log ${days} days (365 asked).`, evidence };
    });
    const status = judged.every((j) => j.status === 'manual') ? 'manual' : worst(judged.map((j) => j.status).filter((s) => s !== 'manual'));
    return result(id, status, judged.map((j) => j.detail).join(' '), status === 'manual' ? [] : judged.map((j) => j.evidence));
  }
  if (logEvidence.length > 0) return result(id, 'partial', `The logs given cover ${span} days, so at least 3 months are available; the setup was not given, so 12 months cannot be shown.`, logEvidence);
  return manual(id, 'No setup file shows how long audit logs are kept.');
}

function categoryEvidence(log: LogEvidence | undefined, ids: string[]): Evidence[] {
  return (log?.categories ?? []).filter((c) => ids.includes(c.id) && c.example).map((c) => c.example!);
}

function firstEventEvidence(log: LogEvidence): Evidence[] {
  return log.span ? [log.span.first] : [];
}

function firstAndLastEvidence(log: LogEvidence): Evidence[] {
  return log.span ? [log.span.first, log.span.last] : [];
}

function logSpanDays(log: LogEvidence): number | undefined {
  if (!log.from || !log.to) return undefined;
  return Math.floor((Date.parse(log.to) - Date.parse(log.from)) / 86_400_000);
}
