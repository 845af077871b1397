import { detectorDefinitions, type DetectorSelection } from '../../auditlog/detectors';
import type { ViewerClickHouseSource } from '../../protocol/logViewer';
import type { SessionOpener } from '../../auditlog/viewer/viewerSessions';
import { ClickHouseClient, parseClickHouseUrl } from '../clickhouseClient';
import { ClickHouseProblem } from '../clickhouseProblem';
import { storeTable } from '../schema';
import { StoreViewerSession } from './storeViewerSession';

/** How often an open viewer asks whether rows arrived (a receiver may be writing to the table). */
export const STORE_POLL_MS = 5_000;

/**
 * Opens the viewer on a ClickHouse table named by a connection's settings. A bad URL or table name
 * is a ClickHouseProblem like an unreachable server: the viewer says it instead of showing a table.
 * `detectors`: the viewer's resolved detector settings, which name the ids stored with the rows.
 */
export function storeViewerOpener(source: ViewerClickHouseSource, detectors: Pick<DetectorSelection, 'catalog' | 'windows'> = {}): SessionOpener {
  return async (onStatus) => {
    let client: ClickHouseClient;
    let target;
    try {
      const connection = parseClickHouseUrl(source.url, source.password);
      if (source.user) connection.user = source.user;
      target = storeTable(source.table || undefined, source.cluster || undefined);
      client = new ClickHouseClient(connection);
    } catch (error) {
      throw new ClickHouseProblem(`The ClickHouse connection's settings are not usable: ${(error as Error).message}`, 'other');
    }
    try {
      return await StoreViewerSession.open(client, target, detectorDefinitions(detectors), onStatus, () => client.close());
    } catch (error) {
      client.close();
      throw error;
    }
  };
}
