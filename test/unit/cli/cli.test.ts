import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FIXTURES, REPO_ROOT, runCli } from '../helpers';

const version = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

describe('k8s-audit CLI', () => {
  it('prints its version and help', () => {
    assert.equal(runCli(['--version']).stdout.trim(), version);
    const help = runCli(['--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /k8s-audit lint FILE\.\.\./);
  });

  it('exits 2 with a message on an unknown command or option', () => {
    const unknown = runCli(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    assert.equal(runCli(['lint', '--format', 'xml', 'x.yaml']).status, 2);
  });

  it('lint: exit 1 and JSON diagnostics with 0-based LSP ranges for a broken policy', () => {
    const file = join(FIXTURES, 'workspace', 'broken-policy.yaml');
    const result = runCli(['lint', '--format', 'json', file]);
    assert.equal(result.status, 1, result.stderr);
    const [report] = JSON.parse(result.stdout);
    assert.equal(report.file, file);
    assert.deepEqual(report.diagnostics[0], {
      code: 'api-version-removed',
      severity: 'error',
      message: report.diagnostics[0].message,
      range: { start: { line: 0, character: 12 }, end: { line: 0, character: 32 } },
    });
  });

  it('lint: exit 0 for a good policy, 2 for a missing file', () => {
    assert.equal(runCli(['lint', join(FIXTURES, 'workspace', 'audit-policy.yaml')]).status, 0);
    const missing = runCli(['lint', join(FIXTURES, 'does-not-exist.yaml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*does-not-exist\.yaml: no such file/);
  });

  it('lint: SARIF 2.1.0 with 1-based regions', () => {
    const result = runCli(['lint', '--format', 'sarif', join(FIXTURES, 'workspace', 'broken-policy.yaml')]);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.version, '2.1.0');
    const [first] = sarif.runs[0].results;
    assert.equal(first.ruleId, 'api-version-removed');
    assert.equal(first.level, 'error');
    assert.deepEqual(first.locations[0].physicalLocation.region, { startLine: 1, startColumn: 13, endLine: 1, endColumn: 33 });
  });
});

describe('k8s-audit explain', () => {
  it('names the rule that decides a request and what it records', () => {
    const policy = join(FIXTURES, 'workspace', 'audit-policy.yaml');
    const exec = runCli(['explain', policy, '--verb', 'create', '--resource', 'pods/exec', '--namespace', 'prod', '--user', 'alice', '--format', 'json']);
    assert.equal(exec.status, 0, exec.stderr);
    const result = JSON.parse(exec.stdout);
    assert.equal(result.level, 'Request');
    assert.equal(result.requestBodyLogged, true);
    assert.equal(result.responseBodyLogged, false);
    const health = runCli(['explain', policy, '--verb', 'get', '--url', '/healthz', '--user', 'kubelet']);
    assert.equal(health.status, 0);
    assert.match(health.stdout, /None/);
  });

  it('exits 2 without a verb or target, and 1 for a policy the apiserver would refuse', () => {
    assert.equal(runCli(['explain', join(FIXTURES, 'workspace', 'audit-policy.yaml'), '--verb', 'get']).status, 2);
    const broken = runCli(['explain', join(FIXTURES, 'workspace', 'broken-policy.yaml'), '--verb', 'get', '--resource', 'pods']);
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /would not load/);
  });
});

describe('k8s-audit output', () => {
  it('stops quietly when the reader closes the pipe early (| head)', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'detectors', '--include-disabled'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read one chunk, then close the pipe as head does.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error/);
  });
});
