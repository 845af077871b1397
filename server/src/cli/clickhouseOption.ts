import { ClickHouseClient } from '../store/clickhouseClient';
import { storeTable, type StoreTable } from '../store/schema';
import { UsageError } from './args';

/** Where a command reads or writes in ClickHouse: the entry node, every node (for DDL), the table. */
export interface ClickHouseTarget {
  client: ClickHouseClient;
  nodes: ClickHouseClient[];
  target: StoreTable;
  close(): void;
}

/**
 * `--clickhouse URL[,URL...] [--table T] [--cluster C]`. Several URLs name the nodes of a cluster
 * (tables are created on each; the first takes inserts and queries). The password may be in the URL
 * or, kept out of shell history, in K8S_AUDIT_CLICKHOUSE_PASSWORD.
 */
export function clickhouseTarget(options: Map<string, string | true>): ClickHouseTarget | undefined {
  const urls = options.get('clickhouse');
  if (urls === undefined) {
    if (options.has('table') || options.has('cluster')) throw new UsageError('--table and --cluster need --clickhouse URL');
    return undefined;
  }
  if (urls === true || urls.trim() === '') throw new UsageError('--clickhouse needs a URL such as http://localhost:8123');
  const table = options.get('table');
  const cluster = options.get('cluster');
  if (table === true || cluster === true) throw new UsageError('--table and --cluster need a value');
  let target: StoreTable;
  let nodes: ClickHouseClient[];
  try {
    target = storeTable(table, cluster);
    const password = process.env.K8S_AUDIT_CLICKHOUSE_PASSWORD;
    nodes = urls.split(',').map((url) => ClickHouseClient.fromUrl(url.trim(), password || undefined));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { client: nodes[0]!, nodes, target, close: () => nodes.forEach((node) => node.close()) };
}

export const CLICKHOUSE_OPTIONS = ['clickhouse', 'table', 'cluster'] as const;
