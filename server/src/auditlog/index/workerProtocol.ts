import type { RowBatch } from './rowBatch';
import type { SegmentSummary } from './segmentReader';

/** What an index worker sends to the thread that owns the index. */
export type WorkerMessage =
  | { type: 'batch'; batch: RowBatch }
  | { type: 'progress'; bytesRead: number }
  | { type: 'done'; summary: SegmentSummary }
  | { type: 'error'; message: string; code: string };
