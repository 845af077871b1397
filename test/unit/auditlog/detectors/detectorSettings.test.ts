import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../../../server/src/cli/args';
import { runScan } from '../../../../server/src/cli/scan';
import {
  compileDetectors,
  compileWindowDetectors,
  DETECTOR_CATALOG,
  detectorDefinitions,
  detectRequest,
  resolveDetectorSettings,
  SYSTEM_PRINCIPALS,
  WINDOW_DETECTOR_CATALOG,
  type DetectorSelection,
} from '../../../../server/src/auditlog/detectors';
import { parseQuery } from '../../../../server/src/auditlog/query';
import { REPO_ROOT } from '../../helpers';
import { auditEvent, requestOf, type EventSpec } from './detectorEvents';
import { testTempDir } from '../../../harness/tempDir';

function outcome(selection: DetectorSelection, id: string, spec: EventSpec): string {
  return detectRequest(requestOf(spec), compileDetectors({ includeDisabled: true, ...selection })).find((f) => f.detector.id === id)?.outcome ?? 'clean';
}

const SECRET_READ: EventSpec = { verb: 'get', res: 'secrets', ns: 'a', name: 's', user: 'ci-deployer' };

describe('detector settings', () => {
  it('without settings: the built-in catalogs', () => {
    const { selection, errors } = resolveDetectorSettings({});
    assert.deepEqual(errors, []);
    assert.deepEqual(
      selection.catalog.map((d) => d.id),
      DETECTOR_CATALOG.map((d) => d.id),
    );
    assert.deepEqual(
      selection.windows.map((d) => d.id),
      WINDOW_DETECTOR_CATALOG.map((d) => d.id),
    );
  });

  it('an added system principal silences the detectors that exclude system users', () => {
    assert.equal(outcome({}, 'secret-get-successfully', SECRET_READ), 'hit');
    const { selection, errors } = resolveDetectorSettings({ systemPrincipals: [...SYSTEM_PRINCIPALS, 'ci-*'] });
    assert.deepEqual(errors, []);
    assert.equal(outcome(selection, 'secret-get-successfully', SECRET_READ), 'clean');
    assert.equal(outcome(selection, 'secret-enumeration', { ...SECRET_READ, verb: 'list', name: '' }), 'clean');
    assert.equal(outcome(selection, 'secret-get-successfully', { ...SECRET_READ, user: 'mallory' }), 'hit', 'others still fire');
    // Window detectors are built from the same list.
    const forbidden = selection.windows.find((d) => d.id === 'forbidden-burst-by-user')!;
    assert.match(forbidden.condition, /"ci-\*"/);
  });

  it('a removed system principal makes its traffic visible; an empty list is valid', () => {
    const controller = { ...SECRET_READ, user: 'system:kube-controller-manager' };
    assert.equal(outcome({}, 'secret-get-successfully', controller), 'clean');
    const { selection, errors } = resolveDetectorSettings({ systemPrincipals: [] });
    assert.deepEqual(errors, []);
    assert.equal(outcome(selection, 'secret-get-successfully', controller), 'hit');
    for (const d of [...selection.catalog, ...selection.windows]) parseQuery(d.condition);
    assert.ok(!selection.catalog.some((d) => d.id === 'system-principal-from-public-ip'), 'nothing left to be about');
  });

  it('bad allowlist entries are reported and ignored', () => {
    const { selection, errors } = resolveDetectorSettings({ systemPrincipals: ['ci-deployer', 7, ''] });
    assert.deepEqual(
      errors.map((e) => e.setting),
      ['systemPrincipals[1]', 'systemPrincipals[2]'],
    );
    assert.equal(outcome(selection, 'secret-get-successfully', SECRET_READ), 'clean');
    const notArray = resolveDetectorSettings({ systemPrincipals: 'system:*' });
    assert.match(notArray.errors[0]!.message, /must be an array.*default list is used/);
    assert.equal(outcome(notArray.selection, 'secret-get-successfully', SECRET_READ), 'hit');
  });

  it('a custom detector hits like a built-in one, and only where its condition says', () => {
    const { selection, errors } = resolveDetectorSettings({
      custom: [{ id: 'namespace-deleted', title: 'Namespace deleted', severity: 'medium', condition: 'verb:delete resource:namespaces', references: ['site:runbook 12'] }],
    });
    assert.deepEqual(errors, []);
    assert.equal(outcome(selection, 'namespace-deleted', { verb: 'delete', res: 'namespaces', name: 'prod' }), 'hit');
    assert.equal(outcome(selection, 'namespace-deleted', { verb: 'get', res: 'namespaces', name: 'prod' }), 'clean');
    const definition = selection.catalog.find((d) => d.id === 'namespace-deleted')!;
    assert.deepEqual({ group: definition.group, needsLevel: definition.needsLevel, description: definition.description }, { group: 'custom', needsLevel: 'Metadata', description: '' });
    assert.equal(detectorDefinitions(selection).get('namespace-deleted')?.title, 'Namespace deleted', 'a viewer session with these settings can name it');
    assert.equal(detectorDefinitions().get('namespace-deleted'), undefined, 'a session with other settings is not changed by resolving these');
  });

  it('a custom body condition is decided on the body, unknown without it', () => {
    const { selection } = resolveDetectorSettings({
      custom: [{ id: 'big-replicas', title: 'Many replicas', severity: 'low', condition: 'verb:create resource:deployments', bodyCondition: 'requestObject.spec.replicas:100' }],
    });
    assert.equal(selection.catalog.find((d) => d.id === 'big-replicas')!.needsLevel, 'Request');
    assert.equal(outcome(selection, 'big-replicas', { verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'a', req: { spec: { replicas: 100 } } }), 'hit');
    assert.equal(outcome(selection, 'big-replicas', { verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'a', req: { spec: { replicas: 2 } } }), 'clean');
    assert.equal(outcome(selection, 'big-replicas', { verb: 'create', res: 'deployments', apiGroup: 'apps', ns: 'a' }), 'unknown');
  });

  it('a bad query is reported with the id and the position, skipped, and the rest still load', () => {
    const { selection, errors } = resolveDetectorSettings({
      custom: [
        { id: 'bad-list', title: 'Bad', severity: 'low', condition: 'verb:(get list' },
        { id: 'bad-field', title: 'Bad', severity: 'low', condition: 'verb:get colour:red' },
        { id: 'bad-body', title: 'Bad', severity: 'low', condition: 'verb:create', bodyCondition: 'requestObject.spec.replicas>' },
        { id: 'good', title: 'Good', severity: 'low', condition: 'verb:get' },
      ],
    });
    assert.deepEqual(
      selection.catalog.filter((d) => d.group === 'custom').map((d) => d.id),
      ['good'],
    );
    assert.deepEqual(
      errors.map((e) => [e.id, e.field, e.position]),
      [
        ['bad-list', 'condition', 15],
        ['bad-field', 'condition', 10],
        ['bad-body', 'bodyCondition', 28],
      ],
    );
    assert.match(errors[0]!.message, /^custom detector "bad-list": condition error at position 15: .+; skipped$/);
    assert.match(errors[1]!.message, /unknown field "colour"/);
  });

  it('malformed entries are reported and skipped, never thrown', () => {
    const custom = [
      null,
      'verb:get',
      { title: 'No id', severity: 'low', condition: '' },
      { id: 'has space', title: 'x', severity: 'low', condition: '' },
      { id: 'no-title', severity: 'low', condition: '' },
      { id: 'bad-severity', title: 'x', severity: 'severe', condition: '' },
      { id: 'no-condition', title: 'x', severity: 'low' },
      { id: 'bad-level', title: 'x', severity: 'low', condition: '', needsLevel: 'Everything' },
      { id: 'bad-refs', title: 'x', severity: 'low', condition: '', references: 'falco' },
      { id: 'bad-window', title: 'x', severity: 'low', condition: '', window: { key: ['colour'], threshold: 3, seconds: 10 } },
      { id: 'zero-threshold', title: 'x', severity: 'low', condition: '', window: { key: ['user'], threshold: 0, seconds: 10 } },
      { id: 'window-body', title: 'x', severity: 'low', condition: '', bodyCondition: 'requestObject.a:1', window: { key: ['user'], threshold: 2, seconds: 10 } },
      { id: 'twice', title: 'x', severity: 'low', condition: '' },
      { id: 'twice', title: 'y', severity: 'low', condition: '' },
    ];
    const { selection, errors } = resolveDetectorSettings({ custom, disabled: ['no-such-detector', 3] });
    assert.equal(errors.length, custom.length - 1 + 2, errors.map((e) => e.message).join('\n'));
    for (const e of errors) assert.ok(e.message.length > 10 && !/undefined/.test(e.message), e.message);
    assert.deepEqual(
      selection.catalog.filter((d) => d.group === 'custom').map((d) => d.title),
      ['x'],
      'the first "twice" only',
    );
    assert.match(resolveDetectorSettings({ custom: { id: 'x' } }).errors[0]!.message, /custom must be an array/);
  });

  it('disabled turns off built-in, window and custom detectors', () => {
    const { selection, errors } = resolveDetectorSettings({
      custom: [{ id: 'mine', title: 'Mine', severity: 'low', condition: '' }],
      disabled: ['forbidden-request', 'many-secrets-read', 'mine'],
    });
    assert.deepEqual(errors, []);
    const ids = [...selection.catalog, ...selection.windows].map((d) => d.id);
    for (const id of ['forbidden-request', 'many-secrets-read', 'mine']) assert.ok(!ids.includes(id), id);
    assert.equal(outcome(selection, 'forbidden-request', { code: 403 }), 'clean');
    assert.equal(compileWindowDetectors(selection).length, WINDOW_DETECTOR_CATALOG.length - 1);
  });

  it('a custom detector with a built-in id replaces it (a site can retune a window)', () => {
    const { selection } = resolveDetectorSettings({
      custom: [{ id: 'auth-failure-burst-by-source', title: 'Denials', severity: 'high', condition: 'code:(401 403)', window: { key: ['sourceIP'], threshold: 3, seconds: 10 } }],
    });
    const windows = selection.windows.filter((d) => d.id === 'auth-failure-burst-by-source');
    assert.equal(windows.length, 1);
    assert.deepEqual(windows[0]!.window, { key: ['sourceIP'], threshold: 3, windowMs: 10_000 });
  });

  it('package.json documents the settings, with the built-in allowlist as the default', () => {
    const properties = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).contributes.configuration.properties;
    assert.deepEqual(properties['k8sAudit.detectors.systemPrincipals'].default, [...SYSTEM_PRINCIPALS]);
    for (const key of ['systemPrincipals', 'custom', 'disabled']) assert.ok(properties[`k8sAudit.detectors.${key}`].markdownDescription.length > 40, key);
    assert.deepEqual(properties['k8sAudit.detectors.custom'].items.required, ['id', 'title', 'severity', 'condition']);
  });
});

