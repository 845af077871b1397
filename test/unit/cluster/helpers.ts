import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { setupCodeActions } from '../../../server/src/cluster/actions';
import { setupDiagnostics, type SetupCheckOptions } from '../../../server/src/cluster/setupDiagnostics';
import { FIXTURES } from '../helpers';

export const CLUSTER_FIXTURES = join(FIXTURES, 'cluster');

export function fixture(name: string): string {
  return readFileSync(join(CLUSTER_FIXTURES, name), 'utf8');
}

export function uriOf(name: string): string {
  return `file:///work/${name}`;
}

/** Our diagnostics always carry plain-text messages. */
export type Diag = Diagnostic & { message: string };

/** The diagnostics of a setup file; fails when the text is not recognised as one. */
export function check(text: string, name = 'kube-apiserver.yaml', options: SetupCheckOptions = {}): Diag[] {
  const result = setupDiagnostics(uriOf(name), text, options);
  assert.ok(result, `${name} was not recognised as a setup file`);
  return result as Diag[];
}

export function withCode(diagnostics: Diag[], code: string): Diag[] {
  return diagnostics.filter((d) => d.code === code);
}

/** "line:character-line:character text" for a diagnostic: its exact place and what it covers (1-based lines). */
export function where(text: string, d: Diagnostic): string {
  const document = TextDocument.create('file:///x', 'yaml', 1, text);
  const { start, end } = d.range;
  return `${start.line + 1}:${start.character}-${end.line + 1}:${end.character} ${document.getText(d.range)}`;
}

/**
 * Applies the quick fix of the first diagnostic with `code` (the preferred one, or the one whose title
 * matches) and checks the result: that diagnostic is gone from that place, and no error appeared.
 */
export function applyFix(text: string, code: string, name = 'kube-apiserver.yaml', title?: RegExp): string {
  const uri = uriOf(name);
  const before = check(text, name);
  const target = before.find((d) => d.code === code);
  assert.ok(target, `no ${code} in: ${before.map((d) => d.code).join(', ')}`);
  const actions = setupCodeActions(uri, text, [target]) ?? [];
  const action = title ? actions.find((a) => title.test(a.title)) : (actions.find((a) => a.isPreferred) ?? actions[0]);
  assert.ok(action, `no fix for ${code}: ${actions.map((a) => a.title).join(' | ')}`);
  const document = TextDocument.create(uri, 'yaml', 1, text);
  const fixed = TextDocument.applyEdits(document, action.edit!.changes![uri]!);
  const after = setupDiagnostics(uri, fixed) ?? [];
  const stillThere = after.filter((d) => d.code === code && d.range.start.line === target.range.start.line && d.range.start.character === target.range.start.character);
  assert.deepEqual(stillThere.map((d) => d.message), [], `${code} still there after "${action.title}":\n${fixed}`);
  const newErrors = after.filter((d) => d.severity === DiagnosticSeverity.Error && !before.some((b) => b.code === d.code));
  assert.deepEqual(newErrors.map((d) => `${d.code}: ${d.message}`), [], `errors after "${action.title}":\n${fixed}`);
  return fixed;
}
