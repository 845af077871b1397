import { cisCoverage, CIS_CONCERNS } from '../../policy/checks/lint/cis';
import { ruleAnchorRange, keyRange } from '../../policy/yaml/model';
import { intValue } from '../checks/flagValues';
import { ROTATION_MINIMUMS } from '../flags';
import { anchorEvidence, byShare, flagEvidence, manual, policyErrorEvidence, result, worst } from './controlKit';
import { evidenceAt, evidenceAtLine, type ApiServerFacts, type SetupFacts } from './facts';
import type { ControlId, ControlResult, Evidence } from './types';

/**
 * CIS Kubernetes Benchmark controls over the setup (spec §7: kube-bench only looks at the flags, and
 * leaves 3.2.2 manual; here 3.2.1 also needs the policy to load, and 3.2.2 is judged with the real
 * first-match evaluator through policy/checks/lint/cis.ts).
 */
export function cisControls(facts: SetupFacts): ControlResult[] {
  return [logPathControl(facts), ...ROTATION_MINIMUMS.map((r) => rotationControl(facts, `cis-${r.cis}` as ControlId, r.flag, r.minimum)), policyLoadsControl(facts), policyCoverageControl(facts)];
}

const MANAGED_NOTE = 'The control plane is managed: the provider sets kube-apiserver\'s flags; its logging settings are judged under pci-dss-10.5 and soc2-cc6.1.';
const NO_SETUP = 'No kube-apiserver manifest, kubeadm or k3s configuration was given.';

/** One result per apiserver, combined: the worst status, all the evidence. */
function perApiServer(facts: SetupFacts, id: ControlId, judge: (api: ApiServerFacts) => { status: ControlResult['status']; detail: string; evidence: Evidence[] }): ControlResult {
  if (facts.apiServers.length === 0) return manual(id, facts.managed.length > 0 ? MANAGED_NOTE : NO_SETUP);
  const judged = facts.apiServers.map(judge);
  return result(id, worst(judged.map((j) => j.status)), judged.map((j) => j.detail).join(' '), judged.flatMap((j) => j.evidence));
}

function logPathControl(facts: SetupFacts): ControlResult {
  return perApiServer(facts, 'cis-1.2.16', (api) => {
    const path = api.flags.get('audit-log-path');
    if (path?.value === '-') return { status: 'partial', detail: '--audit-log-path=- writes to standard output: the events are only as durable as the container log.', evidence: [flagEvidence(api, 'audit-log-path')!] };
    if (path?.value) return { status: 'pass', detail: `--audit-log-path=${path.value}.`, evidence: [flagEvidence(api, 'audit-log-path')!] };
    const webhook = api.flags.get('audit-webhook-config-file')?.value;
    return { status: 'fail', detail: `kube-apiserver has no --audit-log-path${webhook ? ' (events go to the webhook only)' : ''}.`, evidence: [anchorEvidence(api)] };
  });
}

function rotationControl(facts: SetupFacts, id: ControlId, name: string, minimum: number): ControlResult {
  return perApiServer(facts, id, (api) => {
    const path = api.flags.get('audit-log-path')?.value;
    if (!path || path === '-') return { status: 'fail', detail: `There is no log file to rotate (--audit-log-path is ${path ? 'standard output' : 'not set'}).`, evidence: [flagEvidence(api, 'audit-log-path') ?? anchorEvidence(api)] };
    const flag = api.flags.get(name);
    if (!flag) return { status: 'fail', detail: `--${name} is not set.`, evidence: [flagEvidence(api, 'audit-log-path')!] };
    const value = intValue(flag);
    if (value === undefined || value < minimum) return { status: 'fail', detail: `--${name}=${flag.value ?? ''} (${minimum} or more asked).`, evidence: [flagEvidence(api, name)!] };
    return { status: 'pass', detail: `--${name}=${value}.`, evidence: [flagEvidence(api, name)!] };
  });
}

