import type { QueryNode } from '../query/ast';
import { compileQuery } from '../query/evaluate';
import { parseQuery, type ParseQueryOptions } from '../query/parser';
import { checkBodies } from './bodyCheck';
import { BODY, compileIndexPredicate, readsBodies, YES } from './indexPredicate';
import { columnsOf, type LogIndex } from './logIndex';
import { timeOrder } from './timeOrder';

const MATCH = YES;
const UNDECIDED = BODY;

export interface IndexQueryResult {
  /** Matching row ids in time order (see timeOrder). */
  rows: Uint32Array;
  /** Rows the index could not decide alone and whose records were re-read from disk. */
  bodyChecked: number;
  /** Rows of the index when the query ran (it sees the rows appended so far). */
  scanned: number;
}

/**
 * Runs a query over the index: columns decide what they can; rows whose answer depends on a body
 * (a JSON-path term) are re-read and decided by the streaming evaluator. Works while the index is
 * still being built, over the rows appended so far.
 */
export async function queryIndex(index: LogIndex, query: string | QueryNode, options: ParseQueryOptions = {}): Promise<IndexQueryResult> {
  const ast = typeof query === 'string' ? parseQuery(query, options) : query;
  const order = timeOrder(index);
  const scanned = order.length;
  if (ast.kind === 'all') return { rows: order.slice(), bodyChecked: 0, scanned };
  const test = compileIndexPredicate(ast, columnsOf(index));
  const answers = new Uint8Array(order.length);
  let matches = 0;
  let undecided = 0;
  for (let i = 0; i < order.length; i++) {
    const answer = test(order[i]!);
    answers[i] = answer;
    if (answer === MATCH) matches++;
    else if (answer === UNDECIDED) undecided++;
  }
  if (undecided > 0 && readsBodies(ast)) {
    const candidates = new Uint32Array(undecided);
    let k = 0;
    for (let i = 0; i < order.length; i++) if (answers[i] === BODY) candidates[k++] = order[i]!;
    const verdicts = await checkBodies(index, candidates, compileQuery(ast));
    k = 0;
    for (let i = 0; i < order.length; i++) {
      if (answers[i] !== BODY) continue;
      if (verdicts[k++] === 1) {
        answers[i] = YES;
        matches++;
      }
    }
  }
  const rows = new Uint32Array(matches);
  let k = 0;
  for (let i = 0; i < order.length; i++) if (answers[i] === YES) rows[k++] = order[i]!;
  return { rows, bodyChecked: undecided, scanned };
}
