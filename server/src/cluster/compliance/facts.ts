import type { Diagnostic } from 'vscode-languageserver-types';
import { severityName } from '../../policy/checks/diagnostic';
import type { PolicyModel } from '../../policy/yaml/model';
import { parseYaml, type LineIndexed } from '../../policy/yaml/parse';
import { loadPolicy, policyDiagnostics } from '../../policy/checks/policyDiagnostics';
import { effectiveFlags } from '../effectiveFlags';
import type { ApiServerConfig, FlagArg, ManagedLogging, WebhookKubeconfig } from '../model';
import { lineOf, lineText, type ClusterSource, type Span } from '../source';
import type { ComplianceInputs, Evidence, PolicyInput } from './types';

/** The setup as the controls look at it: every apiserver, webhook kubeconfig and managed setting, with its file. */
export interface ApiServerFacts {
  file: string;
  source: ClusterSource;
  config: ApiServerConfig;
  flags: Map<string, FlagArg>;
}

export interface ManagedFacts {
  file: string;
  source: ClusterSource;
  config: ManagedLogging;
}

export interface WebhookFacts {
  file: string;
  source: ClusterSource;
  config: WebhookKubeconfig;
  diagnostics: Diagnostic[];
}

export interface PolicyFacts {
  file: string;
  uri: string;
  source: LineIndexed;
  errors: Diagnostic[];
  /** Only when the policy loads (no errors). */
  model?: PolicyModel;
}

export interface SetupFacts {
  apiServers: ApiServerFacts[];
  managed: ManagedFacts[];
  webhooks: WebhookFacts[];
  policy?: PolicyFacts;
}

export function setupFacts(inputs: ComplianceInputs): SetupFacts {
  const facts: SetupFacts = { apiServers: [], managed: [], webhooks: [] };
  for (const { file, analysed } of inputs.setups) {
    const source = analysed.file.source;
    for (const document of analysed.file.documents) {
      if (document.kind === 'apiserver') facts.apiServers.push({ file, source, config: document.config, flags: effectiveFlags(document.config) });
      else if (document.kind === 'managed') facts.managed.push({ file, source, config: document.config });
      else facts.webhooks.push({ file, source, config: document.config, diagnostics: analysed.diagnostics });
    }
  }
  if (inputs.policy) facts.policy = policyFacts(inputs.policy, inputs.kubernetesVersion);
  return facts;
}

function policyFacts(input: PolicyInput, kubernetesVersion: string | undefined): PolicyFacts {
  const options = { ...(kubernetesVersion ? { kubernetesVersion } : {}), assumePolicy: true };
  const diagnostics = policyDiagnostics(input.uri, input.text, options) ?? [];
  const errors = diagnostics.filter((d) => severityName(d.severity) === 'error');
  const loaded = errors.length === 0 ? loadPolicy(input.uri, input.text, options) : undefined;
  const source = loaded?.parsed ?? parseYaml(input.text);
  return { file: input.file, uri: input.uri, source, errors, ...(loaded ? { model: loaded.model } : {}) };
}

/** The line that holds a span, as evidence. */
export function evidenceAt(file: string, source: LineIndexed, span: Span): Evidence {
  return { file, line: lineOf(source, span.start), text: lineText(source, span.start) };
}

/** A 0-based LSP line of a text, as evidence. */
export function evidenceAtLine(file: string, source: LineIndexed, line: number): Evidence {
  const starts = source.text.split('\n');
  return { file, line: line + 1, text: (starts[line] ?? '').trim() };
}
