import type { ClickHouseClient } from '../clickhouseClient';
import type { StoreTable } from '../schema';
import { ensureSchema, insertSettings } from '../tables';
import { GroupCommitSink, type EventRow } from './sink';

/**
 * Rows into the events table, acknowledged when ClickHouse answers the INSERT (on a cluster, when
 * every shard has its rows). Batches that arrive during an INSERT go together in the next one, so a
 * busy receiver makes few, larger inserts. A batch sent again after a failure that had in fact been
 * stored is absorbed by the table's dedup on (time, request, stage).
 */
export class ClickHouseSink extends GroupCommitSink {
  readonly name: string;
  private schemaReady = false;

  constructor(
    private readonly client: ClickHouseClient,
    private readonly nodes: readonly ClickHouseClient[],
    private readonly target: StoreTable,
    maxBacklog: number,
  ) {
    super(maxBacklog);
    this.name = `ClickHouse ${client.connection.origin} table ${target.table}`;
  }

  async close(): Promise<void> {
    this.client.close();
    for (const node of this.nodes) if (node !== this.client) node.close();
  }

  protected async store(rows: EventRow[]): Promise<void> {
    // Created on first use, so a receiver started while ClickHouse is down comes right when it is up.
    if (!this.schemaReady) await ensureSchema(this.nodes, this.target);
    this.schemaReady = true;
    await this.client.insert(this.target.table, `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`, insertSettings(this.target));
  }
}
