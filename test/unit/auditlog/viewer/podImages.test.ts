// A pod with one untrusted image beside trusted ones, through the viewer: the index's detectors flag
// it, the detection's filter finds it, and all(…) typed in the filter bar means what the CLI means.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ViewerSessions } from '../../../../server/src/auditlog/viewer/viewerSessions';

const tmp = mkdtempSync(join(tmpdir(), 'k8s-audit-viewer-images-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function podCreate(auditID: string, images: string[]): string {
  return JSON.stringify({
    kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Request', auditID, stage: 'ResponseComplete', verb: 'create',
    user: { username: 'mallory' }, requestURI: '/api/v1/namespaces/kube-system/pods', objectRef: { resource: 'pods', namespace: 'kube-system', apiVersion: 'v1' },
    responseStatus: { code: 201 }, requestReceivedTimestamp: '2026-02-22T10:00:00.000000Z', stageTimestamp: '2026-02-22T10:00:00.010000Z',
    requestObject: { kind: 'Pod', apiVersion: 'v1', metadata: { name: auditID }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } },
  });
}

describe('pod images in the viewer', () => {
  it('flags and filters the pod with an untrusted image beside a trusted one', async () => {
    const path = join(tmp, 'audit.log');
    writeFileSync(path, `${[podCreate('mixed', ['registry.k8s.io/pause:3.9', 'evil.example/miner']), podCreate('trusted', ['registry.k8s.io/pause:3.9', 'registry.k8s.io/kube-proxy:v1.31.0']), podCreate('untrusted', ['evil.example/miner'])].join('\n')}\n`);
    const sessions = new ViewerSessions();
    const { sessionId, status } = await sessions.open(path);
    try {
      const session = sessions.get(sessionId);
      const detection = status.detections.find((d) => d.id === 'pod-created-in-kube-namespace');
      assert.deepEqual([detection?.hits, detection?.unknown], [2, 0], JSON.stringify(status.detections));
      const names = async (query: string) => {
        const result = await session.setQuery(query);
        assert.ok(result.ok, query);
        return (await session.rowsWithPaths(0, 10)).map((row) => row.name);
      };
      assert.deepEqual(await names(detection!.query), ['mixed', 'untrusted']);
      assert.deepEqual(await names('-all(podSpec.allContainers[].image:registry.k8s.io/*)'), ['mixed', 'untrusted']);
      assert.deepEqual(await names('all(podSpec.allContainers[].image:registry.k8s.io/*)'), ['trusted']);
      assert.deepEqual(await names('podSpec.allContainers[].image:registry.k8s.io/* -all(podSpec.allContainers[].image:registry.k8s.io/*)'), ['mixed']);
    } finally {
      sessions.close(sessionId);
    }
  });
});
