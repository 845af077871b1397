// Columns grow while a log is read, and a typed array cannot grow in place: these wrappers grow
// their buffer by half on overflow, so appending a row costs O(1) amortised and the memory stays one flat
// allocation per column (no per-row objects for the garbage collector to walk).

type TypedArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * The capacity a column of `current` values grows to when it needs `needed`: by half, and again until
 * it fits; `exact`: no more than needed. 1.5x rather than 2x: less unused tail at the end of a build,
 * for the same O(1) amortised append.
 */
function grownCapacity(current: number, needed: number, exact: boolean): number {
  let capacity = exact ? needed : Math.ceil(current * 1.5);
  while (capacity < needed) capacity = Math.ceil(capacity * 1.5);
  return capacity;
}
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

class Growable<T extends TypedArray> {
  data: T;
  length = 0;

  constructor(
    private readonly make: TypedArrayConstructor<T>,
    initial = 1024,
  ) {
    this.data = new make(initial);
  }

  /** Makes room for `extra` more values (one reallocation at most); `exact`: no more than that. */
  reserve(extra: number, exact = false): void {
    const needed = this.length + extra;
    if (needed <= this.data.length) return;
    const next = new this.make(grownCapacity(this.data.length, needed, exact));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  /** Appends a run of values (a batch received from a worker). */
  append(values: ArrayLike<number>): void {
    this.reserve(values.length);
    (this.data as unknown as { set(values: ArrayLike<number>, offset: number): void }).set(values, this.length);
    this.length += values.length;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  /** The values so far, without a copy (valid until the next append). */
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }

  /** Bytes held, for the memory report. */
  get bytes(): number {
    return this.data.byteLength;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(initial?: number) {
    super(Float64Array, initial);
  }
}

export class GrowableUint32 extends Growable<Uint32Array> {
  constructor(initial?: number) {
    super(Uint32Array, initial);
  }
}

export class GrowableUint16 extends Growable<Uint16Array> {
  constructor(initial?: number) {
    super(Uint16Array, initial);
  }
}

export class GrowableUint8 extends Growable<Uint8Array> {
  constructor(initial?: number) {
    super(Uint8Array, initial);
  }
}

/**
 * Dictionary ids of one column: 2 bytes per row while the column has at most 65,536 distinct
 * strings (verb, namespace, user... always), widened once to 4 bytes when it gets more (names, URIs).
 */
export class GrowableIds {
  data: Uint16Array | Uint32Array = new Uint16Array(1024);
  length = 0;

  reserve(extra: number, exact = false): void {
    const needed = this.length + extra;
    if (needed <= this.data.length) return;
    this.resize(grownCapacity(this.data.length, needed, exact), this.data instanceof Uint32Array);
  }

  push(id: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.fit(id);
    this.data[this.length++] = id;
  }

  /** Makes sure ids up to `maxId` fit (widens to 4 bytes once past 65,535). */
  fit(maxId: number): void {
    if (maxId > 0xffff && this.data instanceof Uint16Array) this.resize(this.data.length, true);
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  private resize(capacity: number, wide: boolean): void {
    const next = wide ? new Uint32Array(capacity) : new Uint16Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
