import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-types';

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

export function diagnostic(
  code: string,
  severity: Severity,
  range: Range,
  message: string,
  data?: unknown,
): Diagnostic {
  const result: Diagnostic = { range, severity: LSP_SEVERITY[severity], code, source: DIAGNOSTIC_SOURCE, message };
  if (data !== undefined) result.data = data;
  return result;
}