describe('k8s-audit scan with window and custom detectors', () => {
  const tmp = testTempDir('k8s-audit-detectors-');
  const T0 = Date.parse('2026-03-01T10:00:00Z');
  const event = (seconds: number, spec: EventSpec) => ({ ...auditEvent(spec), requestReceivedTimestamp: new Date(T0 + seconds * 1000).toISOString(), stageTimestamp: new Date(T0 + seconds * 1000).toISOString() });
  // Lines 1-2: noise; 3-14: twelve 403s from one address within 12 s; 15: a secret read by ci-deployer.
  const records = [
    event(0, { verb: 'get', res: 'pods', ns: 'a', user: 'alice' }),
    event(1, { verb: 'get', res: 'pods', ns: 'a', user: 'bob', code: 403, ip: '198.51.100.1' }),
    ...Array.from({ length: 12 }, (_, i) => event(10 + i, { verb: 'list', res: 'secrets', ns: `n${i}`, user: `u${i}`, code: 403, ip: '203.0.113.66' })),
    event(30, SECRET_READ),
  ];
  const log = join(tmp, 'burst.log');
  writeFileSync(log, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const settings = join(tmp, 'detectors.json');
  writeFileSync(
    settings,
    JSON.stringify({
      systemPrincipals: [...SYSTEM_PRINCIPALS, 'ci-deployer'],
      custom: [
        { id: 'secrets-listed-in-n3', title: 'Secrets listed in n3', severity: 'high', condition: 'verb:list resource:secrets ns:n3' },
        { id: 'broken', title: 'Broken', severity: 'low', condition: 'ns:(a b' },
      ],
      disabled: ['forbidden-request'],
    }),
  );

  async function scan(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const status = await runScan(argv, { write: (s: string) => (stdout += s) }, { write: (s: string) => (stderr += s), isTTY: false });
    return { status, stdout, stderr };
  }

  it('reports every request of a burst with file and line (json, text, sarif)', async () => {
    const report = JSON.parse((await scan(log, '--format', 'json')).stdout);
    const burst = report.detections.filter((d: { detector: string }) => d.detector === 'auth-failure-burst-by-source');
    assert.deepEqual(
      burst.map((d: { file: string; line: number }) => `${d.file}:${d.line}`),
      Array.from({ length: 12 }, (_, i) => `${log}:${i + 3}`),
    );
    assert.equal(burst[0].severity, 'medium');
    assert.equal(report.summary['auth-failure-burst-by-source'], 12);
    assert.equal(report.summary['forbidden-burst-by-user'], undefined, 'twelve different users');
    const text = (await scan(log)).stdout;
    assert.match(text, new RegExp(`burst\\.log:3: medium Burst of 401/403 from one source address \\[auth-failure-burst-by-source\\] u0 list secrets n0`));
    const sarif = JSON.parse((await scan(log, '--format', 'sarif')).stdout);
    const results = sarif.runs[0].results.filter((r: { ruleId: string }) => r.ruleId === 'auth-failure-burst-by-source');
    assert.equal(results.length, 12);
    assert.equal(results[0].locations[0].physicalLocation.region.startLine, 3);
    assert.ok(sarif.runs[0].tool.driver.rules.some((r: { id: string }) => r.id === 'auth-failure-burst-by-source'));
  });

  it('--detectors ID selects window detectors too; --min-severity filters them', async () => {
    const only = JSON.parse((await scan(log, '--format', 'json', '--detectors', 'auth-failure-burst-by-source')).stdout);
    assert.deepEqual(Object.keys(only.summary), ['auth-failure-burst-by-source']);
    const high = JSON.parse((await scan(log, '--format', 'json', '--min-severity', 'high')).stdout);
    assert.equal(high.summary['auth-failure-burst-by-source'], undefined);
  });

  it('--detectors FILE.json: custom detectors, an edited allowlist, disabled ids; errors on stderr', async () => {
    const before = JSON.parse((await scan(log, '--format', 'json')).stdout);
    assert.ok(before.summary['secret-get-successfully'] >= 1);
    assert.ok(before.summary['forbidden-request'] >= 1);
    const { status, stdout, stderr } = await scan(log, '--format', 'json', '--detectors', settings);
    assert.equal(status, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      report.detections.filter((d: { detector: string }) => d.detector === 'secrets-listed-in-n3').map((d: { line: number }) => d.line),
      [6],
    );
    assert.equal(report.summary['secret-get-successfully'], undefined, 'ci-deployer is now a system principal');
    assert.equal(report.summary['forbidden-request'], undefined, 'disabled');
    assert.equal(report.summary['auth-failure-burst-by-source'], 12, 'built-in window detectors still run');
    assert.match(stderr, /detectors\.json: custom detector "broken": condition error at position 8: .*skipped/);
    assert.deepEqual(
      report.detectorSettingsErrors.map((e: { id: string; position: number }) => [e.id, e.position]),
      [['broken', 8]],
    );
  });

  it('--detectors FILE.json that cannot be read or is not an object is an input error', async () => {
    await assert.rejects(scan(log, '--detectors', join(tmp, 'missing.json')), InputError);
    const notJson = join(tmp, 'not.json');
    writeFileSync(notJson, '{ custom: [');
    await assert.rejects(scan(log, '--detectors', notJson), /not JSON/);
    const wrongKey = join(tmp, 'wrong.json');
    writeFileSync(wrongKey, JSON.stringify({ customs: [] }));
    await assert.rejects(scan(log, '--detectors', wrongKey), /unknown key\(s\) customs/);
  });

  it('the help text documents --detectors FILE.json and the window detectors', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'src', 'cli.ts'), 'scan', '--help'], { encoding: 'utf8', cwd: REPO_ROOT });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /--detectors FILE\.json/);
    assert.match(result.stdout, /"systemPrincipals".*"custom".*"disabled"/);
    assert.match(result.stdout, /401\/403 bursts per source and per user, many distinct secrets read/);
  });
});
