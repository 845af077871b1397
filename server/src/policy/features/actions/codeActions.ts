import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE } from '../../checks/diagnostic';
import { loadPolicy, type PolicyCheckOptions } from '../../checks/policyDiagnostics';
import { fixesFor } from './fixTable';
import { RuleEditor } from './ruleEdits';

/**
 * Quick fixes for the engine's diagnostics, driven by their `data` (checks/fixData.ts): each edit
 * leaves a policy that loads, and removes the problem it fixes. Plus one refactoring offered on the
 * top-level keys (omitStages: [RequestReceived]).
 */
export function policyCodeActions(uri: string, text: string, range: Range, diagnostics: Diagnostic[], options: PolicyCheckOptions = {}): CodeAction[] | undefined {
  const loaded = loadPolicy(uri, text, options);
  if (!loaded) return undefined;
  // With aliases or merge keys, one node stands for several places: an edit at the anchor would
  // change them all, so no fix is offered (the diagnostics still explain the problem).
  if (/(^|[\s[{,])\*[^\s,\]}]+|<<\s*:/m.test(text)) return [];
  const editor = new RuleEditor(loaded.model, loaded.minor);
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== undefined && d.source !== DIAGNOSTIC_SOURCE) continue;
    try {
      for (const fix of fixesFor(editor, d)) {
        const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: fix.edits } } };
        if (fix.preferred) action.isPreferred = true;
        actions.push(action);
      }
    } catch {
      // A fix we cannot compute for this shape of YAML is simply not offered.
    }
  }
  const stages = editor.addOmitStages(range);
  if (stages) actions.push({ title: stages.title, kind: CodeActionKind.RefactorRewrite, edit: { changes: { [uri]: stages.edits } } });
  return actions;
}
