import type { IndexRow } from '../index';
import { requestTarget } from '../requestTarget';

/** What describeRequest says about a request: an indexed row has it, and so has a stored event with its stages. */
export type DescribedRequest = Pick<IndexRow, 'user' | 'impersonatedUser' | 'verb' | 'resource' | 'subresource' | 'requestURI' | 'namespace' | 'name' | 'code' | 'latencyMs' | 'decision' | 'time' | 'level' | 'sourceIP' | 'userAgent'> & {
  groups: readonly string[];
  stages: readonly string[];
};

/** A request in plain words, line by line: who, what, where, the result, when and from where. */
export function describeRequest(row: DescribedRequest): string[] {
  const who = row.user || '(no user: authentication failed)';
  const as = row.impersonatedUser ? ` as ${row.impersonatedUser}` : '';
  const groups = row.groups.length > 0 ? ` (${row.groups.join(', ')})` : '';
  const target = `${requestTarget(row)}${row.resource && row.name ? ` ${row.name}` : ''}`;
  const where = row.namespace ? ` in ${row.namespace}` : row.resource ? ' (cluster-wide)' : '';
  const result = row.code === null ? 'no response code (the request did not complete)' : `${row.code}${row.decision ? `, authorization ${row.decision}` : ''}`;
  const latency = row.latencyMs === null ? '' : ` in ${Math.round(row.latencyMs)} ms`;
  const lines = [`${who}${as}${groups}`, `${row.verb || '(no verb)'} ${target}${where}`, `→ ${result}${latency}`];
  if (row.time !== null) lines.push(`at ${new Date(row.time).toISOString()}, stages: ${row.stages.join(', ') || '(none)'}, level ${row.level || '?'}`);
  if (row.sourceIP || row.userAgent) lines.push(`from ${row.sourceIP || '?'}${row.userAgent ? `, ${row.userAgent}` : ''}`);
  return lines;
}
