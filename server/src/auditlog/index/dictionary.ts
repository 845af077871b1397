/**
 * Strings of one column, each stored once and named by a small integer. Filters and facets then
 * compare integers, and a wildcard pattern is tested once per distinct string rather than per row.
 */
export class Dictionary {
  readonly strings: string[] = [];
  private readonly ids = new Map<string, number>();

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  /** The id of a string already stored, or -1. */
  find(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  get size(): number {
    return this.strings.length;
  }
}
