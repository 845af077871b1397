import { type TrafficSample, UNKNOWN_SIZE } from './trafficSample';

/**
 * Rows a simulation treats alike, added up: same request kind, same logged stages, same knowledge
 * of the bodies (size known or not). Everything a policy does to a request is linear in its sizes,
 * so a cell's sums give the same totals as its rows one by one: a simulation then costs per cell
 * (thousands) rather than per request (hundreds of thousands), which is what lets CodeLens follow
 * typing on a gigabyte of log. Rows whose object name a rule lists are corrected row by row.
 */
export interface Cells {
  count: number;
  kind: Uint32Array;
  mask: Uint8Array;
  rows: Float64Array;
  /** cells × 4: summed metadata bytes per stage. */
  stageBytes: Float64Array;
  /** Summed smallest logged event per row (the size of a stage the log lacks). */
  smallest: Float64Array;
  requestKnown: Uint8Array;
  requestBytes: Float64Array;
  responseKnown: Uint8Array;
  responseBytes: Float64Array;
  cellOfRow: Uint32Array;
}

const built = new WeakMap<TrafficSample, Cells>();

export function cellsOf(sample: TrafficSample): Cells {
  const known = built.get(sample);
  if (known && known.cellOfRow.length === sample.rows) return known;
  const ids = new Map<number, number>();
  const cellOfRow = new Uint32Array(sample.rows);
  const kinds = sample.kind.data;
  const masks = sample.stages.data;
  const requests = sample.requestBody.data;
  const responses = sample.responseBody.data;
  for (let row = 0; row < sample.rows; row++) {
    const key = kinds[row]! * 64 + masks[row]! * 4 + (requests[row] === UNKNOWN_SIZE ? 0 : 2) + (responses[row] === UNKNOWN_SIZE ? 0 : 1);
    let id = ids.get(key);
    if (id === undefined) ids.set(key, (id = ids.size));
    cellOfRow[row] = id;
  }
  const count = ids.size;
  const cells: Cells = {
    count,
    kind: new Uint32Array(count),
    mask: new Uint8Array(count),
    rows: new Float64Array(count),
    stageBytes: new Float64Array(count * 4),
    smallest: new Float64Array(count),
    requestKnown: new Uint8Array(count),
    requestBytes: new Float64Array(count),
    responseKnown: new Uint8Array(count),
    responseBytes: new Float64Array(count),
    cellOfRow,
  };
  const sizes = sample.stageBytes.data;
  for (let row = 0; row < sample.rows; row++) {
    const cell = cellOfRow[row]!;
    cells.kind[cell] = kinds[row]!;
    cells.mask[cell] = masks[row]!;
    cells.rows[cell]!++;
    let smallest = Infinity;
    for (let slot = 0; slot < 4; slot++) {
      if ((masks[row]! & (1 << slot)) === 0) continue;
      const size = sizes[row * 4 + slot]!;
      cells.stageBytes[cell * 4 + slot]! += size;
      if (size < smallest) smallest = size;
    }
    if (smallest !== Infinity) cells.smallest[cell]! += smallest;
    if (requests[row] !== UNKNOWN_SIZE) {
      cells.requestKnown[cell] = 1;
      cells.requestBytes[cell]! += requests[row]!;
    }
    if (responses[row] !== UNKNOWN_SIZE) {
      cells.responseKnown[cell] = 1;
      cells.responseBytes[cell]! += responses[row]!;
    }
  }
  built.set(sample, cells);
  return cells;
}

/** The values of one row in the shape of a cell's sums (for corrections and per-row bytes). */
export interface RowValues {
  rows: number;
  stageBytes: [number, number, number, number];
  smallest: number;
  requestBytes: number;
  responseBytes: number;
}

export function rowValues(sample: TrafficSample, row: number, into: RowValues): RowValues {
  const mask = sample.stages.data[row]!;
  let smallest = Infinity;
  for (let slot = 0; slot < 4; slot++) {
    const size = (mask & (1 << slot)) === 0 ? 0 : sample.stageBytes.data[row * 4 + slot]!;
    into.stageBytes[slot] = size;
    if ((mask & (1 << slot)) !== 0 && size < smallest) smallest = size;
  }
  into.rows = 1;
  into.smallest = smallest === Infinity ? 0 : smallest;
  const request = sample.requestBody.data[row]!;
  const response = sample.responseBody.data[row]!;
  into.requestBytes = request === UNKNOWN_SIZE ? 0 : request;
  into.responseBytes = response === UNKNOWN_SIZE ? 0 : response;
  return into;
}
