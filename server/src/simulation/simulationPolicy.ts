import type { Diagnostic } from 'vscode-languageserver-types';
import { severityName } from '../policy/checks/diagnostic';
import { rangeOf } from '../policy/yaml/parse';
import { analysePolicy, loadPolicy, type PolicyCheckOptions } from '../policy/checks/policyDiagnostics';
import type { Policy } from '../policy/types';

/** A policy ready to replay: the typed rules, where each rule starts, and what would stop kube-apiserver loading it. */
export interface SimulationPolicy {
  policy: Policy;
  /** 0-based line of each rule's "-", index-aligned with policy.rules. */
  ruleLines: number[];
  /** Errors kube-apiserver would refuse the file for: the simulation then shows what it would do if it loaded it. */
  errors: Diagnostic[];
  /** The Kubernetes minor the checks assumed. */
  minor: number;
  /** Some rule logs the bodies of secrets or tokens (the linter's sensitive-data-logged warning). */
  logsSecretValues: boolean;
}

/** Undefined when the text is not YAML that could hold a policy (not even parsable). */
export function simulationPolicy(text: string, options: PolicyCheckOptions = {}): SimulationPolicy | undefined {
  const loaded = loadPolicy('', text, { ...options, assumePolicy: true });
  if (!loaded) return undefined;
  const { model, parsed, minor } = loaded;
  const diagnostics = analysePolicy(parsed, minor);
  const errors = diagnostics.filter((d) => severityName(d.severity) === 'error');
  const ruleLines = model.rules.map((located) => rangeOf(parsed, located.node.start, located.node.start).start.line);
  return { policy: model.policy, ruleLines, errors, minor, logsSecretValues: diagnostics.some((d) => d.code === 'sensitive-data-logged') };
}
