import type { ViewerRow } from '../../src/auditLog/protocol';

const PAGE_ROWS = 100;
/** Pages kept in memory: the webview holds what is on screen plus this small LRU, never the log. */
const MAX_PAGES = 60;

/**
 * Rows of the open log, fetched from the extension host a page at a time and kept in a small LRU.
 * `get` never blocks: a missing row triggers one request for its page and reads as undefined until
 * the page arrives, when `onPage` fires so the table can repaint.
 */
export class RowCache {
  private readonly pages = new Map<number, ViewerRow[]>();
  private readonly pending = new Map<number, number>();
  private nextRequestId = 1;

  constructor(
    private readonly requestRows: (requestId: number, start: number, count: number) => void,
    private readonly onPage: () => void,
  ) {}

  get(index: number): ViewerRow | undefined {
    const pageIndex = Math.floor(index / PAGE_ROWS);
    const page = this.pages.get(pageIndex);
    if (!page) {
      this.fetch(pageIndex);
      return undefined;
    }
    // Re-insert to mark the page as recently used (Map keeps insertion order).
    this.pages.delete(pageIndex);
    this.pages.set(pageIndex, page);
    return page[index - pageIndex * PAGE_ROWS];
  }

  /** Called with the answer to a request this cache made; other answers are ignored. */
  receive(requestId: number, start: number, rows: ViewerRow[]): void {
    const pageIndex = this.pending.get(requestId);
    if (pageIndex === undefined) return;
    this.pending.delete(requestId);
    if (start !== pageIndex * PAGE_ROWS) return;
    this.pages.set(pageIndex, rows);
    while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
    this.onPage();
  }

  /** A request of this cache failed: its page is asked for again when it is next needed. */
  failed(requestId: number): void {
    this.pending.delete(requestId);
  }

  /** Rows that came without a request (the first page, with the `opened` message): pages from `start`, a multiple of the page size. */
  seed(start: number, rows: ViewerRow[]): void {
    for (let at = 0; at < rows.length; at += PAGE_ROWS) {
      const page = rows.slice(at, at + PAGE_ROWS);
      // Only whole pages, or the last page of the rows there are: a short page would read as the end.
      if (page.length === PAGE_ROWS || at + page.length === rows.length) this.pages.set((start + at) / PAGE_ROWS, page);
    }
  }

  /** Forgets rows from `index` on: the last page may have been short before the file grew. */
  invalidateFrom(index: number): void {
    const firstPage = Math.floor(index / PAGE_ROWS);
    for (const pageIndex of [...this.pages.keys()]) if (pageIndex >= firstPage) this.pages.delete(pageIndex);
    for (const [requestId, pageIndex] of this.pending) if (pageIndex >= firstPage) this.pending.delete(requestId);
  }

  clear(): void {
    this.pages.clear();
    this.pending.clear();
  }

  private fetch(pageIndex: number): void {
    for (const waiting of this.pending.values()) if (waiting === pageIndex) return;
    const requestId = this.nextRequestId++;
    this.pending.set(requestId, pageIndex);
    this.requestRows(requestId, pageIndex * PAGE_ROWS, PAGE_ROWS);
  }
}
