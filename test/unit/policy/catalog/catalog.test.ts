import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupsServing, isKnownGroup, resourceFacts } from '../../../../server/src/policy/catalog/catalog';
import { kubernetesMinor, NEWEST_MINOR } from '../../../../server/src/policy/version';
import { REPO_ROOT, SHARED } from '../../helpers';
import { testTempDir } from '../../../harness/tempDir';

describe('Kubernetes API catalog', () => {
  it('knows groups, scopes and subresources', () => {
    assert.deepEqual(resourceFacts('', 'pods', 33)?.subresources.includes('exec'), true);
    assert.equal(resourceFacts('', 'nodes', 33)?.scope, 'Cluster');
    assert.equal(resourceFacts('apps', 'deployments', 33)?.scope, 'Namespaced');
    assert.deepEqual(groupsServing('events', 33).sort(), ['', 'events.k8s.io']);
    assert.deepEqual(groupsServing('deployments', 33), ['apps']);
    assert.equal(isKnownGroup('example.com', 33), false);
    assert.equal(isKnownGroup('metrics.k8s.io', 33), true);
  });

  it('is version-aware for resources added after the discovery documents', () => {
    assert.equal(resourceFacts('certificates.k8s.io', 'podcertificaterequests', 33), undefined);
    assert.ok(resourceFacts('certificates.k8s.io', 'podcertificaterequests', 34));
    assert.ok(resourceFacts('policy', 'podsecuritypolicies', 24));
    assert.equal(resourceFacts('policy', 'podsecuritypolicies', 25), undefined);
  });

  it('parses kubernetesVersion, defaulting to the newest known minor', () => {
    assert.equal(kubernetesMinor('1.33'), 33);
    assert.equal(kubernetesMinor('v1.29.4'), 29);
    assert.equal(kubernetesMinor(undefined), NEWEST_MINOR);
    assert.equal(kubernetesMinor('latest'), NEWEST_MINOR);
    assert.ok(NEWEST_MINOR >= 36);
  });

  it('the committed catalog is what scripts/build-catalog.mjs derives from the discovery documents', (t) => {
    const discovery = join(SHARED, 'corpus', 'k8s-discovery');
    if (!existsSync(join(discovery, 'aggregated_v2.json'))) return t.skip(`${discovery} is absent`);
    const out = join(testTempDir('k8s-audit-catalog-'), 'k8s-resources.json');
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build-catalog.mjs'), discovery, out], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(REPO_ROOT, 'server', 'src', 'policy', 'catalog', 'k8s-resources.json'), 'utf8'));
  });
});
