import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../policy/checks/diagnostic';
import type { ClusterDiagnosticData } from './finding';
import { setupDiagnostics, type SetupCheckOptions } from './setupDiagnostics';

/**
 * Quick fixes for setup-file diagnostics. The fixes are computed with the findings; to be sure they fit
 * the text as it is now (not the version the client's diagnostics came from), the findings are computed
 * again and matched by code and range.
 */
export function setupCodeActions(uri: string, text: string, diagnostics: readonly Diagnostic[], options: SetupCheckOptions = {}): CodeAction[] | undefined {
  const fresh = setupDiagnostics(uri, text, options);
  if (!fresh) return undefined;
  const actions: CodeAction[] = [];
  for (const given of diagnostics) {
    if (given.source !== undefined && given.source !== DIAGNOSTIC_SOURCE) continue;
    const match = fresh.find((d) => d.code === given.code && sameRange(d, given));
    const fixes = (match?.data as ClusterDiagnosticData | undefined)?.fixes ?? [];
    for (const fix of fixes) {
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [given], edit: { changes: { [uri]: fix.edits } } };
      if (fix.preferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}

function sameRange(a: Diagnostic, b: Diagnostic): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character && a.range.end.line === b.range.end.line && a.range.end.character === b.range.end.character;
}
