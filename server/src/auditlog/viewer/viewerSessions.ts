import type { ViewerOpenResult, ViewerStatus } from '../../protocol/logViewer';
import type { DetectorSelection } from '../detectors';
import { ViewerSession } from './viewerSession';

const POLL_MS = 1_000;
/** Rows sent with the answer to `open` (the webview's first page). */
const FIRST_PAGE_ROWS = 100;

/** The logs open in viewers, by session id; each is followed while it is open. */
export class ViewerSessions {
  private readonly sessions = new Map<number, { session: ViewerSession; timer: ReturnType<typeof setInterval> }>();
  private nextId = 1;

  constructor(
    private readonly onStatus: (sessionId: number, status: ViewerStatus, reset: boolean) => void = () => undefined,
    private readonly pollMs = POLL_MS,
  ) {}

  /** `detectors`: what the new session's index runs (sessions already open keep theirs). */
  async open(path: string, detectors: DetectorSelection = {}): Promise<ViewerOpenResult> {
    const sessionId = this.nextId++;
    const session = await ViewerSession.open(path, (status, reset) => this.onStatus(sessionId, status, reset), detectors);
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      // A file between rotation steps may be missing for a moment: the next poll looks again.
      session.refresh().catch(() => undefined).finally(() => (polling = false));
    }, this.pollMs);
    timer.unref?.();
    this.sessions.set(sessionId, { session, timer });
    return { sessionId, status: session.status(), firstRows: session.rows(0, FIRST_PAGE_ROWS) };
  }

  get(sessionId: number): ViewerSession {
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new Error(`log session ${sessionId} is not open`);
    return entry.session;
  }

  close(sessionId: number): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    clearInterval(entry.timer);
    entry.session.close();
    this.sessions.delete(sessionId);
  }
}
