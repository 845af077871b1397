// Worker thread entry: indexes one segment and streams row batches back to the thread that owns the
// index. Bundled on its own (dist/indexWorker.js); from source it is loaded through tsx (see workerScript.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { batchTransferList } from './rowBatch';
import { readSegment, type SegmentJob } from './segmentReader';
import { UnackedBatches } from './unackedBatches';
import type { WorkerMessage } from './workerProtocol';

const PROGRESS_MS = 50;
/**
 * Batches posted but not yet appended by the owning thread: past this, reading waits. When that thread
 * is slower (a busy machine), batches would otherwise queue up in its memory (measured on 1 GB: up to
 * ~100 MB more peak RSS).
 */
const MAX_UNAPPENDED = 3;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('indexWorker must run in a worker thread');
  const post = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  let lastProgress = 0;
  const unappended = new UnackedBatches(port, 'appended', MAX_UNAPPENDED);
  try {
    const summary = await readSegment(
      workerData as SegmentJob,
      (batch) => {
        unappended.posted();
        post({ type: 'batch', batch }, batchTransferList(batch));
      },
      (bytesRead) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_MS) return;
        lastProgress = now;
        post({ type: 'progress', bytesRead });
      },
      () => unappended.ready(),
    );
    post({ type: 'done', summary });
    port.removeAllListeners('message');
  } catch (error) {
    post({ type: 'error', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? '' });
  }
}

void main();
