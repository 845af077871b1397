import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { policyDiagnostics } from '../../../server/src/policy/checks/policyDiagnostics';
import { REPO_ROOT } from '../helpers';

interface Snippet {
  prefix: string[];
  body: string[];
  description: string;
}

const snippets: Record<string, Snippet> = JSON.parse(readFileSync(join(REPO_ROOT, 'snippets', 'audit-policy.code-snippets'), 'utf8'));

/** The text a user gets when accepting the snippet with every default: first choice, placeholder text. */
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\{\d+\}|\$\d+/g, '');
}

/** Single-rule snippets are checked inside a policy, after the line `rules:`. */
function asPolicy(text: string): string {
  if (text.startsWith('apiVersion:')) return text;
  return `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${text}\n- level: Metadata\n`;
}

describe('policy snippets', () => {
  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" expands to a policy kube-apiserver accepts without warnings`, () => {
      const text = asPolicy(expand(snippet.body));
      const diagnostics = policyDiagnostics('file:///snippet/audit-policy.yaml', text) ?? [];
      const problems = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);
      assert.deepEqual(
        problems.map((d) => `${d.code} at ${d.range.start.line + 1}: ${d.message}`),
        [],
        text,
      );
      assert.ok(snippet.prefix.every((prefix) => prefix.startsWith('audit-') || prefix.startsWith('k8s-audit')));
    });
  }
});
