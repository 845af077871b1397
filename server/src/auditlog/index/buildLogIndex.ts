import { compileWindowDetectors, selectDetectors, selectWindowDetectors, type DetectorSelection, type WindowDetectorDefinition } from '../detectors';
import type { SourceFormat } from '../normalizedEvent';
import { rotatedFileSet } from '../reader/rotatedFiles';
import { LogIndex, type ReadError } from './logIndex';
import { DEFAULT_SPLIT_MIN_BYTES, probeFile } from './planSegments';
import type { RowBatch } from './rowBatch';
import { runSegmentInline, runSegmentInWorker } from './segmentRunner';
import type { SegmentJob, SegmentSummary } from './segmentReader';
import { applyWindowDetectors, setWindowDetectors } from '../detectors/onIndex/windowPass';
import { fileErrorReason } from '../../fileErrors';

export interface BuildProgress {
  /** Bytes of the files read so far (compressed bytes for gzip) and in all. */
  bytesRead: number;
  totalBytes: number;
  /** Requests in the index so far (queryable now). */
  rows: number;
  done: boolean;
}

export interface BuildOptions {
  /**
   * Worker threads: 0 reads on this thread (no start-up cost; for small files and tests), 1 or more
   * reads in workers, splitting plain JSON-lines files into that many byte ranges. 'auto' (default):
   * this thread below `splitMinBytes`, else one worker per core, at most 2.
   */
  threads?: number | 'auto';
  detectors?: DetectorSelection;
  /** Also index the rotated backups of each file, oldest first. */
  withRotated?: boolean;
  onProgress?: (progress: BuildProgress) => void;
  /** Files smaller than this are never split (default 32 MiB). */
  splitMinBytes?: number;
  /** Rows per batch a reader hands over (default 8192). */
  batchRows?: number;
  /** Skipped records kept with details per segment (default 1000; the rest are counted). */
  maxSkippedDetails?: number;
  /**
   * Read JSON lines with the WebAssembly field scanner (default true), JSON.parse only for the lines
   * it is not sure of; false: JSON.parse every line (the reference the scanner is tested against).
   */
  fieldScanner?: boolean;
  /** Bytes the field scanner reads at once (default 1 MiB); tests make it small to cut lines and requests everywhere. */
  fieldScannerInputBytes?: number;
}

/** A build in progress: `index` answers queries over the rows appended so far. */
export interface IndexBuild {
  index: LogIndex;
  done: Promise<BuildReport>;
  /** Stops the workers; `done` then rejects. */
  cancel(): void;
}

export interface BuildReport {
  index: LogIndex;
  /** Every file the build tried to read, in order (rotated backups included; unreadable ones too). */
  paths: string[];
  /** Files that could not be read (also kept on the index: `index.readErrors`). */
  errors: ReadError[];
  events: number;
  requests: number;
  elapsedMs: number;
}

/** Per file: what a later refresh needs to continue where this build stopped. */
export interface FileState {
  head: Buffer;
  /** Offset after the last newline read, and the unterminated last line then, if any. */
  consumedTo: number;
  tail: SegmentSummary['tail'];
  lastSegment: number;
}

/** Bytes read before the row count is extrapolated (see SegmentQueue.reserveOnce). */
const RESERVE_AFTER_BYTES = 16 * 1024 * 1024;

const fileStates = new WeakMap<LogIndex, Map<number, FileState>>();
const buildSettings = new WeakMap<LogIndex, { paths: string[]; options: BuildOptions }>();

/** The state refresh uses; internal to the index folder. */
export function fileStatesOf(index: LogIndex): Map<number, FileState> {
  let states = fileStates.get(index);
  if (!states) fileStates.set(index, (states = new Map()));
  return states;
}

export function buildSettingsOf(index: LogIndex): { paths: string[]; options: BuildOptions } | undefined {
  return buildSettings.get(index);
}

/** The window detectors an index runs: those the selection picks, as `k8s-audit scan` does (the built-ins by default). */
export function indexWindowDetectors(selection: DetectorSelection = {}): WindowDetectorDefinition[] {
  return selectWindowDetectors(selection);
}

