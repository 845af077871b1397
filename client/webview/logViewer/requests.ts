import type { FromWebviewMessage, PageMethod, PageParams, PageRequest, ToWebviewMessage, ViewerResult } from '../../../server/src/protocol/logViewerPage';

type Answer = Extract<ToWebviewMessage, { type: 'answer' }>;

/**
 * The page's requests to its session, one id counter for all: each answer settles the request it
 * answers, an error rejects it (so no caller waits forever for an answer that failed). Which answer is
 * still wanted (the latest query, the selected row's details) is the caller's to decide.
 */
export class PageRequests {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();

  constructor(private readonly post: (message: FromWebviewMessage) => void) {}

  request<M extends PageMethod>(method: M, params: PageParams<M>): Promise<ViewerResult<M>> {
    const id = this.nextId++;
    return new Promise<ViewerResult<M>>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (result: unknown) => void, reject });
      this.post({ type: 'request', id, method, params } as PageRequest);
    });
  }

  /** Settles the request an answer is for (answers to no waiting request are dropped). */
  receive(answer: Answer): void {
    const waiting = this.waiting.get(answer.id);
    if (!waiting) return;
    this.waiting.delete(answer.id);
    if ('error' in answer) waiting.reject(new Error(answer.error));
    else waiting.resolve(answer.result);
  }
}
