import { timingSafeEqual } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CompiledDetector } from '../../auditlog/detectors';
import { eventRowDetections } from '../eventDetections';
import { eventRow } from '../schema';
import { BadBatch, parseEventList } from './eventBatch';
import { ReceiverMetrics } from './metrics';
import type { EventRow, EventSink } from './sink';

export interface ReceiverOptions {
  host: string;
  port: number;
  sinks: EventSink[];
  detectors: readonly CompiledDetector[];
  /** PEM certificate and key: serve HTTPS. */
  tls?: { cert: Buffer; key: Buffer; clientCa?: Buffer };
  /** Bearer token every POST must carry. */
  token?: string;
  /** Largest body accepted (413 above). */
  maxBodyBytes: number;
  /** Batches being read or written at once; more are answered 429 at once. */
  maxInFlight: number;
  /** Called for every detector hit, as it fires. */
  onDetection?: (row: EventRow, detectorIds: string[]) => void;
}

/** Seconds the apiserver (or any poster) should wait before sending a refused batch again. */
const RETRY_AFTER_S = '1';

/**
 * The receiver of kube-apiserver's webhook audit backend: POSTs of EventList batches, answered 200
 * only once every sink has stored the batch (at-least-once: a batch is sent again after any other
 * answer). 400 malformed (nothing written), 401 unauthenticated, 413 too big, 429 too busy, 503 a
 * sink failed. GET /healthz and /metrics. Memory is bounded: at most `maxInFlight` bodies of at most
 * `maxBodyBytes`, and each sink refuses batches past its backlog.
 */
export class Receiver {
  readonly metrics = new ReceiverMetrics();
  private readonly server: http.Server | https.Server;
  private inFlight = 0;

  constructor(private readonly options: ReceiverOptions) {
    const handler = (request: http.IncomingMessage, response: http.ServerResponse) => void this.handle(request, response);
    this.server = options.tls
      ? https.createServer({ cert: options.tls.cert, key: options.tls.key, ...(options.tls.clientCa ? { ca: options.tls.clientCa, requestCert: true, rejectUnauthorized: true } : {}) }, handler)
      : http.createServer(handler);
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}`;
  }

  /** Stops taking batches, lets those in flight finish, closes the sinks. */
  async close(): Promise<void> {
    await new Promise((resolve) => {
      this.server.close(resolve);
      this.server.closeIdleConnections?.();
    });
    for (const sink of this.options.sinks) await sink.close();
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      const failing = this.options.sinks.filter((sink) => sink.failing).map((sink) => sink.name);
      return this.answer(response, failing.length === 0 ? 200 : 503, failing.length === 0 ? 'ok' : `failing: ${failing.join(', ')}`, undefined, false);
    }
    if (!this.authorized(request)) return this.answer(response, 401, 'unauthorized: send the bearer token', request, request.method === 'POST');
    if (request.method === 'GET' && path === '/metrics') {
      response.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      response.end(this.metrics.render(this.inFlight, this.options.sinks));
      return;
    }
    if (request.method !== 'POST') return this.answer(response, 405, 'POST an audit.k8s.io/v1 EventList', request);
    if (this.inFlight >= this.options.maxInFlight) return this.answer(response, 429, 'too many batches in flight, retry', request);
    const declared = Number(request.headers['content-length'] ?? NaN);
    if (declared > this.options.maxBodyBytes) return this.answer(response, 413, `batch over ${this.options.maxBodyBytes} bytes`, request);
    this.inFlight++;
    const started = process.hrtime.bigint();
    try {
      const body = await readBody(request, this.options.maxBodyBytes);
      if (body === null) return this.answer(response, 413, `batch over ${this.options.maxBodyBytes} bytes`, request);
      const events = parseEventList(body);
      const rows = events.map((event) => {
        const detections = eventRowDetections(event, this.options.detectors);
        const row = eventRow(event, 'webhook', detections) as EventRow;
        if (detections.hits.length > 0) {
          this.metrics.detections += detections.hits.length;
          this.options.onDetection?.(row, detections.hits);
        }
        return row;
      });
      const busy = this.options.sinks.find((sink) => !sink.canTake(rows.length));
      if (busy) return this.answer(response, 429, `${busy.name} is behind (${busy.backlog} events waiting), retry`, request);
      try {
        await Promise.all(this.options.sinks.map((sink) => sink.write(rows)));
      } catch (error) {
        return this.answer(response, 503, `not stored, retry: ${(error as Error).message}`, request);
      }
      this.metrics.events += rows.length;
      this.metrics.observeWrite(Number(process.hrtime.bigint() - started) / 1e9);
      this.answer(response, 200, `stored ${rows.length} event(s)`);
    } catch (error) {
      if (error instanceof BadBatch) return this.answer(response, 400, error.message);
      this.answer(response, 500, (error as Error).message);
    } finally {
      this.inFlight--;
    }
  }

  private authorized(request: http.IncomingMessage): boolean {
    const token = this.options.token;
    if (token === undefined) return true;
    const header = request.headers.authorization ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
    const expected = Buffer.from(token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /**
   * A refused request may still be sending its body: the connection is closed after the answer so an
   * unread (possibly huge) body is never buffered.
   */
  private answer(response: http.ServerResponse, status: number, message: string, unread?: http.IncomingMessage, isBatch = true): void {
    if (isBatch) this.metrics.answered(status);
    const headers: http.OutgoingHttpHeaders = { 'Content-Type': 'application/json' };
    if (status === 429 || status === 503) headers['Retry-After'] = RETRY_AFTER_S;
    if (unread && !unread.complete) headers.Connection = 'close';
    response.writeHead(status, headers);
    response.end(`${JSON.stringify({ status, message })}\n`);
    if (unread && !unread.complete) response.once('finish', () => unread.destroy());
  }
}

/** The body, or null once it passes `limit` (reading stops there). */
function readBody(request: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        request.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}
