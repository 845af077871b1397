// What the reports say about positions and counts: which base a number has, what SARIF URIs are
// relative to, and that the lint summary counts every severity it prints.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { FIXTURES, REPO_ROOT, runCli } from '../helpers';

const POLICY = join(FIXTURES, 'workspace', 'audit-policy.yaml');

describe('explain --format json', () => {
  it('gives the rule 0-based (ruleIndex, ruleLine) and 1-based (ruleNumber, ruleLineNumber), as the summary counts', () => {
    const result = runCli(['explain', POLICY, '--verb', 'create', '--resource', 'pods/exec', '--namespace', 'prod', '--user', 'alice', '--format', 'json']);
    assert.equal(result.status, 0, result.stderr);
    const json = JSON.parse(result.stdout);
    assert.match(json.summary, /rule 5 \(line 28\)/);
    assert.equal(json.ruleIndex, 4);
    assert.equal(json.ruleLine, 27);
    assert.equal(json.ruleNumber, 5);
    assert.equal(json.ruleLineNumber, 28);
    assert.equal(readFileSync(POLICY, 'utf8').split('\n')[json.ruleLine].trim(), '- level: Request', 'ruleLine is 0-based');
    const help = runCli(['explain', '--help']).stdout;
    assert.match(help, /ruleIndex and ruleLine are 0-based/);
    assert.match(help, /ruleNumber and ruleLineNumber 1-based/);
  });

  it('leaves the rule fields out when no rule matches', () => {
    const folder = mkdtempSync(join(tmpdir(), 'k8s-audit-explain-'));
    try {
      const policy = join(folder, 'pods-only.yaml');
      writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n    resources:\n      - group: ""\n        resources: ["pods"]\n');
      const json = JSON.parse(runCli(['explain', policy, '--verb', 'get', '--resource', 'secrets', '--format', 'json']).stdout);
      assert.equal(json.level, 'None');
      for (const field of ['ruleIndex', 'ruleLine', 'ruleNumber', 'ruleLineNumber']) assert.equal(field in json, false, field);
      const matched = JSON.parse(runCli(['explain', policy, '--verb', 'get', '--resource', 'pods', '--format', 'json']).stdout);
      assert.deepEqual([matched.ruleIndex, matched.ruleLine, matched.ruleNumber, matched.ruleLineNumber], [0, 3, 1, 4]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('SARIF locations', () => {
  const srcroot = `${pathToFileURL(REPO_ROOT).href}/`;

  it('lint: URIs relative to %SRCROOT%, which originalUriBaseIds maps to the working directory', () => {
    const file = join(FIXTURES, 'workspace', 'broken-policy.yaml');
    const sarif = JSON.parse(runCli(['lint', '--format', 'sarif', file]).stdout);
    const [run] = sarif.runs;
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: srcroot } });
    assert.deepEqual(run.results[0].locations[0].physicalLocation.artifactLocation, { uri: relative(REPO_ROOT, file), uriBaseId: '%SRCROOT%' });
    assert.equal(run.invocations[0].executionSuccessful, true);
  });

  it('scan: the same, and a file outside the working directory gets an absolute file URI', () => {
    const log = join(FIXTURES, 'logs', 'scan-sample.jsonl');
    const [run] = JSON.parse(runCli(['scan', '--format', 'sarif', log]).stdout).runs;
    assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: srcroot } });
    const locations = run.results.map((r: { locations: { physicalLocation: { artifactLocation: unknown } }[] }) => r.locations[0]!.physicalLocation.artifactLocation);
    assert.ok(locations.length > 0);
    for (const location of locations) assert.deepEqual(location, { uri: 'test/fixtures/logs/scan-sample.jsonl', uriBaseId: '%SRCROOT%' });

    const folder = mkdtempSync(join(tmpdir(), 'k8s-audit sarif '));
    try {
      const outside = join(folder, 'audit #1.log');
      copyFileSync(log, outside);
      const [outsideRun] = JSON.parse(runCli(['scan', '--format', 'sarif', outside]).stdout).runs;
      assert.deepEqual(outsideRun.results[0].locations[0].physicalLocation.artifactLocation, { uri: pathToFileURL(outside).href });
      assert.match(outsideRun.results[0].locations[0].physicalLocation.artifactLocation.uri, /audit%20%231\.log$/, 'percent-encoded');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('lint summary', () => {
  it('counts information-level findings (and hints) beside errors and warnings', () => {
    const result = runCli(['lint', join(FIXTURES, 'policies', 'many-mistakes.yaml')]);
    const lines = result.stdout.trim().split('\n');
    const bySeverity = (severity: string) => lines.filter((line) => new RegExp(`^[^ ]+:\\d+:\\d+: ${severity} `).test(line)).length;
    assert.ok(bySeverity('information') > 0, 'the fixture has information findings');
    assert.equal(lines.at(-1), `1 file(s) checked: ${bySeverity('error')} error(s), ${bySeverity('warning')} warning(s), ${bySeverity('information')} information, ${bySeverity('hint')} hint(s)`);
  });
});