/** Detector ids in the order the index numbers them: the per-row detectors, then the window detectors. */
export function detectorIdsFor(selection: DetectorSelection = {}): string[] {
  return [...selectDetectors(selection).map((d) => d.id), ...indexWindowDetectors(selection).map((d) => d.id)];
}

/**
 * Indexes audit log files: one streaming pass per file through the reader, the request grouper and
 * the detectors. Returns at once; rows become queryable as batches arrive.
 */
export function buildLogIndex(paths: readonly string[], options: BuildOptions = {}): IndexBuild {
  const index = new LogIndex(detectorIdsFor(options.detectors));
  setWindowDetectors(index, compileWindowDetectors(options.detectors));
  buildSettings.set(index, { paths: [...paths], options });
  const runner = new SegmentQueue(index, options);
  const done = (async (): Promise<BuildReport> => {
    const started = Date.now();
    // On the index as they happen, so that a viewer can say so while the build goes on.
    const errors = index.readErrors;
    const files: string[] = [];
    for (const path of paths) {
      try {
        files.push(...(options.withRotated ? await rotatedFileSet(path) : [path]));
      } catch (error) {
        errors.push({ file: path, message: fileErrorReason(error) });
      }
    }
    const threads = options.threads ?? 'auto';
    for (const path of files) {
      try {
        const probe = await probeFile(path, threads === 'auto' ? 2 : Math.max(1, threads), options.splitMinBytes);
        const file = index.files.length;
        index.files.push({ path, gzip: probe.gzip, size: probe.size, framing: probe.framing, formats: {}, events: 0 });
        fileStatesOf(index).set(file, { head: probe.head, consumedTo: 0, tail: null, lastSegment: -1 });
        // Small files are read here (a worker costs more to start); large ones never on this thread,
        // so the extension host or language server stays responsive even for a gzip that cannot be split.
        const inline = threads === 0 || (threads === 'auto' && probe.size < (options.splitMinBytes ?? DEFAULT_SPLIT_MIN_BYTES));
        probe.splits.forEach((start, i) => {
          const end = i + 1 < probe.splits.length ? probe.splits[i + 1]! : probe.gzip ? null : probe.size;
          runner.add(file, start, end, i === 0 ? 0 : null, probe.gzip, inline, (end ?? probe.size) - start);
        });
      } catch (error) {
        errors.push({ file: path, message: fileErrorReason(error) });
      }
    }
    await runner.finish();
    // Window detectors need every row (and the time order): one pass once the rows are in.
    await applyWindowDetectors(index);
    return { index, paths: files, errors: [...errors], events: index.files.reduce((sum, f) => sum + f.events, 0), requests: index.requestCount, elapsedMs: Date.now() - started };
  })();
  // A caller that cancels and never awaits `done` must not crash the process with an unhandled rejection.
  done.catch(() => undefined);
  return { index, done, cancel: () => runner.cancel() };
}

/**
 * Runs segments (at most `threads` workers at a time, or one after another on this thread), feeds
 * their batches to the index and records each finished segment. Also used by refresh to append.
 */
export class SegmentQueue {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: (() => Promise<void>)[] = [];
  private readonly failures: { file: number; message: string }[] = [];
  private readonly cancels = new Set<() => void>();
  private readonly read = new Map<number, number>();
  private totalBytes = 0;
  private cancelled = false;
  private reserved = false;
  private appendedBytes = 0;
  private readonly limit: number;

  constructor(
    private readonly index: LogIndex,
    private readonly options: BuildOptions,
  ) {
    const threads = options.threads ?? 'auto';
    this.limit = threads === 'auto' ? 2 : Math.max(1, threads);
  }

