import type { AuditRow } from './event';
import { previewJsonLines } from './preview';
import type { LogOpenResult, LogRowsResult } from '../protocol/logSession';

/** Rows a session keeps in memory until the columnar index replaces the head preview. */
const MAX_SESSION_ROWS = 100_000;
/** A page request larger than this is cut: the viewer asks for what is on screen plus a margin. */
const MAX_PAGE_ROWS = 2_000;

/** The audit logs open in viewers, by session id. One session per open editor. */
export class LogSessions {
  private readonly sessions = new Map<number, AuditRow[]>();
  private nextId = 1;

  async open(path: string): Promise<LogOpenResult> {
    const preview = await previewJsonLines(path, MAX_SESSION_ROWS, 64 * 1024 * 1024);
    const sessionId = this.nextId++;
    this.sessions.set(sessionId, preview.rows);
    return { sessionId, sizeBytes: preview.sizeBytes, rowCount: preview.rows.length, complete: preview.complete, skipped: preview.skipped };
  }

  rows(sessionId: number, start: number, count: number): LogRowsResult {
    const rows = this.sessions.get(sessionId);
    if (!rows) throw new Error(`log session ${sessionId} is not open`);
    const from = Math.max(0, Math.floor(start));
    return { start: from, rows: rows.slice(from, from + Math.max(0, Math.min(count, MAX_PAGE_ROWS))) };
  }

  close(sessionId: number): void {
    this.sessions.delete(sessionId);
  }
}
