import { compileQuery, parseQuery, QuerySyntaxError, requestPredicate, toJq } from '../auditlog/query';
import { readLogSet } from '../auditlog/readLogSet';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import type { AuditRequest } from '../auditlog/requests';
import { parseTimestampMs } from '../auditlog/timestamp';
import { choice, parseArgs, UsageError } from './args';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { requestTarget } from '../auditlog/requestTarget';
import { CLICKHOUSE_OPTIONS, clickhouseTarget, type ClickHouseTarget } from './clickhouseOption';
import { compileStoreQuery, countRequests, eachRequest, requestsSql } from '../store/storeQuery';
import type { QueryNode } from '../auditlog/query/ast';

type Writable = { write(text: string): unknown };

const FORMATS = ['jsonl', 'table', 'count', 'jq', 'sql'] as const;

/**
 * `k8s-audit query LOG... 'QUERY'`: prints the requests a query matches (one per request, its most
 * complete stage), a table, a count, or the query translated to jq. Exit 0, 2 on usage or I/O failure.
 */
export async function runQuery(argv: string[], out: Writable, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['format', 'now', 'limit', ...CLICKHOUSE_OPTIONS], ['progress', 'with-rotated', 'stages']);
  const format = choice(options.get('format'), FORMATS, 'jsonl', 'format');
  const text = positionals.pop();
  if (text === undefined) throw new UsageError('query needs a QUERY (quote it: k8s-audit query audit.log \'verb:create\')');
  const now = parseNow(options.get('now'));
  const limit = parseLimit(options.get('limit'));

  let ast;
  try {
    ast = parseQuery(text, { now });
  } catch (error) {
    if (error instanceof QuerySyntaxError) {
      throw new UsageError(`bad query at column ${error.offset + 1}: ${error.message}\n  ${text}\n  ${' '.repeat(error.offset)}${'^'.repeat(Math.max(1, error.length))}`);
    }
    throw error;
  }
  if (format === 'jq') {
    out.write(`${toJq(ast)}\n`);
    return 0;
  }
  const store = clickhouseTarget(options);
  if (format === 'sql' && !store) throw new UsageError('--format sql prints the query for ClickHouse: give --clickhouse URL (and --table/--cluster) too');
  if (store) {
    if (positionals.length > 0) throw new UsageError('query --clickhouse reads the table, not LOG files: drop the file names');
    if (options.has('stages')) throw new UsageError('--stages is not available with --clickhouse');
    try {
      return await queryStore(store, ast, format as StoreFormat, limit, out);
    } finally {
      store.close();
    }
  }
  if (positionals.length === 0) throw new UsageError('query needs at least one LOG file before the QUERY');

  const matches = requestPredicate(compileQuery(ast));
  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  let count = 0;
  const tableEvents: NormalizedEvent[] = [];
  const result = await readLogSet(
    positionals,
    (request) => {
      if (!matches(request) || count >= limit) return;
      count++;
      if (format === 'jsonl') writeJsonLines(request, options.has('stages'), out);
      else if (format === 'table') tableEvents.push(request.primary);
    },
    { withRotated: options.has('with-rotated'), onProgress: progress.update },
  );
  progress.done();
  for (const error of result.errors) err.write(`k8s-audit: cannot read ${error.file}: ${error.message}\n`);
  if (format === 'count') out.write(`${count}\n`);
  if (format === 'table') out.write(renderTable(tableEvents.map((event) => tableRow(event, result.files))));
  return result.errors.length > 0 ? 2 : 0;
}

type StoreFormat = Exclude<(typeof FORMATS)[number], 'jq'>;

/** The same query over the events in ClickHouse (`--format sql`: the SELECT it runs). */
async function queryStore(store: ClickHouseTarget, ast: QueryNode, format: StoreFormat, limit: number, out: Writable): Promise<number> {
  const query = compileStoreQuery(ast);
  if (format === 'sql') {
    const note = query.condition.exact ? '' : '-- JSON path terms: rows where `decided` is 0 are decided by k8s-audit\'s evaluator on `raw`\n';
    out.write(`${note}${requestsSql(store.target, query, 'raw', 'ORDER BY ts, timeMs, requestKey')}\n`);
    return 0;
  }
  if (format === 'count' && !Number.isFinite(limit)) {
    out.write(`${await countRequests(store.client, store.target, query)}\n`);
    return 0;
  }
  let count = 0;
  const tableRows: string[][] = [];
  await eachRequest(
    store.client,
    store.target,
    query,
    ({ event, source }) => {
      count++;
      if (format === 'jsonl') out.write(`${JSON.stringify(event.event)}\n`);
      else if (format === 'table') tableRows.push(tableRow(event, [source]));
    },
    limit,
  );
  if (format === 'count') out.write(`${count}\n`);
  if (format === 'table') out.write(renderTable(tableRows));
  return 0;
}

function parseNow(value: string | true | undefined): number {
  if (value === undefined) return Date.now();
  const ms = value === true ? NaN : parseTimestampMs(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new UsageError('--now must be an RFC 3339 time such as 2026-02-22T10:00:00Z');
  return ms;
}

function parseLimit(value: string | true | undefined): number {
  if (value === undefined) return Infinity;
  const limit = value === true ? NaN : Number(value);
  if (!Number.isInteger(limit) || limit < 0) throw new UsageError('--limit must be a whole number');
  return limit;
}

function writeJsonLines(request: AuditRequest, allStages: boolean, out: Writable): void {
  for (const stage of allStages ? request.stages : [request.primary]) out.write(`${JSON.stringify(stage.event)}\n`);
}

function tableRow(e: NormalizedEvent, files: readonly string[]): string[] {
  const time = Number.isNaN(e.time) ? '' : new Date(e.time).toISOString();
  return [time, e.user, e.verb, requestTarget(e), e.namespace, e.name, e.code === null ? '' : String(e.code), `${files[e.file] ?? ''}:${e.line}`];
}

const HEADER = ['TIME', 'USER', 'VERB', 'RESOURCE', 'NAMESPACE', 'NAME', 'CODE', 'WHERE'];

/** Plain aligned columns; control characters in log values are shown escaped so they cannot move the cursor. */
function renderTable(rows: string[][]): string {
  const all = [HEADER, ...rows.map((row) => row.map((cell) => cell.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)))];
  const widths = HEADER.map((_, i) => Math.min(60, Math.max(...all.map((row) => row[i]!.length))));
  return `${all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n')}\n`;
}
