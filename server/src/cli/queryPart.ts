// `k8s-audit query` on a file read in parts (auditlog/splitRead/), without --stages: a matched request
// is then one JSON line or one table row, so this thread can apply --limit to the parts' answers in
// part order. Each part's worker decides its requests with the same QueryAnswers as the one-thread query.
import { parseQuery } from '../auditlog/query';
import { scannedRequestPredicate } from '../auditlog/index/scannedDecisions';
import { packSections, unpackSections } from '../auditlog/splitRead/packedBatch';
import type { PartSink, SplitConsumer } from '../auditlog/splitRead/partProtocol';
import { drained, type Output } from './jsonOutput';
import { QueryAnswers, type QueryFormat, type TableRow } from './queryAnswers';

/** What a query part's worker is told. */
export interface QueryWork {
  command: 'query';
  query: string;
  /** --now, epoch milliseconds (relative times in the query). */
  now: number;
  format: QueryFormat;
}

/** A batch: how many requests matched and their table rows (lines part-relative), as JSON; their JSON lines as they are printed. */
interface QueryBatch {
  matched: number;
  rows: TableRow[];
}

/** A batch goes out when its JSON lines or table rows reach this (fewer, larger messages). */
const BATCH_TEXT = 256 * 1024;
const BATCH_ROWS = 4096;

export function queryPartSink(work: QueryWork): PartSink {
  let text = '';
  const answers = new QueryAnswers(scannedRequestPredicate(parseQuery(work.query, { now: work.now })), work.format, false, Infinity, (line) => (text += line));
  let sent = 0;
  return {
    add: (request) => answers.add(request),
    take(final) {
      const matched = answers.requests - sent;
      if (!final && text.length < BATCH_TEXT && answers.tableRows.length < BATCH_ROWS) return null;
      const batch: QueryBatch = { matched, rows: answers.tableRows.splice(0) };
      const data = packSections([Buffer.from(JSON.stringify(batch), 'utf8'), Buffer.from(text, 'utf8')]);
      sent = answers.requests;
      text = '';
      return data;
    },
  };
}

/** This thread's side: each batch's lines written and rows kept, up to --limit. */
export function querySplitConsumer(answers: QueryAnswers, out: Output): SplitConsumer {
  return {
    absorb(_part, data, lineBase) {
      const [json, lines] = unpackSections(data).map(({ buffer, offset, bytes }) => Buffer.from(buffer, offset, bytes).toString('utf8'));
      const batch = JSON.parse(json!) as QueryBatch;
      const n = Math.min(batch.matched, Math.max(0, answers.limit - answers.requests));
      answers.requests += n;
      answers.printed += n;
      if (lines !== '') out.write(n === batch.matched ? lines! : firstLines(lines!, n));
      for (const row of batch.rows.slice(0, n)) answers.tableRows.push({ ...row, line: row.line + lineBase });
      return drained(out);
    },
  };
}

function firstLines(text: string, n: number): string {
  let end = 0;
  for (let i = 0; i < n; i++) end = text.indexOf('\n', end) + 1;
  return text.slice(0, end);
}
