// Files that cannot be read: every command says so on stderr, in plain words, and exits 2.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, runCli } from '../helpers';

const POLICY = join(FIXTURES, 'workspace', 'audit-policy.yaml');
const LOG = join(FIXTURES, 'logs', 'scan-sample.jsonl');
const MISSING = 'missing-policy.yaml';
const MISSING_LOG = 'missing.log';

function assertPlainError(result: { status: number | null; stdout: string; stderr: string }, expected: RegExp): void {
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, expected);
  assert.doesNotMatch(result.stderr + result.stdout, /ENOENT|EISDIR|errno|\bopen '/, 'no raw Node error codes');
  assert.doesNotMatch(result.stderr, /Run "k8s-audit --help"/, 'a missing file is not a usage mistake');
}

describe('k8s-audit on files that cannot be read', () => {
  it('lint: the error on stderr, not among the findings; the summary counts it', () => {
    const result = runCli(['lint', POLICY, MISSING]);
    assertPlainError(result, /^k8s-audit: cannot read missing-policy\.yaml: no such file$/m);
    assert.doesNotMatch(result.stdout, /missing-policy/);
    assert.match(result.stdout, /^1 file\(s\) checked, 1 could not be read: 0 error\(s\)/m);
  });

  it('lint --format json: the entry says why', () => {
    const result = runCli(['lint', '--format', 'json', MISSING]);
    assertPlainError(result, /cannot read missing-policy\.yaml: no such file/);
    assert.deepEqual(JSON.parse(result.stdout), [{ file: MISSING, error: 'no such file', diagnostics: [] }]);
  });

  it('lint --format sarif: a tool execution notification, and the run marked unsuccessful', () => {
    const result = runCli(['lint', '--format', 'sarif', POLICY, MISSING]);
    assertPlainError(result, /cannot read missing-policy\.yaml: no such file/);
    const [run] = JSON.parse(result.stdout).runs;
    assert.equal(run.invocations.length, 1);
    const [invocation] = run.invocations;
    assert.equal(invocation.executionSuccessful, false);
    assert.deepEqual(
      invocation.toolExecutionNotifications.map((n: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        n.level,
        n.message.text,
        n.locations[0]!.physicalLocation.artifactLocation.uri,
      ]),
      [['error', 'cannot read missing-policy.yaml: no such file', MISSING]],
    );
  });

  it('lint: a folder is not a policy file', () => {
    assertPlainError(runCli(['lint', FIXTURES]), /cannot read .*fixtures: is a folder, not a file/);
  });

  it('explain: a missing policy', () => {
    const result = runCli(['explain', MISSING, '--verb', 'get', '--resource', 'pods']);
    assertPlainError(result, /^k8s-audit: cannot read missing-policy\.yaml: no such file$/m);
    assert.equal(result.stdout, '');
  });

  it('scan and query: a missing log, alone or beside a good one', () => {
    assertPlainError(runCli(['scan', MISSING_LOG]), /^k8s-audit: cannot read missing\.log: no such file$/m);
    assertPlainError(runCli(['scan', LOG, MISSING_LOG, '--format', 'json']), /cannot read missing\.log: no such file/);
    assert.deepEqual(JSON.parse(runCli(['scan', LOG, MISSING_LOG, '--format', 'json']).stdout).errors, [{ file: MISSING_LOG, message: 'no such file' }]);
    const query = runCli(['query', MISSING_LOG, 'verb:get', '--format', 'count']);
    assertPlainError(query, /^k8s-audit: cannot read missing\.log: no such file$/m);
  });

  it('scan --format sarif: the unreadable log is a notification', () => {
    const result = runCli(['scan', LOG, MISSING_LOG, '--format', 'sarif']);
    assertPlainError(result, /cannot read missing\.log/);
    const [invocation] = JSON.parse(result.stdout).runs[0].invocations;
    assert.equal(invocation.executionSuccessful, false);
    assert.ok(invocation.toolExecutionNotifications.some((n: { level: string; message: { text: string } }) => n.level === 'error' && n.message.text === 'cannot read missing.log: no such file'));
  });

  it('--detectors FILE.json that does not exist', () => {
    for (const command of [['detectors'], ['scan', LOG]]) {
      assertPlainError(runCli([...command, '--detectors', 'missing.json']), /^k8s-audit: --detectors: cannot read missing\.json: no such file$/m);
    }
  });
});
