// Worker thread entry: indexes one segment and streams row batches back to the thread that owns the
// index. Bundled on its own (dist/indexWorker.js); from source it is loaded through tsx (see workerScript.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { batchTransferList } from './rowBatch';
import { readSegment, type SegmentJob } from './segmentReader';
import type { WorkerMessage } from './workerProtocol';

const PROGRESS_MS = 50;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  let lastProgress = 0;
  try {
    const summary = await readSegment(
      workerData as SegmentJob,
      (batch) => post({ type: 'batch', batch }, batchTransferList(batch)),
      (bytesRead) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_MS) return;
        lastProgress = now;
        post({ type: 'progress', bytesRead });
      },
    );
    post({ type: 'done', summary });
  } catch (error) {
    post({ type: 'error', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? '' });
  }
}

void main();
