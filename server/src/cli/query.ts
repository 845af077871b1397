import { parseQuery, QuerySyntaxError, toJq } from '../auditlog/query';
import { scannedRequestPredicate } from '../auditlog/index/scannedDecisions';
import { readLogSet } from '../auditlog/readLogSet';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { parseTimestampMs } from '../auditlog/timestamp';
import { choice, parseArgs, UsageError } from './args';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { QueryAnswers, tableCells, type QueryFormat } from './queryAnswers';
import { querySplitConsumer } from './queryPart';
import { splitRead } from './splitOption';
import { printableCell } from './printable';
import { drained, type Output } from './jsonOutput';
import { reportReadProblems } from './readProblems';
import { CLICKHOUSE_OPTIONS, clickhouseTarget, type ClickHouseTarget } from './clickhouseOption';
import { compileStoreQuery, countRequests, eachRequest, requestsSql } from '../store/storeQuery';
import type { QueryNode } from '../auditlog/query/ast';


const FORMATS = ['jsonl', 'table', 'count', 'jq', 'sql'] as const;

/**
 * `k8s-audit query LOG... 'QUERY'`: prints the requests a query matches (one per request, its most
 * complete stage; every stage with --stages), a table, a count of what those print, or the query
 * translated to a jq program that groups stages the same way. Exit 0, 2 on usage or I/O
 * failure, 3 when some input was damaged (the output is partial).
 */
export async function runQuery(argv: string[], out: Output, err: ProgressStream): Promise<number> {
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
  const allStages = options.has('stages');
  if (format === 'jq') {
    out.write(`${toJq(ast, { stages: allStages, limit, source: text })}\n`);
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

  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const answers = new QueryAnswers(scannedRequestPredicate(ast), format as QueryFormat, allStages, limit, (line) => out.write(line));
  // One big file is read in parts (queryPart.ts) unless every stage is printed: a request a part
  // leaves open may complete in the next, and only its last stages are there.
  const split = allStages ? {} : { split: splitRead({ command: 'query', query: text, now, format: format as QueryFormat }, querySplitConsumer(answers, out)) };
  const result = await readLogSet(
    positionals,
    (request) => answers.add(request),
    // Reading waits while stdout is full (a slow reader of a big answer): what waits to be written is held in memory.
    { withRotated: options.has('with-rotated'), onProgress: progress.update, fieldScanner: true, afterChunk: () => drained(out), ...split },
  );
  progress.done();
  if (format === 'count') out.write(`${answers.printed}\n`);
  if (format === 'table') out.write(renderTable(answers.tableRows.map(({ cells, file, line }) => [...cells, where(result.files, file, line)])));
  return reportReadProblems(result, err, { details: true });
}

type StoreFormat = Exclude<(typeof FORMATS)[number], 'jq'>;

/** The same query over the events in ClickHouse (`--format sql`: the SELECT it runs). */
async function queryStore(store: ClickHouseTarget, ast: QueryNode, format: StoreFormat, limit: number, out: Output): Promise<number> {
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

function tableRow(e: NormalizedEvent, files: readonly string[]): string[] {
  return [...tableCells(e), where(files, e.file, e.line)];
}

function where(files: readonly string[], file: number, line: number): string {
  return `${files[file] ?? ''}:${line}`;
}

const HEADER = ['TIME', 'USER', 'VERB', 'RESOURCE', 'NAMESPACE', 'NAME', 'CODE', 'WHERE'];

/** Plain aligned columns; control characters in log values are shown escaped so they cannot move the cursor. */
function renderTable(rows: string[][]): string {
  const all = [HEADER, ...rows.map((row) => row.map(printableCell))];
  const widths = HEADER.map((_, i) => Math.min(60, Math.max(...all.map((row) => row[i]!.length))));
  return `${all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n')}\n`;
}
