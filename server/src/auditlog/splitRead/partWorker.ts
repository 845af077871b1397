// The worker side of a split read: the worker entry (cli/splitWorker.ts) calls servePart with its
// command's sink factory; the part's batches go to the owning thread as transferred bytes.
import { parentPort, workerData } from 'node:worker_threads';
import type { PartJob, PartMessage, PartSink } from './partProtocol';
import { readPart } from './readPart';
import { UnackedBatches } from '../index/unackedBatches';

/**
 * Batches sent but not yet taken by the owning thread: past this, reading waits. The owning thread
 * holds a later part's batches until the parts before it have ended (partOrder.ts): enough for the
 * second half of a 1 GB scan (~30 batches) to be read without waiting, bounded for a big query answer.
 */
const MAX_UNTAKEN = 64;

export function servePart(makeSink: (work: unknown, job: PartJob) => PartSink): void {
  const port = parentPort;
  if (!port) throw new Error('a split read part must run in a worker thread');
  const job = workerData as PartJob;
  const post = (message: PartMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
  const untaken = new UnackedBatches(port, 'taken', MAX_UNTAKEN);
  const send = (data: Uint8Array) => {
    // Only a typed array that owns its whole buffer can be transferred without taking others' bytes along.
    const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    untaken.posted();
    post({ type: 'batch', data: own }, [own.buffer as ArrayBuffer]);
  };
  readPart(job, makeSink(job.work, job), send, () => untaken.ready()).then(
    (end) => {
      post({ type: 'end', end }, [end.held.buffer as ArrayBuffer, ...(end.starts ? [end.starts.lengths.buffer as ArrayBuffer, end.starts.bytes.buffer as ArrayBuffer] : [])]);
      port.removeAllListeners('message');
    },
    (error: unknown) => post({ type: 'error', message: (error as Error).message, code: (error as NodeJS.ErrnoException).code ?? '' }),
  );
}
