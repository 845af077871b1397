/**
 * A list whose items are made when they are read, a slice at a time: a long list of objects derived
 * from others (scan's SARIF results from its detections) is then never all in memory at once when
 * writeJson (cli/jsonOutput.ts) writes it. JSON.stringify writes it as the array of its items.
 */
export class LazyList<T> {
  constructor(
    readonly length: number,
    private readonly item: (index: number) => T,
  ) {}

  slice(start: number, end: number): T[] {
    const items: T[] = [];
    for (let i = start; i < Math.min(end, this.length); i++) items.push(this.item(i));
    return items;
  }

  toJSON(): T[] {
    return this.slice(0, this.length);
  }
}
