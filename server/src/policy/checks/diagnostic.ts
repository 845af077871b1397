import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';
import type { FixDataOf } from './fixData';

/** Every diagnostic the policy engine emits carries this source and a stable code. */
export const DIAGNOSTIC_SOURCE = 'k8s-audit';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function severityName(severity: DiagnosticSeverity | undefined): Severity {
  switch (severity) {
    case DiagnosticSeverity.Warning:
      return 'warning';
    case DiagnosticSeverity.Information:
      return 'information';
    case DiagnosticSeverity.Hint:
      return 'hint';
    default:
      return 'error';
  }
}

/** A diagnostic of ours; a policy code's fix data is typed by fixData.ts. */
export function diagnostic<C extends string>(
  code: C,
  severity: Severity,
  range: Range,
  message: string,
  data?: FixDataOf<C>,
): Diagnostic {
  const result: Diagnostic = { range, severity: LSP_SEVERITY[severity], code, source: DIAGNOSTIC_SOURCE, message };
  if (data !== undefined) result.data = data;
  return result;
}
