import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as textmate from 'vscode-textmate';
import { REPO_ROOT } from '../helpers';

const SYNTAXES = join(REPO_ROOT, 'syntaxes');
/**
 * Stand-in for VS Code's own YAML grammar, which is not on npm: a host for the injection that
 * tokenises keys and plain values the way source.yaml does at the level that matters here.
 */
const HOST_YAML = {
  scopeName: 'source.yaml',
  patterns: [
    { match: '#.*$', name: 'comment.line.number-sign.yaml' },
    { match: '[\\w.-]+(?=\\s*:)', name: 'entity.name.tag.yaml' },
    { match: '\\S+', name: 'string.unquoted.plain.out.yaml' },
  ],
};

let registry: textmate.Registry;

before(async () => {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (s) => new oniguruma.OnigScanner(s), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scopeName) => {
      if (scopeName === 'source.yaml') return textmate.parseRawGrammar(JSON.stringify(HOST_YAML), 'host.json');
      const file = { 'k8s-audit.policy.injection': 'audit-policy.injection.tmLanguage.json', 'text.k8s-audit-log': 'audit-log.tmLanguage.json' }[scopeName];
      return file ? textmate.parseRawGrammar(readFileSync(join(SYNTAXES, file), 'utf8'), join(SYNTAXES, file)) : null;
    },
    getInjections: (scopeName) => (scopeName === 'source.yaml' ? ['k8s-audit.policy.injection'] : undefined),
  });
});

/** The scopes of the token that covers `text` on `line`. */
async function scopesOf(scopeName: string, line: string, text: string): Promise<string[]> {
  const grammar = await registry.loadGrammar(scopeName);
  assert.ok(grammar, `grammar ${scopeName} did not load`);
  const { tokens } = grammar.tokenizeLine(line, textmate.INITIAL);
  const start = line.indexOf(text);
  const token = tokens.find((t) => t.startIndex <= start && start < t.endIndex);
  assert.ok(token, `no token at ${start} in ${line}`);
  return token.scopes;
}

describe('policy injection grammar', () => {
  it('marks each level with its own scope, also quoted and before a comment', async () => {
    assert.ok((await scopesOf('source.yaml', '  - level: None', 'None')).includes('constant.language.audit-level.none.k8s-audit'));
    assert.ok((await scopesOf('source.yaml', '  - level: "RequestResponse" # bodies', 'RequestResponse')).includes('keyword.control.audit-level.request-response.k8s-audit'));
    assert.ok((await scopesOf('source.yaml', '    level: Request', 'Request')).includes('keyword.other.audit-level.request.k8s-audit'));
  });

  it('leaves a level-like word that is not a level value alone', async () => {
    assert.ok(!(await scopesOf('source.yaml', '  level: Nonesuch', 'Nonesuch')).some((s) => s.includes('audit-level')));
  });

  it('marks stages and the removed v1beta1 apiVersion', async () => {
    assert.ok((await scopesOf('source.yaml', '  - RequestReceived', 'RequestReceived')).includes('support.constant.audit-stage.k8s-audit'));
    assert.ok((await scopesOf('source.yaml', 'apiVersion: audit.k8s.io/v1beta1', 'beta1')).includes('invalid.deprecated.audit-api-version.k8s-audit'));
  });
});

describe('audit log grammar', () => {
  const line =
    '{"kind":"Event","stage":"ResponseComplete","verb":"delete","user":{"username":"alice@example.com"},"responseStatus":{"code":403},"x":true}';

  it('marks write verbs, user names, error codes and stages', async () => {
    assert.ok((await scopesOf('text.k8s-audit-log', line, '"delete"')).includes('keyword.control.verb.write.k8s-audit'));
    assert.ok((await scopesOf('text.k8s-audit-log', line, '"alice@example.com"')).includes('entity.name.tag.user.k8s-audit'));
    assert.ok((await scopesOf('text.k8s-audit-log', line, '403')).includes('invalid.illegal.status-error.k8s-audit'));
    assert.ok((await scopesOf('text.k8s-audit-log', line, '"ResponseComplete"')).includes('support.constant.audit-stage.k8s-audit'));
  });

  it('tells read verbs and success codes apart from writes and errors', async () => {
    const read = '{"verb":"list","responseStatus":{"code":200}}';
    assert.ok((await scopesOf('text.k8s-audit-log', read, '"list"')).includes('keyword.other.verb.read.k8s-audit'));
    assert.ok((await scopesOf('text.k8s-audit-log', read, '200')).includes('constant.numeric.status-ok.k8s-audit'));
  });
});
