import type { SplitConsumer } from './partProtocol';

/**
 * Hands the parts' batches to the consumer in part order: a part's batches go through once every part
 * before it has ended (its line base is known then); until then they wait here, and their worker
 * waits once it has enough of them out (partWorker.ts).
 */
export class PartOrder {
  /** The part whose batches go through now; the line base of it. */
  private current = 0;
  private lineBase = 0;
  private readonly ends = new Map<number, number>();
  private readonly waiting = new Map<number, { data: Uint8Array; taken: () => void }[]>();
  /** The consumer's answer to the last batch given (a full output holds the next one back). */
  private last: Promise<void> = Promise.resolve();

  constructor(private readonly consumer: SplitConsumer) {}

  /** Resolves when the consumer has taken the batch. */
  batch(part: number, data: Uint8Array): Promise<void> {
    if (part === this.current) return this.take(part, data);
    return new Promise<void>((taken) => {
      let list = this.waiting.get(part);
      if (!list) this.waiting.set(part, (list = []));
      list.push({ data, taken });
    });
  }

  /** Part `part` sent its last batch; it read `newlines` line breaks. */
  ended(part: number, newlines: number): void {
    this.ends.set(part, newlines);
    while (this.ends.has(this.current)) {
      this.lineBase += this.ends.get(this.current)!;
      this.current++;
      for (const { data, taken } of this.waiting.get(this.current) ?? []) void this.take(this.current, data).then(taken);
      this.waiting.delete(this.current);
    }
  }

  /** Resolves when the consumer is done with every batch given so far. */
  drained(): Promise<void> {
    return this.last;
  }

  /** After the batches before it: a consumer waiting for its output to drain takes one batch at a time. */
  private take(part: number, data: Uint8Array): Promise<void> {
    const lineBase = this.lineBase;
    this.last = this.last.then(() => this.consumer.absorb(part, data, lineBase) ?? undefined);
    return this.last;
  }
}
