import { stat } from 'node:fs/promises';
import type { LogChangedParams, LogEventResult, LogOpenResult, LogRowsResult } from '../protocol/logSession';
import type { AuditRow, SkippedLine } from './event';
import { readJsonLinesChunk } from './jsonLinesChunk';
import { readLineAt } from './readRecord';
import { redactEvent } from './redact';

/** Rows a session keeps in memory until the columnar index replaces this reader. */
const MAX_SESSION_ROWS = 100_000;
const MAX_READ_BYTES = 64 * 1024 * 1024;
/** A page request larger than this is cut: the viewer asks for what is on screen plus a margin. */
const MAX_PAGE_ROWS = 2_000;
const POLL_MS = 1_000;

interface Session {
  path: string;
  sizeBytes: number;
  rows: AuditRow[];
  skipped: SkippedLine[];
  complete: boolean;
  endOffset: number;
  nextLine: number;
  pendingLine?: number;
  /** Identity of the file, to notice rotation (a new file under the same name). */
  inode: number;
  timer: ReturnType<typeof setInterval>;
  polling: boolean;
}

/**
 * The audit logs open in viewers, by session id (one per open editor). A session that has read its
 * whole file follows it: appended lines become rows, and a rotated or truncated file starts over.
 */
export class LogSessions {
  private readonly sessions = new Map<number, Session>();
  private nextId = 1;

  constructor(
    private readonly onChanged: (change: LogChangedParams) => void = () => undefined,
    private readonly pollMs = POLL_MS,
  ) {}

  async open(path: string): Promise<LogOpenResult> {
    const sessionId = this.nextId++;
    const session = await this.load(path);
    session.timer = setInterval(() => void this.poll(sessionId), this.pollMs);
    session.timer.unref?.();
    this.sessions.set(sessionId, session);
    return { sessionId, ...this.summary(session) };
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

  close(sessionId: number): void {
    const session = this.sessions.get(sessionId);
    if (session) clearInterval(session.timer);
    this.sessions.delete(sessionId);
  }

  private async load(path: string): Promise<Session> {
    const { ino } = await stat(path);
    const chunk = await readJsonLinesChunk(path, { maxRows: MAX_SESSION_ROWS, maxBytes: MAX_READ_BYTES });
    const session: Session = {
      path,
      sizeBytes: chunk.sizeBytes,
      rows: chunk.rows,
      skipped: chunk.skipped,
      complete: chunk.reachedEnd,
      endOffset: chunk.endOffset,
      nextLine: chunk.nextLine,
      inode: ino,
      timer: undefined as unknown as ReturnType<typeof setInterval>,
      polling: false,
    };
    if (chunk.pendingLine !== undefined) session.pendingLine = chunk.pendingLine;
    return session;
  }

  /** Checks the file for growth or rotation. Errors (the file is gone for a moment) wait for the next poll. */
  private async poll(sessionId: number): Promise<void> {
    const session = this.sessions.get(sessionId);
    if (!session || session.polling) return;
    session.polling = true;
    try {
      const { size, ino } = await stat(session.path);
      session.sizeBytes = size;
      if (ino !== session.inode || size < session.endOffset) {
        const reloaded = await this.load(session.path);
        Object.assign(session, { ...reloaded, timer: session.timer, polling: true });
        if (reloaded.pendingLine === undefined) delete session.pendingLine;
        this.onChanged({ sessionId, reset: true, ...this.summary(session) });
      } else if (session.complete && size > session.endOffset && session.rows.length < MAX_SESSION_ROWS) {
        const chunk = await readJsonLinesChunk(session.path, {
          fromOffset: session.endOffset,
          firstLine: session.nextLine,
          maxRows: MAX_SESSION_ROWS - session.rows.length,
          maxBytes: MAX_READ_BYTES,
        });
        if (chunk.endOffset === session.endOffset && chunk.pendingLine === session.pendingLine) return;
        session.rows.push(...chunk.rows);
        session.skipped.push(...chunk.skipped);
        session.endOffset = chunk.endOffset;
        session.nextLine = chunk.nextLine;
        session.complete = chunk.reachedEnd;
        if (chunk.pendingLine !== undefined) session.pendingLine = chunk.pendingLine;
        else delete session.pendingLine;
        this.onChanged({ sessionId, reset: false, ...this.summary(session) });
      }
    } catch {
      // The file may be between rotation steps; the next poll looks again.
    } finally {
      session.polling = false;
    }
  }

  private summary(session: Session): Omit<LogOpenResult, 'sessionId'> {
    const summary: Omit<LogOpenResult, 'sessionId'> = { sizeBytes: session.sizeBytes, rowCount: session.rows.length, complete: session.complete, skipped: session.skipped };
    if (session.pendingLine !== undefined) summary.pendingLine = session.pendingLine;
    return summary;
  }

  private session(sessionId: number): Session {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`log session ${sessionId} is not open`);
    return session;
  }
}
