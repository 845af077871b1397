import type { RowBatch } from './rowBatch';
import { readSegment, type SegmentJob, type SegmentSummary } from './segmentReader';
import { startIndexWorker } from './workerScript';
import type { WorkerMessage } from './workerProtocol';

export interface SegmentHandlers {
  onBatch(batch: RowBatch): void;
  onProgress(bytesRead: number): void;
}

/** Indexes a segment on this thread (small files, tests): no worker start-up cost. */
export function runSegmentInline(job: SegmentJob, handlers: SegmentHandlers): Promise<SegmentSummary> {
  return readSegment(job, handlers.onBatch, handlers.onProgress);
}

/** Indexes a segment in a worker thread; batches arrive on this thread's event loop as they are made. */
export function runSegmentInWorker(job: SegmentJob, handlers: SegmentHandlers): { done: Promise<SegmentSummary>; cancel: () => void } {
  // Decompressed gzip is typically ~10x its file size.
  const bytes = job.gzip ? job.fileBytes * 10 : (job.end ?? job.fileBytes) - job.start;
  const worker = startIndexWorker(job, bytes);
  let settled = false;
  const done = new Promise<SegmentSummary>((resolve, reject) => {
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'batch') {
        handlers.onBatch(message.batch);
        worker.postMessage({ type: 'appended' });
      }
      else if (message.type === 'progress') handlers.onProgress(message.bytesRead);
      else if (message.type === 'done') {
        settled = true;
        // Progress messages are throttled in the worker; the summary has the final count.
        handlers.onProgress(message.summary.bytesRead);
        resolve(message.summary);
        void worker.terminate();
      } else {
        settled = true;
        const error = new Error(message.message) as NodeJS.ErrnoException;
        if (message.code) error.code = message.code;
        reject(error);
        void worker.terminate();
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`index worker stopped (exit code ${code}) before finishing`));
    });
  });
  return {
    done,
    cancel: () => {
      if (!settled) void worker.terminate();
    },
  };
}
