import * as http from 'node:http';
import * as https from 'node:https';

/**
 * Settings every statement is sent with, so that a stock server (any profile) reads and writes what
 * we expect: 64-bit integers as JSON numbers, DateTime read from epoch seconds or ISO text.
 */
const SESSION_SETTINGS: Record<string, string> = {
  output_format_json_quote_64bit_integers: '0',
  date_time_input_format: 'best_effort',
};

/** An error ClickHouse answered with (its own message), or a connection failure. */
export class ClickHouseError extends Error {
  constructor(
    message: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
  }

  /** True when the server could not be reached or was overloaded: worth retrying later. */
  get unavailable(): boolean {
    return this.status === 0 || this.status === 503;
  }
}

export interface ClickHouseConnection {
  /** http(s)://host:port of the server's HTTP interface. */
  origin: string;
  database: string;
  user: string;
  password: string;
}

/**
 * `http://user:password@host:8123/?database=db` (or `/db` as the path) -> connection. The password
 * may come from elsewhere (VS Code's secret storage, K8S_AUDIT_CLICKHOUSE_PASSWORD).
 */
export function parseClickHouseUrl(text: string, password?: string): ClickHouseConnection {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a ClickHouse URL: ${JSON.stringify(text)} (expected http://host:8123)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`ClickHouse URL must be http:// or https://, not ${url.protocol}`);
  const pathDatabase = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  return {
    origin: url.origin,
    database: url.searchParams.get('database') ?? (pathDatabase || 'default'),
    user: decodeURIComponent(url.username) || 'default',
    password: password ?? decodeURIComponent(url.password),
  };
}

/** Connection errors a kept-alive socket closed by the server gives: the request never ran. */
const STALE_SOCKET = new Set(['ECONNRESET', 'EPIPE']);

/**
 * A small client for ClickHouse's HTTP interface: statements as POST bodies, results as text or
 * streamed JSON lines. Kept-alive sockets are dropped before the server's own keep-alive timeout (3 s
 * on a stock 18.16), and a request that meets a socket the server closed anyway is sent again once.
 */
export class ClickHouseClient {
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(
    readonly connection: ClickHouseConnection,
    private readonly timeoutMs = 300_000,
  ) {
    this.transport = connection.origin.startsWith('https:') ? https : http;
    this.agent = new this.transport.Agent({ keepAlive: true, maxSockets: 16, timeout: 2_000 });
  }

  static fromUrl(text: string, password?: string): ClickHouseClient {
    return new ClickHouseClient(parseClickHouseUrl(text, password));
  }

  /** Runs a statement and returns the whole answer as text. */
  async query(sql: string, settings: Record<string, string> = {}): Promise<string> {
    const chunks: Buffer[] = [];
    await this.request(sql, settings, undefined, (chunk) => {
      chunks.push(chunk);
    });
    return Buffer.concat(chunks).toString('utf8');
  }

  /** Runs a SELECT with FORMAT JSONEachRow appended and returns its rows. */
  async rows<T = Record<string, unknown>>(sql: string, settings: Record<string, string> = {}): Promise<T[]> {
    const rows: T[] = [];
    await this.eachRow<T>(sql, (row) => {
      rows.push(row);
    }, settings);
    return rows;
  }

  /**
   * Streams the rows of a SELECT (FORMAT JSONEachRow appended) without holding the answer. `onRow`
   * returning false stops reading: the rest of the answer is dropped with its connection.
   */
  async eachRow<T = Record<string, unknown>>(sql: string, onRow: (row: T) => boolean | void, settings: Record<string, string> = {}): Promise<void> {
    let rest = '';
    let stopped = false;
    await this.request(`${sql}\nFORMAT JSONEachRow`, settings, undefined, (chunk) => {
      if (stopped) return false;
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        if (line !== '' && onRow(JSON.parse(line) as T) === false) {
          stopped = true;
          return false;
        }
      }
      return true;
    });
    if (!stopped && rest.trim() !== '') onRow(JSON.parse(rest) as T);
  }

  /** INSERT INTO `table` FORMAT JSONEachRow with `body` (one JSON object per line). */
  async insert(table: string, body: string | Buffer, settings: Record<string, string> = {}): Promise<void> {
    await this.request(`INSERT INTO ${table} FORMAT JSONEachRow`, settings, body, () => undefined, true);
  }

  close(): void {
    this.agent.destroy();
  }

  private async request(sql: string, settings: Record<string, string>, body: string | Buffer | undefined, onData: (chunk: Buffer) => boolean | void, queryInUrl = false): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(sql, settings, body, onData, queryInUrl);
        return;
      } catch (error) {
        const stale = (error as { staleSocket?: boolean }).staleSocket === true;
        if (!stale || attempt > 0) throw error;
      }
    }
  }

  private send(sql: string, settings: Record<string, string>, body: string | Buffer | undefined, onData: (chunk: Buffer) => boolean | void, queryInUrl: boolean): Promise<void> {
    const params = new URLSearchParams({ database: this.connection.database, ...SESSION_SETTINGS, ...settings });
    if (queryInUrl) params.set('query', sql);
    const payload = queryInUrl ? (body ?? '') : sql;
    return new Promise((resolve, reject) => {
      let received = false;
      const request = this.transport.request(
        `${this.connection.origin}/?${params}`,
        {
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: { 'X-ClickHouse-User': this.connection.user, 'X-ClickHouse-Key': this.connection.password, 'Content-Length': Buffer.byteLength(payload) },
        },
        (response) => {
          received = true;
          const status = response.statusCode ?? 0;
          const errorChunks: Buffer[] = [];
          let done = false;
          response.on('data', (chunk: Buffer) => {
            if (done) return;
            if (status !== 200) errorChunks.push(chunk);
            else {
              try {
                if (onData(chunk) === false) {
                  // The caller has what it wanted: drop the rest (and the connection it comes on).
                  done = true;
                  request.destroy();
                  resolve();
                }
              } catch (error) {
                done = true;
                request.destroy();
                reject(error);
              }
            }
          });
          response.on('error', (error) => {
            if (!done) reject(new ClickHouseError(`ClickHouse answer cut off: ${error.message}`, 0));
          });
          response.on('end', () => {
            if (done) return;
            if (status === 200) resolve();
            else reject(new ClickHouseError(errorMessage(Buffer.concat(errorChunks).toString('utf8'), status), status));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer from ClickHouse within ${this.timeoutMs} ms`)));
      request.on('error', (error: NodeJS.ErrnoException) => {
        const failure = new ClickHouseError(`cannot reach ClickHouse at ${this.connection.origin}: ${error.message}`, 0);
        if (!received && request.reusedSocket && STALE_SOCKET.has(error.code ?? '')) Object.assign(failure, { staleSocket: true });
        reject(failure);
      });
      request.end(payload);
    });
  }
}

/** ClickHouse's exception text without the stack trace some versions append. */
function errorMessage(text: string, status: number): string {
  const trimmed = text.trim().split('\n')[0] ?? '';
  return trimmed ? `ClickHouse: ${trimmed}` : `ClickHouse answered HTTP ${status}`;
}