function policyLoadsControl(facts: SetupFacts): ControlResult {
  const id = 'cis-3.2.1';
  const policy = facts.policy;
  const policyEvidence = (): Evidence[] => {
    const apiVersion = policy?.model?.root?.byKey.get('apiVersion');
    return policy?.model ? [apiVersion ? evidenceAt(policy.file, policy.source, { start: apiVersion.keyStart, end: apiVersion.keyEnd }) : evidenceAtLine(policy.file, policy.source, 0)] : [];
  };
  if (facts.apiServers.length === 0) {
    if (facts.managed.length > 0) {
      const judged = facts.managed.map((m) => ({ status: m.config.coverage === 'none' ? ('fail' as const) : ('pass' as const), evidence: evidenceAt(m.file, m.source, m.config.evidence) }));
      return result(id, worst(judged.map((j) => j.status)), judged.some((j) => j.status === 'fail') ? 'The managed cluster keeps no Kubernetes audit log.' : "The provider's audit policy is in force (the provider owns it).", judged.map((j) => j.evidence));
    }
    if (!policy) return manual(id, NO_SETUP);
    if (!policy.model) return result(id, 'fail', `The policy does not load (${policy.errors.length} error(s)).`, policyErrorEvidence(policy));
    return result(id, 'partial', 'The policy loads, but no manifest shows kube-apiserver using it (give --manifest).', policyEvidence());
  }
  return perApiServer(facts, id, (api) => {
    const flag = api.flags.get('audit-policy-file');
    if (!flag?.value) return { status: 'fail', detail: 'kube-apiserver has no --audit-policy-file: nothing is logged.', evidence: [anchorEvidence(api)] };
    const at = flagEvidence(api, 'audit-policy-file')!;
    if (!policy) return { status: 'partial', detail: `--audit-policy-file=${flag.value} is set, but the policy was not available to check (give --policy).`, evidence: [at] };
    if (!policy.model) return { status: 'fail', detail: `The policy does not load: kube-apiserver will not start (${policy.errors.length} error(s)).`, evidence: [at, ...policyErrorEvidence(policy)] };
    return { status: 'pass', detail: `--audit-policy-file names a policy that loads (${policy.model.rules.length} rule(s)).`, evidence: [at, ...policyEvidence()] };
  });
}

function policyCoverageControl(facts: SetupFacts): ControlResult {
  const id = 'cis-3.2.2';
  const policy = facts.policy;
  if (!policy) return manual(id, facts.managed.length > 0 ? "The provider's audit policy decides; it is not in these files." : 'No audit policy was given (--policy).');
  if (!policy.model) return result(id, 'fail', 'The policy does not load, so it covers nothing.', policyErrorEvidence(policy));
  const model = policy.model;
  // The model exists only for a policy that loads without errors: every rule is known.
  const verdicts = cisCoverage(model.policy);
  const evidence: Evidence[] = [];
  const gaps: string[] = [];
  let ok = 0;
  for (const concern of CIS_CONCERNS) {
    const mine = verdicts.filter((v) => v.concern === concern.label);
    for (const v of mine) {
      const located = v.ruleIndex === undefined ? undefined : model.rules[v.ruleIndex];
      const range = located ? ruleAnchorRange(model, located) : model.root?.byKey.get('rules') ? keyRange(model, model.root.byKey.get('rules')!) : undefined;
      if (range) evidence.push(evidenceAtLine(policy.file, policy.source, range.start.line));
    }
    const bad = mine.filter((v) => !v.ok);
    if (bad.length === 0) ok++;
    else gaps.push(`${concern.label} (${bad.map((v) => `${v.verb}: ${v.level}`).join(', ')}; ${concern.want === 'metadata' ? 'Metadata only' : 'Metadata or more'} asked)`);
  }
  const status = byShare(ok, CIS_CONCERNS.length);
  const detail = gaps.length === 0 ? `All ${CIS_CONCERNS.length} concerns are covered, judged with first-match semantics for an ordinary user.` : `${ok} of ${CIS_CONCERNS.length} concerns covered; not: ${gaps.join('; ')}.`;
  return result(id, status, detail, evidence);
}
