import type { Diagnostic } from 'vscode-languageserver-types';
import { isAuditPolicy } from '../yaml/detect';
import { diagnostic } from './diagnostic';
import { catalogDiagnostics } from './lint/catalogChecks';
import { cisDiagnostics } from './lint/cis';
import { ruleKnowledge, type RuleKnowledge } from './lint/knowledge';
import { levelDiagnostics } from './lint/levels';
import { shadowingDiagnostics } from './lint/shadowing';
import { valueDiagnostics } from './lint/values';
import { modelOf, parseCached } from '../yaml/cache';
import type { PolicyModel } from '../yaml/model';
import type { PolicyText } from '../yaml/parse';
import { readerDiagnostics } from './readerChecks';
import { schemaDiagnostics } from './schemaChecks';
import { structureDiagnostics } from './structureChecks';
import { syntaxTrust, trustedDiagnostics } from './syntaxTrust';
import { validationDiagnostics } from './validate';
import { kubernetesMinor } from '../version';

export interface PolicyCheckOptions {
  /** Kubernetes minor version such as "1.33"; undefined means the newest one known. */
  kubernetesVersion?: string;
  /** Check the file even if it does not look like a policy (the CLI: the user named the file). */
  assumePolicy?: boolean;
}

/**
 * Far above any real policy (2,000 rules are about 200 KB). Larger texts are not parsed, so that a
 * stray 10 MB file never stalls the language server.
 */
export const MAX_POLICY_CHARS = 1_000_000;

/**
 * Everything kube-apiserver would say about a policy file, plus what it would silently do, or
 * `undefined` when the file is not an audit policy (then we stay silent and leave it to other YAML
 * tooling). The text is parsed once; every check reads the same model.
 */
export function policyDiagnostics(uri: string, text: string, options: PolicyCheckOptions = {}): Diagnostic[] | undefined {
  const entry = enterPolicy(uri, text, options);
  switch (entry.kind) {
    case 'not-a-policy':
      return undefined;
    case 'too-large':
      return [diagnostic('policy-too-large', 'warning', zeroRange(), `This file has ${(text.length / 1_000_000).toFixed(1)} million characters, far more than any audit policy (2,000 rules are about 0.2): it is not analysed.`)];
    case 'too-complex':
      return [diagnostic('yaml-too-complex', 'error', zeroRange(), 'This YAML nests too deeply to be read (thousands of levels); it cannot be an audit policy.')];
    case 'policy':
      return analysePolicy(entry.parsed, kubernetesMinor(options.kubernetesVersion), uri);
  }
}

/**
 * The parsed policy (from the shared cache) for completion, hover, code actions and explain, with the
 * same detection as policyDiagnostics; undefined when the text is not an audit policy.
 */
export function loadPolicy(uri: string, text: string, options: PolicyCheckOptions = {}): { parsed: PolicyText; model: PolicyModel; minor: number } | undefined {
  const entry = enterPolicy(uri, text, options);
  if (entry.kind !== 'policy') return undefined;
  return { parsed: entry.parsed, model: modelOf(entry.parsed), minor: kubernetesMinor(options.kubernetesVersion) };
}

type PolicyEntry = { kind: 'not-a-policy' | 'too-large' | 'too-complex' } | { kind: 'policy'; parsed: PolicyText };

/** The one gate every policy feature passes: is this text an audit policy we can read, and its parse. */
function enterPolicy(uri: string, text: string, options: PolicyCheckOptions): PolicyEntry {
  if (text.length > MAX_POLICY_CHARS) return { kind: options.assumePolicy || namedOrHeadedPolicy(uri, text) ? 'too-large' : 'not-a-policy' };
  // Most YAML an editor opens is not a policy: rule it out without parsing when the text cannot be one.
  if (!options.assumePolicy && !mayBePolicy(uri, text)) return { kind: 'not-a-policy' };
  let parsed: PolicyText;
  try {
    parsed = parseCached(text);
  } catch {
    // The yaml composer recurses per nesting level: absurd nesting exhausts the stack.
    return { kind: options.assumePolicy || /audit\.k8s\.io|audit[-_.]?polic/i.test(uri + text.slice(0, 4096)) ? 'too-complex' : 'not-a-policy' };
  }
  if (!options.assumePolicy && !isAuditPolicy(uri, parsed)) return { kind: 'not-a-policy' };
  return { kind: 'policy', parsed };
}

/**
 * All checks over one parsed text, for a given Kubernetes minor version. With a `uri`, diagnostics
 * that involve another place (the rule that shadows, the duplicate key kept) link to it.
 */
export function analysePolicy(parsed: PolicyText, minor: number, uri?: string): Diagnostic[] {
  const reader = readerDiagnostics(parsed, minor);
  const model = modelOf(parsed);
  const trust = syntaxTrust(model);
  const decoding = [...structureDiagnostics(model, minor, trust), ...schemaDiagnostics(model, minor)];
  const checked = [...reader, ...decoding, ...validationDiagnostics(model, minor)];
  // Semantic checks run even when the apiserver would refuse the file: an error in one place must not
  // hide findings elsewhere (nor make them flicker while a rule is being typed). What an error leaves
  // unknown is not reasoned about (lint/knowledge.ts), and after a YAML syntax error only what the
  // error cannot have garbled is reported (syntaxTrust.ts).
  const knowledge = ruleKnowledge(model, checked, trust);
  const all = [...checked, ...semanticDiagnostics(model, minor, knowledge, uri)];
  const shown = trust ? trustedDiagnostics(parsed, trust, all) : all;
  // Without anchors no node is shared, so nothing can be reported twice.
  return parsed.text.includes('&') ? dedupe(shown) : shown;
}

function semanticDiagnostics(model: PolicyModel, minor: number, knowledge: RuleKnowledge, uri: string | undefined): Diagnostic[] {
  return [
    ...valueDiagnostics(model, knowledge),
    ...catalogDiagnostics(model, minor),
    ...shadowingDiagnostics(model, knowledge, uri),
    ...levelDiagnostics(model, knowledge),
    ...cisDiagnostics(model, knowledge),
  ];
}

/** Aliased nodes are shared, so one problem can be found once per use: report it once. */
function dedupe(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** False only when isAuditPolicy would surely say no: no policy-like name, no audit group, no Policy kind. */
export function mayBePolicy(uri: string, text: string): boolean {
  return text.includes('audit.k8s.io') || text.includes('Policy') || POLICY_NAME.test(uri);
}

const POLICY_NAME = /audit(?:[-_.]|%2[dD]|%5[fF])?polic/i;

/** A text too large to parse is judged by its name and its first 64 KB only. */
function namedOrHeadedPolicy(uri: string, text: string): boolean {
  return /audit[-_.]?polic/i.test(decodeURIComponent(uri)) || /apiVersion:\s*["']?audit\.k8s\.io\//.test(text.slice(0, 65_536));
}

function zeroRange() {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
