import type { Diagnostic } from 'vscode-languageserver-types';
import { policyDiagnostics } from '../../../server/src/policy/checks/policyDiagnostics';

export const URI = 'file:///work/audit-policy.yaml';
const HEADER = 'apiVersion: audit.k8s.io/v1\nkind: Policy\n';

/** A policy text: the header plus the given body (rules, omitStages...). */
export function policy(body: string): string {
  return HEADER + body;
}

/** A policy whose rules are given as YAML list items (one string per rule, flow style allowed). */
export function rules(...items: string[]): string {
  return policy(`rules:\n${items.map((item) => `- ${item.replace(/\n/g, '\n  ')}`).join('\n')}\n`);
}

/** Our diagnostics always carry plain-text messages. */
export type Diag = Diagnostic & { message: string };

export function lint(text: string, kubernetesVersion?: string): Diag[] {
  const result = policyDiagnostics(URI, text, kubernetesVersion ? { kubernetesVersion } : {});
  if (!result) throw new Error('not treated as a policy');
  return result as Diag[];
}

export function codes(text: string, kubernetesVersion?: string): string[] {
  return lint(text, kubernetesVersion).map((d) => String(d.code));
}

export function withCode(text: string, code: string, kubernetesVersion?: string): Diag[] {
  return lint(text, kubernetesVersion).filter((d) => d.code === code);
}

/** The text a diagnostic's range covers. */
export function covered(text: string, d: Diagnostic): string {
  const lines = text.split('\n');
  if (d.range.start.line === d.range.end.line) return lines[d.range.start.line]!.slice(d.range.start.character, d.range.end.character);
  const parts = [lines[d.range.start.line]!.slice(d.range.start.character)];
  for (let line = d.range.start.line + 1; line < d.range.end.line; line++) parts.push(lines[line]!);
  parts.push(lines[d.range.end.line]!.slice(0, d.range.end.character));
  return parts.join('\n');
}

export function severities(ds: Diagnostic[]): number[] {
  return ds.map((d) => d.severity ?? 0);
}