  add(file: number, start: number, end: number | null, lineBase: number | null, gzip: boolean, inline: boolean, bytes: number): void {
    const segment = this.index.addSegment(file, start, lineBase);
    const state = fileStatesOf(this.index).get(file)!;
    state.lastSegment = segment;
    this.totalBytes += bytes;
    const job: SegmentJob = {
      path: this.index.files[file]!.path,
      file,
      segment,
      start,
      end,
      gzip,
      fileBytes: this.index.files[file]!.size,
      detectors: this.options.detectors ?? {},
      detectorIds: this.index.detectorIds,
      ...(this.options.batchRows !== undefined ? { batchRows: this.options.batchRows } : {}),
      ...(this.options.maxSkippedDetails !== undefined ? { maxSkippedDetails: this.options.maxSkippedDetails } : {}),
      ...(this.options.fieldScanner !== undefined ? { fieldScanner: this.options.fieldScanner } : {}),
      ...(this.options.fieldScannerInputBytes !== undefined ? { fieldScannerInputBytes: this.options.fieldScannerInputBytes } : {}),
    };
    const handlers = {
      onBatch: (batch: RowBatch) => {
        this.index.append(batch);
        this.reserveOnce(batch);
        this.report(false);
      },
      onProgress: (bytesRead: number) => {
        this.read.set(segment, bytesRead);
        this.report(false);
      },
    };
    this.waiting.push(async () => {
      if (this.cancelled) throw new Error('index build cancelled');
      let summary: SegmentSummary;
      try {
        if (inline) {
          summary = await runSegmentInline(job, handlers);
        } else {
          const run = runSegmentInWorker(job, handlers);
          this.cancels.add(run.cancel);
          try {
            summary = await run.done;
          } finally {
            this.cancels.delete(run.cancel);
          }
        }
      } catch (error) {
        if (this.cancelled) throw error;
        // The file could not be read: keep what arrived, and let later segments merge past this one.
        const message = fileErrorReason(error);
        this.failures.push({ file, message });
        this.index.readErrors.push({ file: this.index.files[file]!.path, message });
        this.index.finishSegment(segment, 0, { skippedCount: 0, damagedCount: 0, skipped: [] });
        return;
      }
      this.record(file, summary);
    });
    this.pump();
  }

  /** Waits for every segment; returns the ones that failed (their file could not be read). */
  async finish(): Promise<{ file: number; message: string }[]> {
    while (this.running.size > 0 || this.waiting.length > 0) await Promise.race(this.running);
    if (this.cancelled) throw new Error('index build cancelled');
    this.report(true);
    return this.failures;
  }

  cancel(): void {
    this.cancelled = true;
    this.waiting.length = 0;
    for (const cancel of this.cancels) cancel();
  }

  private pump(): void {
    while (this.running.size < this.limit && this.waiting.length > 0) {
      const next = this.waiting.shift()!;
      const run: Promise<void> = next()
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(run);
          this.pump();
        });
      this.running.add(run);
    }
  }

  private record(file: number, summary: SegmentSummary): void {
    const info = this.index.files[file]!;
    if (this.index.segments[summary.segment]!.start === 0) info.framing = summary.framing;
    info.events += summary.events;
    for (const [format, count] of Object.entries(summary.formats) as [SourceFormat, number][]) info.formats[format] = (info.formats[format] ?? 0) + count;
    if (summary.lines) {
      const lines = (info.lines ??= { scanned: 0, fallback: 0 });
      lines.scanned += summary.lines.scanned;
      lines.fallback += summary.lines.fallback;
    }
    const state = fileStatesOf(this.index).get(file)!;
    if (state.lastSegment === summary.segment) {
      state.consumedTo = summary.consumedTo;
      state.tail = summary.tail;
    }
    this.index.finishSegment(summary.segment, summary.newlines, summary);
  }

  /**
   * Once rows of a few MiB are in, the rows per byte so far predict the total: reserve it (plus 5%)
   * so the columns are allocated once instead of growing by copies (an old and a 1.5x new copy of every
   * column at once: the peak of a build). Counted on the bytes the appended rows came from, not the
   * bytes read: the rows of what was read last are still on their way.
   */
  private reserveOnce(batch: RowBatch): void {
    if (this.reserved) return;
    this.appendedBytes += batch.readBytes;
    if (this.appendedBytes < RESERVE_AFTER_BYTES || this.totalBytes <= 0) return;
    this.reserved = true;
    const expected = Math.ceil((this.index.rowCount / this.appendedBytes) * this.totalBytes * 1.05);
    if (expected > this.index.rowCount) this.index.reserveRows(expected - this.index.rowCount);
  }

  private report(done: boolean): void {
    if (!this.options.onProgress) return;
    let bytesRead = 0;
    for (const bytes of this.read.values()) bytesRead += bytes;
    this.options.onProgress({ bytesRead, totalBytes: this.totalBytes, rows: this.index.requestCount, done });
  }
}
