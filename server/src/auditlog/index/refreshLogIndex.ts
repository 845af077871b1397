import { open, stat } from 'node:fs/promises';
import { buildLogIndex, buildSettingsOf, fileStatesOf, SegmentQueue, type BuildReport } from './buildLogIndex';
import type { LogIndex } from './logIndex';
import { FINGERPRINT_BYTES } from './planSegments';
import { applyWindowDetectors } from '../detectors/onIndex/windowPass';

export type RefreshOutcome = 'unchanged' | 'appended' | 'rebuilt';

export interface Refresh {
  outcome: RefreshOutcome;
  /** The same index (appended rows included once `done` settles), or a new one after a rebuild. */
  index: LogIndex;
  done: Promise<BuildReport | null>;
}

/** Appends after this many bytes of growth go to a worker rather than this thread. */
const INLINE_APPEND_BYTES = 8 * 1024 * 1024;

/**
 * Brings an index up to date with its files (a followed log): bytes appended to a plain JSON-lines
 * file are read from where the last read stopped (requests left open then are completed by their
 * later stages); a file that shrank, changed its first bytes (rotated), is compressed or is not JSON
 * lines is indexed again from scratch. Call after the previous build or refresh has finished.
 */
export async function refreshLogIndex(index: LogIndex): Promise<Refresh> {
  const settings = buildSettingsOf(index);
  if (!settings) throw new Error('this index was not made by buildLogIndex');
  if (index.segments.some((segment) => !segment.done)) throw new Error('the index is still being built');
  const rebuild = (): Refresh => {
    const build = buildLogIndex(settings.paths, settings.options);
    return { outcome: 'rebuilt', index: build.index, done: build.done };
  };
  // A file that could not be read when the index was built (missing for a moment while it was rotated,
  // say) is read once it is a file again.
  const indexed = new Set(index.files.map((file) => file.path));
  for (const path of settings.paths) if (!indexed.has(path) && (await isFile(path))) return rebuild();
  const appends: { file: number; start: number; lineBase: number; size: number }[] = [];
  for (let file = 0; file < index.files.length; file++) {
    const info = index.files[file]!;
    const state = fileStatesOf(index).get(file)!;
    let handle;
    try {
      handle = await open(info.path, 'r');
    } catch {
      return rebuild();
    }
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(size, FINGERPRINT_BYTES));
      await handle.read(head, 0, head.length, 0);
      if (size < info.size || !head.subarray(0, state.head.length).equals(state.head.subarray(0, Math.min(state.head.length, head.length)))) return rebuild();
      if (size === info.size) continue;
      if (info.gzip || info.framing !== 'lines' || state.lastSegment < 0) return rebuild();
      const last = index.segments[state.lastSegment]!;
      let start = state.consumedTo;
      let lineBase = (last.lineBase ?? 0) + last.newlines;
      const tail = state.tail;
      if (tail && tail.indexed) {
        // The unterminated last line gave rows: continue after it only if it was complete (its newline
        // came right where the file ended), else the rows it gave are wrong and only a rebuild is safe.
        const probe = Buffer.alloc(tail.length + 1);
        const { bytesRead } = await handle.read(probe, 0, probe.length, tail.offset);
        if (bytesRead < probe.length || probe.indexOf(10) !== tail.length) return rebuild();
        start = tail.offset + tail.length + 1;
        lineBase += 1;
      } else if (tail) {
        // It was skipped as incomplete: forget that report and read the line again, now longer.
        const kept = last.skipped.filter((s) => s.offset < tail.offset);
        last.skippedCount -= last.skipped.length - kept.length;
        last.damagedCount -= last.skipped.filter((s) => s.damage && s.offset >= tail.offset).length;
        last.skipped = kept;
      }
      appends.push({ file, start, lineBase, size });
    } finally {
      await handle.close();
    }
  }
  if (appends.length === 0) return { outcome: 'unchanged', index, done: Promise.resolve(null) };
  const queue = new SegmentQueue(index, settings.options);
  const started = Date.now();
  for (const append of appends) {
    index.files[append.file]!.size = append.size;
    queue.add(append.file, append.start, append.size, append.lineBase, false, append.size - append.start < INLINE_APPEND_BYTES || settings.options.threads === 0, append.size - append.start);
  }
  const done = queue
    .finish()
    .then(async (failures) => {
      // Appended rows can start, extend or end bursts: the window pass runs again over all rows.
      await applyWindowDetectors(index);
      return failures;
    })
    .then((failures) => ({
      index,
      paths: index.files.map((f) => f.path),
      errors: failures.map((f) => ({ file: index.files[f.file]!.path, message: f.message })),
      events: index.files.reduce((sum, f) => sum + f.events, 0),
      requests: index.requestCount,
      elapsedMs: Date.now() - started,
    }));
  done.catch(() => undefined);
  return { outcome: 'appended', index, done };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
