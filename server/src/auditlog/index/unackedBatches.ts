import type { MessagePort } from 'node:worker_threads';

/**
 * A worker's count of the batches it posted that the owning thread has not yet acknowledged (with a
 * message of type `ack`): reading waits while `max` are out, so a busy owning thread does not collect
 * them in its memory.
 */
export class UnackedBatches {
  private unacked = 0;
  private resume: (() => void) | null = null;

  constructor(
    port: MessagePort,
    ack: string,
    private readonly max: number,
  ) {
    port.on('message', (message: { type: string }) => {
      if (message.type !== ack) return;
      this.unacked--;
      if (this.resume && this.unacked < this.max) {
        this.resume();
        this.resume = null;
      }
    });
  }

  posted(): void {
    this.unacked++;
  }

  /** Null when reading may go on, else a promise that resolves when it may. */
  ready(): Promise<void> | null {
    return this.unacked < this.max ? null : new Promise<void>((resolve) => (this.resume = resolve));
  }
}
