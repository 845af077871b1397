import { detectRequest, WindowScanner, type CompiledDetector, type CompiledWindowDetector, type DetectorFinding } from '../auditlog/detectors';
import { parseQuery } from '../auditlog/query/parser';
import type { ClickHouseClient } from './clickhouseClient';
import { compileSql } from './querySql';
import { countRequests, compileStoreQuery, fromRows, rowEvent, whereRequests } from './storeQuery';
import type { StoreTable } from './schema';

export interface StoreScan {
  events: number;
  requests: number;
  findings: DetectorFinding[];
}

/**
 * The detectors over the events in ClickHouse. SQL selects the requests some detector's condition
 * may hold for (the OR of their conditions' prefilters); on those, the very code `k8s-audit scan`
 * runs on a file decides: each detector on the request's row, and the window detectors in time order.
 */
export async function scanStore(client: ClickHouseClient, target: StoreTable, detectors: readonly CompiledDetector[], windowDetectors: readonly CompiledWindowDetector[]): Promise<StoreScan> {
  const conditions = [...detectors.map((d) => d.condition), ...windowDetectors.map((d) => d.condition)];
  const prefilters = conditions.map((condition) => compileSql(condition).upper);
  const candidates = prefilters.includes('1') ? '1' : prefilters.length === 0 ? '0' : `(${prefilters.join(' OR ')})`;
  const findings: DetectorFinding[] = [];
  const windows = new WindowScanner(windowDetectors);
  if (candidates !== '0') {
    await client.eachRow<{ raw: string; format: string; line: number }>(`SELECT raw, format, line FROM ${fromRows(target)} WHERE ${whereRequests(target, candidates)} ORDER BY ts, timeMs, requestKey`, (row) => {
      const event = rowEvent(row);
      const request = { auditID: event.auditID, stages: [event], primary: event };
      findings.push(...detectRequest(request, detectors));
      windows.add(request);
    });
  }
  findings.push(...windows.finish());
  const requests = await countRequests(client, target, compileStoreQuery(parseQuery('')));
  const events = Number((await client.rows<{ n: number }>(`SELECT count() AS n FROM ${fromRows(target)}`))[0]?.n ?? 0);
  return { events, requests, findings };
}
