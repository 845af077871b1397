import { fileErrorReason } from '../fileErrors';
import type { SourceFormat } from './normalizedEvent';
import { FieldScanner } from './reader/fieldScanner';
import { readAuditLog, type FileReadSummary } from './reader/readAuditLog';
import { rotatedFileSet } from './reader/rotatedFiles';
import { RequestGrouper, type AuditRequest } from './requests';
import { planSplit, readSplitFile, type SplitRead } from './splitRead/readSplitFile';
import { workerScriptFound } from './index/workerScript';

export interface LogSetOptions {
  /** Also read the rotated backups of each file (oldest first, before it). */
  withRotated?: boolean;
  onProgress?: (file: string, bytesRead: number, totalBytes: number) => void;
  /** Awaited after each chunk read (readAuditLog's afterChunk): a consumer whose output is full holds the reader. */
  afterChunk?: () => Promise<unknown> | null | void;
  /**
   * Read JSON lines with the WebAssembly field scanner (JSON.parse only for the lines it is not sure
   * of, and for every line when the scanner cannot load). The requests and the events in them are
   * then valid only during the `onRequest` call: a consumer keeps values (strings, numbers,
   * copyEvent), never the events. Off: every line is JSON.parse'd and the events may be kept.
   */
  fieldScanner?: boolean;
  /** Bytes the field scanner reads at once (default 1 MiB); tests make it small to cut lines and requests everywhere. */
  fieldScannerInputBytes?: number;
  /**
   * With the field scanner: a set of one plain JSON-lines file of at least `split.minBytes` is read
   * in parts by worker threads (splitRead/), with the same requests, answers and order; what each
   * part decides reaches `split.consumer`, and only the requests open at the end reach `onRequest`.
   */
  split?: SplitRead;
}

export interface LogSetResult {
  /** Every file read, in order; `NormalizedEvent.file` indexes this list. */
  files: string[];
  summaries: FileReadSummary[];
  /** Files that could not be opened or read, and why in plain words ("no such file"). */
  errors: { file: string; message: string }[];
  events: number;
  requests: number;
}

/**
 * Reads several logs as one stream of requests. One grouper spans all files, so a request split by
 * rotation (RequestReceived in one file, ResponseComplete in the next) is still one request.
 */
export async function readLogSet(paths: readonly string[], onRequest: (request: AuditRequest) => void, options: LogSetOptions = {}): Promise<LogSetResult> {
  const result: LogSetResult = { files: [], summaries: [], errors: [], events: 0, requests: 0 };
  const handOver = (request: AuditRequest) => {
    result.requests++;
    onRequest(request);
  };
  const files: string[] = [];
  for (const path of paths) files.push(...(await logFiles(path, options.withRotated === true, result.errors)));
  const scanner = options.fieldScanner === true ? FieldScanner.create(options.fieldScannerInputBytes) : null;
  if (scanner && options.split && files.length === 1 && (await readInParts(files[0]!, options.split, handOver, result, options))) return result;
  const grouper = new RequestGrouper(handOver);
  // One scanner for every file: its dictionaries of user names, verbs... carry over from file to file.
  const scan = scanner ? { scanner, beforeScan: () => grouper.keepHeld() } : null;
  for (const file of files) {
    const index = result.files.length;
    result.files.push(file);
    try {
      const summary = await readAuditLog(file, (event) => grouper.add(event), {
        file: index,
        ...(scan ? { scan } : {}),
        ...(options.afterChunk ? { afterChunk: options.afterChunk } : {}),
        ...(options.onProgress ? { onProgress: (done: number, total: number) => options.onProgress!(file, done, total) } : {}),
      });
      result.summaries.push(summary);
      result.events += summary.events;
    } catch (error) {
      result.errors.push({ file, message: fileErrorReason(error) });
    }
  }
  grouper.finish();
  return result;
}

/** Reads the set's one file in parts when it is big enough and can be cut; false: it is for the one-thread read. */
async function readInParts(file: string, split: SplitRead, handOver: (request: AuditRequest) => void, result: LogSetResult, options: LogSetOptions): Promise<boolean> {
  let plan;
  try {
    plan = await planSplit(file, split.minBytes);
  } catch {
    return false; // the one-thread read says why the file cannot be read
  }
  // A bundle shipped without its worker file reads on one thread, as before the split read existed.
  if (plan === null || !workerScriptFound(split.script)) return false;
  result.files.push(file);
  try {
    const progress = options.onProgress ? (done: number, total: number) => options.onProgress!(file, done, total) : undefined;
    const { summary, requests } = await readSplitFile(file, 0, plan, split, handOver, progress);
    result.summaries.push(summary);
    result.events += summary.events;
    result.requests += requests;
  } catch (error) {
    result.errors.push({ file, message: fileErrorReason(error) });
  }
  return true;
}

/** The file itself, or with `withRotated` its rotated set (oldest first); a folder that cannot be listed is an error. */
export async function logFiles(path: string, withRotated: boolean, errors: { file: string; message: string }[]): Promise<string[]> {
  if (!withRotated) return [path];
  try {
    return await rotatedFileSet(path);
  } catch (error) {
    errors.push({ file: path, message: fileErrorReason(error) });
    return [];
  }
}

/** "k8s-json", or "k8s-json, legacy-text" for a mix, most frequent first; "unknown" when nothing was read. */
export function describeFormats(summaries: readonly Pick<FileReadSummary, 'formats'>[]): string {
  const totals = new Map<SourceFormat, number>();
  for (const summary of summaries) {
    for (const [format, count] of Object.entries(summary.formats) as [SourceFormat, number][]) totals.set(format, (totals.get(format) ?? 0) + count);
  }
  if (totals.size === 0) return 'unknown';
  return [...totals].sort((a, b) => b[1] - a[1]).map(([format]) => format).join(', ');
}
