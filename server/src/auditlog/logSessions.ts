import type { LogEventResult, LogOpenResult, LogRowsResult } from '../protocol/logSession';
import type { AuditRow } from './event';
import { previewJsonLines } from './preview';
import { readLineAt } from './readRecord';
import { redactEvent } from './redact';

/** Rows a session keeps in memory until the columnar index replaces the head preview. */
const MAX_SESSION_ROWS = 100_000;
/** A page request larger than this is cut: the viewer asks for what is on screen plus a margin. */
const MAX_PAGE_ROWS = 2_000;

/** The audit logs open in viewers, by session id. One session per open editor. */
export class LogSessions {
  private readonly sessions = new Map<number, { path: string; rows: AuditRow[] }>();
  private nextId = 1;

  async open(path: string): Promise<LogOpenResult> {
    const preview = await previewJsonLines(path, MAX_SESSION_ROWS, 64 * 1024 * 1024);
    const sessionId = this.nextId++;
    this.sessions.set(sessionId, { path, rows: preview.rows });
    return { sessionId, sizeBytes: preview.sizeBytes, rowCount: preview.rows.length, complete: preview.complete, skipped: preview.skipped };
  }

  rows(sessionId: number, start: number, count: number): LogRowsResult {
    const { rows } = this.session(sessionId);
    const from = Math.max(0, Math.floor(start));
    return { start: from, rows: rows.slice(from, from + Math.max(0, Math.min(count, MAX_PAGE_ROWS))) };
  }

  /** The whole event of one row, read again from the file (bodies are never kept in memory). */
  async event(sessionId: number, index: number, reveal: boolean): Promise<LogEventResult> {
    const { path, rows } = this.session(sessionId);
    const row = rows[index];
    if (!row) throw new Error(`row ${index} does not exist`);
    const text = await readLineAt(path, row.offset);
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      return { index, line: row.line, json: text, redactions: 0 };
    }
    if (reveal) return { index, line: row.line, json: JSON.stringify(event, null, 2), redactions: 0 };
    const redacted = redactEvent(event);
    return { index, line: row.line, json: JSON.stringify(redacted.value, null, 2), redactions: redacted.redactions.length };
  }

  private session(sessionId: number): { path: string; rows: AuditRow[] } {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`log session ${sessionId} is not open`);
    return session;
  }

  close(sessionId: number): void {
    this.sessions.delete(sessionId);
  }
}
