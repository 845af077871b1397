import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { requestTarget } from '../auditlog/requestTarget';
import type { AuditRequest } from '../auditlog/requests';

export type QueryFormat = 'jsonl' | 'table' | 'count';

/** A table row but WHERE (the file's name is known at the end; a later part's lines are moved then). */
export interface TableRow {
  cells: string[];
  file: number;
  line: number;
}

/**
 * What `k8s-audit query` does with each request the reader completes: the first `limit` it matches
 * are printed (jsonl), kept as table rows, or counted; with `allStages` every stage of them.
 */
export class QueryAnswers {
  /** Requests matched and printed so far. */
  requests = 0;
  /** What --format count prints: requests, or with --stages their stages. */
  printed = 0;
  readonly tableRows: TableRow[] = [];

  constructor(
    private readonly matches: (request: AuditRequest) => boolean,
    private readonly format: QueryFormat,
    private readonly allStages: boolean,
    readonly limit: number,
    private readonly write: (text: string) => void,
  ) {}

  add(request: AuditRequest): void {
    if (!this.matches(request) || this.requests >= this.limit) return;
    this.requests++;
    const events = this.allStages ? request.stages : [request.primary];
    this.printed += events.length;
    if (this.format === 'jsonl') for (const event of events) this.write(`${JSON.stringify(event.event)}\n`);
    else if (this.format === 'table') for (const event of events) this.tableRows.push({ cells: tableCells(event), file: event.file, line: event.line });
  }
}

/** Every column but WHERE. */
export function tableCells(e: NormalizedEvent): string[] {
  const time = Number.isNaN(e.time) ? '' : new Date(e.time).toISOString();
  return [time, e.user, e.verb, requestTarget(e), e.namespace, e.name, e.code === null ? '' : String(e.code)];
}
