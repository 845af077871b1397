// Real ClickHouse servers for tests: Debian's clickhouse-server started as a plain process on free
// loopback ports, in a temporary folder, and stopped by the test that started it. A cluster is
// several such servers that all know the `test_cluster` layout (one shard per server).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';

/** Why ClickHouse tests cannot run here, or false when they can (for node:test's `skip`). */
export function clickhouseMissing(): string | false {
  return existsSync(CLICKHOUSE_SERVER) ? false : 'clickhouse-server is not installed (bash scripts/ensure-system-packages.sh clickhouse-server)';
}

export interface ClickHouseNode {
  dir: string;
  httpPort: number;
  tcpPort: number;
  url: string;
  process: ChildProcess | undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function writeConfig(node: ClickHouseNode, shardTcpPorts: readonly number[]): void {
  for (const sub of ['data', 'tmp', 'log', 'user_files', 'format_schemas']) mkdirSync(join(node.dir, sub), { recursive: true });
  const shards = shardTcpPorts.map((port) => `<shard><replica><host>127.0.0.1</host><port>${port}</port></replica></shard>`).join('');
  writeFileSync(
    join(node.dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${node.dir}/log/server.log</log><errorlog>${node.dir}/log/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${node.httpPort}</http_port>
  <tcp_port>${node.tcpPort}</tcp_port>
  <path>${node.dir}/data/</path>
  <tmp_path>${node.dir}/tmp/</tmp_path>
  <user_files_path>${node.dir}/user_files/</user_files_path>
  <format_schema_path>${node.dir}/format_schemas/</format_schema_path>
  <users_config>${node.dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <display_name>${node.dir}</display_name>
  <keep_alive_timeout>30</keep_alive_timeout>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <remote_servers><test_cluster>${shards}</test_cluster></remote_servers>
</yandex>
`,
  );
  // The default profile of a stock server: none of the settings our SQL relies on are set here, so
  // the tests prove the product sets what it needs itself.
  writeFileSync(
    join(node.dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default>
    <password></password>
    <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
    <profile>default</profile><quota>default</quota>
  </default></users>
  <quotas><default></default></quotas>
</yandex>
`,
  );
}

/** Ready when our server (named by its display name, not another one on a reused port) answers. */
async function waitReady(node: ClickHouseNode, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone(node.process)) throw new Error(`clickhouse-server exited (${node.process?.exitCode ?? node.process?.signalCode}); see ${node.dir}/log`);
    try {
      const response = await fetch(`${node.url}/?query=SELECT%201`);
      if (response.headers.get('x-clickhouse-server-display-name') === node.dir) {
        await response.text();
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`clickhouse-server on ${node.httpPort} did not answer within ${timeoutMs} ms`);
}

/** A killed process has a signal and no exit code: either means it is gone. */
function gone(child: ChildProcess | undefined): boolean {
  return !child || child.exitCode !== null || child.signalCode !== null;
}

function launch(node: ClickHouseNode): void {
  node.process = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(node.dir, 'config.xml')}`], { stdio: 'ignore', detached: false });
}

export class ClickHouseCluster {
  private constructor(
    readonly nodes: ClickHouseNode[],
    private readonly root: string,
  ) {}

  /** One server (`shards` 1) or a cluster `test_cluster` of one server per shard. */
  static async start(shards = 1): Promise<ClickHouseCluster> {
    const root = mkdtempSync(join(tmpdir(), 'k8s-audit-ch-'));
    const nodes: ClickHouseNode[] = [];
    for (let i = 0; i < shards; i++) {
      const httpPort = await freePort();
      const tcpPort = await freePort();
      nodes.push({ dir: join(root, `node${i}`), httpPort, tcpPort, url: `http://127.0.0.1:${httpPort}`, process: undefined });
    }
    const cluster = new ClickHouseCluster(nodes, root);
    for (const node of nodes) writeConfig(node, nodes.map((n) => n.tcpPort));
    for (const node of nodes) launch(node);
    await Promise.all(nodes.map((node) => waitReady(node)));
    return cluster;
  }

  get url(): string {
    return this.nodes[0]!.url;
  }

  /** Every node's URL, comma-separated, as `--clickhouse` takes them for a cluster. */
  get urls(): string {
    return this.nodes.map((node) => node.url).join(',');
  }

  /** Kills a node at once (SIGKILL: no flush, as a crash). */
  async kill(index = 0): Promise<void> {
    const child = this.nodes[index]!.process;
    if (!child || gone(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async restart(index = 0): Promise<void> {
    await this.kill(index);
    launch(this.nodes[index]!);
    await waitReady(this.nodes[index]!);
  }

  /** Ends every node (SIGKILL: a test's data is thrown away, and 18.16 can take 10 s over SIGTERM) and removes their folders. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((_node, index) => this.kill(index)));
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** One query over HTTP (tests' own view of the server, independent of the product's client). */
export async function clickhouseQuery(url: string, sql: string): Promise<string> {
  const response = await fetch(`${url}/`, { method: 'POST', body: sql });
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.status}: ${text}`);
  return text;
}

export function clickhouseVersion(): string {
  return spawnSync(CLICKHOUSE_SERVER, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
