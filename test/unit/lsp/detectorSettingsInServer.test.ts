// The k8sAudit.detectors.* settings through the real language server (dist/server.js, built by the
// unit stage): pulled with workspace/configuration, reported to the user when invalid, applied to logs
// opened after a change.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../helpers';
import { auditEvent } from '../auditlog/detectors/detectorEvents';
import { readLspMessages } from './lspFraming';
import { testTempDir } from '../../harness/tempDir';

/** Content-Length framed JSON-RPC over the server's stdio; answers workspace/configuration from `config`. */
class Client {
  config: Record<string, unknown> = {};
  readonly notifications: any[] = [];
  private readonly pending = new Map<number, (message: any) => void>();
  private nextId = 1;
  readonly child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });

  constructor() {
    readLspMessages(this.child.stdout, (message) => this.receive(message));
  }

  private receive(message: any): void {
    if (message.method === 'workspace/configuration') {
      this.send({ id: message.id, result: message.params.items.map(() => this.config) });
    } else if (message.method !== undefined && message.id !== undefined) {
      this.notifications.push(message); // window/showMessageRequest and the like: recorded, answered
      this.send({ id: message.id, result: null });
    } else if (message.method !== undefined) {
      this.notifications.push(message);
    } else {
      this.pending.get(message.id)?.(message);
    }
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  /** The first notification (past or future) that `test` accepts; fails after 30 s. */
  async notification(test: (message: any) => boolean): Promise<any> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = this.notifications.find(test);
      if (found) return found;
      if (Date.now() > deadline) throw new Error('no such notification within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A viewer's status once its index is complete: open answers as soon as the first rows are in, window detectors run after the last. */
  async settledStatus(opened: any): Promise<any> {
    if (!opened.result.status.indexing) return opened.result.status;
    const done = await this.notification((n) => n.method === 'k8sAudit/viewer/status' && n.params.sessionId === opened.result.sessionId && !n.params.status.indexing);
    return done.params.status;
  }

  request(method: string, params: object): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }
}

const tmp = testTempDir('k8s-audit-lsp-detectors-');
const log = join(tmp, 'burst.audit.log');
const T0 = Date.parse('2026-03-01T10:00:00Z');
writeFileSync(
  log,
  Array.from({ length: 12 }, (_, i) => {
    const stamp = new Date(T0 + i * 1000).toISOString();
    return JSON.stringify({ ...auditEvent({ verb: 'list', res: 'secrets', ns: `n${i}`, user: `u${i}`, code: 403, ip: '203.0.113.66' }), requestReceivedTimestamp: stamp, stageTimestamp: stamp });
  }).join('\n') + '\n',
);

describe('k8sAudit.detectors settings in the language server', () => {
  it('custom and window detectors reach the viewer; errors are shown; a change applies to logs opened after it', async () => {
    const client = new Client();
    try {
      client.config = {
        detectors: {
          custom: [
            { id: 'n3-listed', title: 'Secrets of n3 listed', severity: 'high', condition: 'verb:list resource:secrets ns:n3' },
            { id: 'broken', title: 'Broken', severity: 'low', condition: 'ns:(a b' },
          ],
        },
      };
      await client.request('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } } });
      client.send({ method: 'initialized', params: {} });

      const first = await client.request('k8sAudit/viewer/open', { path: log });
      const detections = new Map<string, { hits: number; title: string; query: string }>((await client.settledStatus(first)).detections.map((d: any) => [d.id, d]));
      assert.equal(detections.get('n3-listed')?.hits, 1);
      assert.equal(detections.get('n3-listed')?.title, 'Secrets of n3 listed');
      assert.equal(detections.get('auth-failure-burst-by-source')?.hits, 12);
      const filtered = await client.request('k8sAudit/viewer/query', { sessionId: first.result.sessionId, query: detections.get('auth-failure-burst-by-source')!.query });
      assert.equal(filtered.result.matchingRows, 12);
      const warning = client.notifications.find((n) => n.method === 'window/showMessage' || n.method === 'window/showMessageRequest');
      assert.equal(warning?.params.type, 2, 'a warning');
      assert.match(warning?.params.message ?? '', /custom detector "broken": condition error at position 8/);

      client.config = { detectors: { disabled: ['auth-failure-burst-by-source'] } };
      client.send({ method: 'workspace/didChangeConfiguration', params: { settings: null } });
      const second = await client.request('k8sAudit/viewer/open', { path: log });
      const ids = (await client.settledStatus(second)).detections.map((d: { id: string }) => d.id);
      assert.ok(!ids.includes('auth-failure-burst-by-source') && !ids.includes('n3-listed'), ids.join(', '));
      assert.ok(ids.includes('forbidden-request'));
    } finally {
      client.child.kill();
    }
  });
});
