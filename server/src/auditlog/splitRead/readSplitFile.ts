import { stat } from 'node:fs/promises';
import type { FileReadSummary } from '../reader/readAuditLog';
import type { AuditRequest } from '../requests';
import { DEFAULT_SPLIT_MIN_BYTES, probeFile } from '../index/planSegments';
import { startWorkerScript } from '../index/workerScript';
import { mergeOpenRequests } from './mergeOpen';
import type { PartEnd, PartJob, PartMessage, SplitConsumer } from './partProtocol';
import { mergeSummaries } from './mergeSummaries';
import { PartOrder } from './partOrder';

/** How a command reads one big file in parts (readLogSet's `split` option). */
export interface SplitRead {
  /** The worker entry that runs a part with the command's sink (bundled .js next to the bundle; .ts from source). */
  script: { bundled: string; source: string };
  /** The command's description of its work, for its sink factory in the worker. */
  work: unknown;
  consumer: SplitConsumer;
  /** Files smaller than this are read on one thread (default 32 MiB, as the index build). */
  minBytes?: number;
  fieldScannerInputBytes?: number;
}

/** Where a file is cut into parts (line starts, the first 0) and its size; null: read on one thread. */
export async function planSplit(path: string, minBytes = DEFAULT_SPLIT_MIN_BYTES): Promise<{ starts: number[]; size: number } | null> {
  // Only a regular file can be read twice and entered midway (a pipe, /dev/stdin, would lose what a probe reads).
  const info = await stat(path);
  if (!info.isFile() || info.size < minBytes) return null;
  const probe = await probeFile(path, 2, minBytes);
  return probe.splits.length > 1 ? { starts: probe.splits, size: probe.size } : null;
}

/**
 * Reads one plain JSON-lines file in parts, each in its own worker thread, with the answers of a
 * read on one thread: the parts' results reach `split.consumer` as transferred bytes; the requests
 * open at the end (mergeOpen.ts) go to `onRequest` here, in the order the one-thread read finishes
 * them. Returns the file's summary and how many requests the parts completed.
 */
export async function readSplitFile(
  path: string,
  file: number,
  plan: { starts: number[]; size: number },
  split: SplitRead,
  onRequest: (request: AuditRequest) => void,
  onProgress?: (bytesRead: number, totalBytes: number) => void,
): Promise<{ summary: FileReadSummary; requests: number }> {
  const jobs: PartJob[] = plan.starts.map((start, part) => ({
    path,
    file,
    part,
    start,
    end: plan.starts[part + 1] ?? plan.size,
    work: split.consumer.workFor ? split.consumer.workFor(part, split.work) : split.work,
    ...(split.fieldScannerInputBytes !== undefined ? { fieldScannerInputBytes: split.fieldScannerInputBytes } : {}),
  }));
  const order = new PartOrder(split.consumer);
  let bytesDone = 0;
  const runs = jobs.map((job) => runPart(job, split, order));
  let ends: PartEnd[];
  try {
    ends = await Promise.all(
      runs.map(async (run, part) => {
        const end = await run.done;
        order.ended(part, end.newlines);
        bytesDone += (jobs[part]!.end ?? plan.size) - jobs[part]!.start;
        onProgress?.(bytesDone, plan.size);
        return end;
      }),
    );
  } finally {
    for (const run of runs) run.stop();
  }
  await order.drained();
  split.consumer.partsDone?.();
  const lineBases = [0];
  for (const end of ends.slice(0, -1)) lineBases.push(lineBases[lineBases.length - 1]! + end.newlines);
  const open = mergeOpenRequests(ends, file, lineBases);
  for (const request of open) onRequest(request);
  return { summary: mergeSummaries(path, plan.size, ends.map((end) => end.summary), lineBases), requests: ends.reduce((sum, end) => sum + end.requests, 0) };
}

/** One part in a worker: its batches to the consumer (taken when the consumer is done with them). */
function runPart(job: PartJob, split: SplitRead, order: PartOrder): { done: Promise<PartEnd>; stop: () => void } {
  const worker = startWorkerScript(split.script, job, (job.end ?? 0) - job.start);
  let settled = false;
  const done = new Promise<PartEnd>((resolve, reject) => {
    worker.on('message', (message: PartMessage) => {
      if (message.type === 'batch') {
        order.batch(job.part, message.data).then(() => worker.postMessage({ type: 'taken' }), reject);
      } else if (message.type === 'end') {
        settled = true;
        resolve(message.end);
      } else {
        settled = true;
        reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {}));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`a split read worker stopped (exit code ${code}) before finishing`));
    });
  });
  return { done, stop: () => void worker.terminate() };
}
