import type { CompletionValues, Counted, TimeBounds, ValueSource } from '../../auditlog/viewer/queryCompletion';
import type { ClickHouseClient } from '../clickhouseClient';
import { patternSql } from '../querySql';
import { sqlString } from '../sqlText';
import { fromRows, rowEvent, whereRequests } from '../storeQuery';
import type { StoreTable } from '../schema';
import type { StoreResult } from './storeResult';

/** Values sent back per completion (the query bar offers 50: starting with the typed text first, then containing it). */
const VALUES_ASKED = 200;
/** Events read to complete JSON path keys, as for files. */
const SAMPLE_EVENTS = 200;

/**
 * The column (or expression) of each field whose values completion offers; groups are one value per
 * group (ARRAY JOIN, a plain name that WHERE can use on every release: no SELECT alias in WHERE).
 */
const VALUE_EXPRESSION: Partial<Record<ValueSource, string>> = {
  resourcePath: "if(subresource != '', concat(resource, '/', subresource), resource)",
  groups: 'groupName',
  code: 'codeText',
};
const ARRAY_JOIN: Partial<Record<ValueSource, string>> = { groups: ' ARRAY JOIN groups AS groupName' };

/** Fields whose empty value is no value (a request without a code or command). */
const EMPTY_IS_NONE = new Set<ValueSource>(['code', 'command']);

/**
 * Completion of field values from the whole table (every request, as the file viewer offers the
 * whole log's values): GROUP BY the field, narrowed in SQL to what can be offered for the typed text,
 * most frequent first.
 */
export function storeCompletionValues(client: ClickHouseClient, target: StoreTable): CompletionValues {
  return {
    counted: async (source, typedParts) => {
      const expression = VALUE_EXPRESSION[source] ?? source;
      const filters = [whereRequests(target, '1')];
      if (EMPTY_IS_NONE.has(source)) filters.push(`${expression} != ''`);
      const typed = typedParts.join('');
      // A typed `*` is a wildcard (values the pattern starts, case-sensitive); else any value containing the text, starting ones first.
      if (typedParts.length > 1) filters.push(patternSql(expression, { parts: [...typedParts, ''], source: '', offset: 0 }));
      else if (typed !== '') filters.push(`positionCaseInsensitiveUTF8(${expression}, ${sqlString(typed)}) > 0`);
      const starting = typedParts.length > 1 || typed === '' ? '' : `startsWith(lowerUTF8(value), ${sqlString(typed.toLowerCase())}) DESC, `;
      const rows = await client.rows<{ value: string; n: number }>(
        `SELECT ${expression} AS value, count() AS n FROM ${fromRows(target)}${ARRAY_JOIN[source] ?? ''} WHERE ${filters.join(' AND ')} GROUP BY value ORDER BY ${starting}n DESC, value LIMIT ${VALUES_ASKED}`,
      );
      return rows.map((row): Counted => ({ value: String(row.value), count: Number(row.n) }));
    },
    timeBounds: async (): Promise<TimeBounds | null> => {
      const [row] = await client.rows<{ firstMs: number | null; lastMs: number | null }>(`SELECT min(timeMs) AS firstMs, max(timeMs) AS lastMs FROM ${fromRows(target)} WHERE ${whereRequests(target, '1')}`);
      return row && row.firstMs !== null && row.lastMs !== null ? { first: Number(row.firstMs), last: Number(row.lastMs) } : null;
    },
  };
}

/**
 * Events of the current result for JSON path key completion: requests with a body first (paths into
 * requestObject/responseObject are the ones worth completing), then any.
 */
export async function sampleStoreEvents(result: StoreResult): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  const take = (row: { raw?: string; format?: string }) => void events.push(rowEvent(row as { raw: string }).event);
  const withBody = "(position(raw, '\"requestObject\":') > 0 OR position(raw, '\"responseObject\":') > 0)";
  await result.eachDecided('raw, format', take, { where: withBody, limit: SAMPLE_EVENTS });
  if (events.length < SAMPLE_EVENTS) await result.eachDecided('raw, format', take, { where: `NOT ${withBody}`, limit: SAMPLE_EVENTS - events.length });
  return events;
}
