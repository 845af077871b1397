import type { ViewerRow } from '../../../server/src/protocol/logViewerPage';

const PAGE_ROWS = 100;
/** Pages kept in memory: the webview holds what is on screen plus this small LRU, never the log. */
const MAX_PAGES = 60;

/**
 * Rows of the open log, fetched from the extension host a page at a time and kept in a small LRU.
 * `get` never blocks: a missing row triggers one request for its page and reads as undefined until
 * the page arrives, when `onPage` fires so the table can repaint. A page whose request failed is asked
 * for again when it is next needed (`onFailed` says why it is missing meanwhile).
 */
export class RowCache {
  private readonly pages = new Map<number, ViewerRow[]>();
  /** Pages asked for and not answered, each with its request (a cleared cache forgets them, and drops their answers). */
  private readonly pending = new Map<number, Promise<ViewerRow[]>>();

  constructor(
    private readonly requestRows: (start: number, count: number) => Promise<ViewerRow[]>,
    private readonly onPage: () => void,
    private readonly onFailed: (error: Error) => void = () => undefined,
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
    for (const pageIndex of [...this.pending.keys()]) if (pageIndex >= firstPage) this.pending.delete(pageIndex);
  }

  clear(): void {
    this.pages.clear();
    this.pending.clear();
  }

  private fetch(pageIndex: number): void {
    if (this.pending.has(pageIndex)) return;
    const asked = this.requestRows(pageIndex * PAGE_ROWS, PAGE_ROWS);
    this.pending.set(pageIndex, asked);
    asked.then(
      (rows) => {
        if (this.pending.get(pageIndex) !== asked) return;
        this.pending.delete(pageIndex);
        this.pages.set(pageIndex, rows);
        while (this.pages.size > MAX_PAGES) this.pages.delete(this.pages.keys().next().value!);
        this.onPage();
      },
      (error: Error) => {
        if (this.pending.get(pageIndex) === asked) this.pending.delete(pageIndex);
        this.onFailed(error);
      },
    );
  }
}
