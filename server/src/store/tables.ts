import type { ClickHouseClient } from './clickhouseClient';
import { createStatements, type StoreTable } from './schema';

/** Creates the tables on every node (IF NOT EXISTS: loading again, or into an existing setup, is fine). */
export async function ensureSchema(nodes: readonly ClickHouseClient[], target: StoreTable): Promise<void> {
  for (const node of nodes) for (const statement of createStatements(target)) await node.query(statement);
}

/**
 * Inserts into a Distributed table wait until every shard has its rows (`insert_distributed_sync`):
 * the answer then means stored, which is what the webhook receiver acknowledges on.
 */
export function insertSettings(target: StoreTable): Record<string, string> {
  return target.cluster ? { insert_distributed_sync: '1' } : {};
}
