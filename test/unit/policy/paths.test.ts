import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { firstErrorOffset, parsePolicyText, parseYaml, type PolicyText } from '../../../server/src/policy/yaml/parse';
import { analysePolicy } from '../../../server/src/policy/checks/policyDiagnostics';
import { decodeTree } from '../../../server/src/policy/yaml/tree';
import { NEWEST_MINOR } from '../../../server/src/policy/version';
import { FIXTURES, SHARED } from '../helpers';
import { rules } from './helpers';

/** The full `yaml` path, bypassing the fast tree. */
function slowPolicyText(text: string): PolicyText {
  const parsed = parseYaml(text);
  return {
    text,
    lineCounter: parsed.lineCounter,
    tree: decodeTree(parsed.documents[0]!),
    documentCount: parsed.documents.length,
    syntaxErrors: parsed.documents.flatMap((d) => d.errors.map((e) => ({ start: e.pos[0], end: e.pos[1], message: e.message }))),
    firstDocumentErrorAt: firstErrorOffset(parsed.documents[0]),
  };
}

function texts(): [string, string][] {
  const found: [string, string][] = [];
  const folders = [join(FIXTURES, 'policies'), join(FIXTURES, 'workspace'), join(SHARED, 'corpus', 'policies')];
  for (const folder of folders.filter(existsSync)) {
    for (const file of readdirSync(folder).filter((f) => /\.ya?ml$/.test(f))) found.push([file, readFileSync(join(folder, file), 'utf8')]);
  }
  found.push(['block-rules', rules('level: None\nusers: ["*"]\nverbs: [GET]', 'level: Request\nresources:\n- group: ""\n  resources: [secrets, "*/*"]')]);
  return found;
}

describe('fast and full YAML paths give the same diagnostics', () => {
  it('on fixtures, the corpus and block-style rules', () => {
    let fast = 0;
    for (const [name, text] of texts()) {
      const viaDefault = analysePolicy(parsePolicyText(text), NEWEST_MINOR);
      const viaYaml = analysePolicy(slowPolicyText(text), NEWEST_MINOR);
      assert.deepEqual(viaDefault, viaYaml, name);
      if (parsePolicyText(text).syntaxErrors.length === 0) fast++;
    }
    assert.ok(fast > 0);
  });
});
