/**
 * Writes that arrive while one is in progress are gathered and written together next: one INSERT or
 * one fsync for many webhook batches. Each caller's promise settles with the write that carried its
 * items, so an acknowledgement always means stored. At most `maxPending` items wait; past that, `add`
 * refuses at once (the receiver answers 429) instead of holding more memory.
 */
export class GroupCommit<T> {
  private pending: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private pendingItems = 0;
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly maxPending: number,
  ) {}

  /** Items waiting or being written. */
  get backlog(): number {
    return this.pendingItems;
  }

  /** False when the backlog is full: the caller should refuse the batch (nothing was taken). */
  canTake(count: number): boolean {
    return this.pendingItems === 0 || this.pendingItems + count <= this.maxPending;
  }

  add(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ items, resolve, reject });
      this.pendingItems += items.length;
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      const items = group.flatMap((entry) => entry.items);
      try {
        await this.write(items);
        for (const entry of group) entry.resolve();
      } catch (error) {
        for (const entry of group) entry.reject(error);
      } finally {
        this.pendingItems -= items.length;
      }
    }
    this.writing = false;
  }
}
