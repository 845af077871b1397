import type { ViewerQueryResult } from '../../protocol/logViewer';
import { parseQuery, QuerySyntaxError, type QueryNode } from '../query';

/** The query bar's text parsed, or the answer that shows its syntax error at its place. */
export function parseViewerQuery(text: string): QueryNode | Extract<ViewerQueryResult, { ok: false }> {
  try {
    return parseQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return { ok: false, error: { offset: error.offset, length: error.length, message: error.message } };
    throw error;
  }
}
