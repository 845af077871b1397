import { ClickHouseError, type ClickHouseConnection } from './clickhouseClient';

import type { ClickHouseProblemKind } from '../protocol/vocabulary';

export type { ClickHouseProblemKind };

/** A ClickHouse failure said in plain words: which server, which user or table, and what to do. */
export class ClickHouseProblem extends Error {
  constructor(
    message: string,
    readonly kind: ClickHouseProblemKind,
  ) {
    super(message);
  }
}

/** ClickHouse's error codes (the same numbers on 18.16 and current releases). */
const AUTH_CODES = new Set([192, 193, 194, 195, 516]); // unknown user, wrong password, password required, address not allowed, authentication failed
const ACCESS_DENIED = 497;
const UNKNOWN_TABLE = 60;
const UNKNOWN_DATABASE = 81;
const UNKNOWN_IDENTIFIER = 47; // a column the table lacks

/**
 * `error` as a ClickHouseProblem about `table` on `connection`. Errors that are not ClickHouse's (a
 * bug of ours) pass through unchanged.
 */
export function explainClickHouseError(error: unknown, connection: ClickHouseConnection, table: string): unknown {
  if (error instanceof ClickHouseProblem || !(error instanceof ClickHouseError)) return error;
  const where = `ClickHouse at ${connection.origin}`;
  if (error.status === 0) {
    const reason = /ECONNREFUSED/.test(error.message) ? 'connection refused' : /ENOTFOUND|EAI_AGAIN/.test(error.message) ? 'no such host' : /within \d+ ms|ETIMEDOUT/.test(error.message) ? 'no answer in time' : error.message.replace(/^.*?: /, '');
    return new ClickHouseProblem(`${where} cannot be reached (${reason}). Is the server running, and is the connection's URL right?`, 'unreachable');
  }
  const code = Number(/Code: (\d+)/.exec(error.message)?.[1] ?? NaN);
  if (AUTH_CODES.has(code) || error.status === 401) {
    return new ClickHouseProblem(`${where} refused user "${connection.user}": the password is wrong, or there is no such user.`, 'auth');
  }
  if (code === ACCESS_DENIED || error.status === 403) {
    return new ClickHouseProblem(`${where}: user "${connection.user}" may not read ${connection.database}.${table} (${detail(error)}).`, 'auth');
  }
  if (code === UNKNOWN_DATABASE) {
    return new ClickHouseProblem(`${where} has no database "${connection.database}". Name an existing one in the URL (http://host:8123/?database=NAME).`, 'missing-table');
  }
  if (code === UNKNOWN_TABLE) {
    return new ClickHouseProblem(
      `${where} has no table ${connection.database}.${table}${tableNamed(error.message, table)}. Load a log into it first (k8s-audit load LOG --clickhouse URL --table ${table}), or name the right table in the connection.`,
      'missing-table',
    );
  }
  if (code === UNKNOWN_IDENTIFIER) {
    return new ClickHouseProblem(`${connection.database}.${table} on ${where} is not an audit events table of k8s-audit (${detail(error)}).`, 'not-audit-table');
  }
  return new ClickHouseProblem(`${where} answered with an error: ${detail(error)}`, 'other');
}

/** The message of ClickHouse without the code prefix and the exception class it repeats. */
function detail(error: ClickHouseError): string {
  return error.message
    .replace(/^ClickHouse: /, '')
    .replace(/^Code: \d+[.,]\s*(e\.displayText\(\) = )?(DB::Exception: )?/, '')
    .replace(/, e\.what\(\) = DB::Exception$/, '')
    .trim();
}

/** On a cluster the missing table may be another one (a shard's local table): say which. */
function tableNamed(message: string, table: string): string {
  const named = /Table (\S+?)\.? does(?:n't| not) exist/.exec(message)?.[1];
  return named && !named.endsWith(`.${table}`) && named !== table ? ` (${named} is missing)` : '';
}
