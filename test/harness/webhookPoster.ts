// Posting audit events to `k8s-audit serve` the way kube-apiserver's webhook backend does: EventList
// batches, each sent again after any answer but 200. Shared by the receiver's tests and the bench.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';

export interface Answer {
  status: number;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function post(url: string, body: string | Buffer, options: https.RequestOptions = {}): Promise<Answer> {
  const transport = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...options.headers }, ...(url.startsWith('https:') ? {} : { agent }), ...options }, (response) => {
      let text = '';
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

export function get(url: string, headers: http.OutgoingHttpHeaders = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      })
      .on('error', reject);
  });
}

/** Closes the kept-alive sockets (at the end of a test file or bench). */
export function closePosters(): void {
  agent.destroy();
}

export function eventList(events: unknown[]): string {
  return JSON.stringify({ kind: 'EventList', apiVersion: 'audit.k8s.io/v1', metadata: {}, items: events });
}

/** Events (one JSON object a line) as EventList bodies of `size` events. */
export function batchesOf(lines: readonly string[], size: number): { bodies: string[]; events: number } {
  const events = lines.filter(Boolean).map((line) => JSON.parse(line) as unknown);
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += size) bodies.push(eventList(events.slice(i, i + size)));
  return { bodies, events: events.length };
}

/**
 * Posters as the apiserver's webhook backend behaves: each sends its next batch and sends it again
 * after any answer but 200 (after a short backoff). Bounded: the run stops at `deadline`.
 */
export async function postAll(url: string, bodies: string[], posters: number, deadline: number, onAnswer: (answer: Answer) => void = () => undefined): Promise<number> {
  let next = 0;
  let acknowledged = 0;
  await Promise.all(
    Array.from({ length: posters }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        for (;;) {
          assert.ok(Date.now() < deadline, `posting did not finish in time (${acknowledged} of ${bodies.length} acknowledged)`);
          const answer = await post(url, body).catch((error: Error) => ({ status: 0, body: error.message }));
          onAnswer(answer);
          if (answer.status === 200) break;
          assert.ok([429, 503, 0].includes(answer.status), `unexpected answer ${answer.status}: ${answer.body}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        acknowledged++;
      }
    }),
  );
  return acknowledged;
}

/** A Prometheus metric of the receiver's /metrics (NaN when absent). */
export async function metric(url: string, name: string): Promise<number> {
  const text = (await get(`${url}/metrics`)).body;
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : NaN;
}
