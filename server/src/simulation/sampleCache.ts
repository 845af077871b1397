import { stat } from 'node:fs/promises';
import type { LogSetResult } from '../auditlog/readLogSet';
import { readSample } from './readSample';
import type { TrafficSample } from './trafficSample';

export interface LoadedSample {
  files: string[];
  sample: TrafficSample;
  read: LogSetResult;
}

interface Entry {
  stamp: string;
  loading: Promise<LoadedSample>;
  ready?: LoadedSample;
  checkedAt: number;
}

/** How often a cached sample's files are checked for changes (size, mtime). */
const CHECK_MS = 2000;
const KEEP = 3;

/**
 * Samples of sets of log files, read once and kept while the files do not change: CodeLens asks on
 * every edit of a policy and must not re-read gigabytes each time. `onChange` is called when a sample
 * finished loading or was re-read because its files changed (the editor then asks again).
 */
export class SampleCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly onChange: () => void) {}

  /** The sample now if it is loaded, and the promise of it (loading, or the same sample). */
  request(files: readonly string[]): { ready: LoadedSample | undefined; loading: Promise<LoadedSample> } {
    const key = files.join('\u0000');
    let entry = this.entries.get(key);
    if (!entry) entry = this.load(key, files);
    else if (entry.ready && Date.now() - entry.checkedAt > CHECK_MS) {
      entry.checkedAt = Date.now();
      const known = entry;
      void stampOf(files).then((stamp) => {
        if (stamp !== known.stamp && this.entries.get(key) === known) this.load(key, files, stamp);
      });
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
    return { ready: entry.ready, loading: entry.loading };
  }

  private load(key: string, files: readonly string[], knownStamp?: string): Entry {
    const previous = this.entries.get(key);
    const entry: Entry = { stamp: knownStamp ?? '', checkedAt: Date.now(), loading: Promise.resolve(undefined as never) };
    // While a changed file is read again, the previous sample keeps answering.
    if (previous?.ready) entry.ready = previous.ready;
    entry.loading = (async () => {
      entry.stamp = knownStamp ?? (await stampOf(files));
      const { sample, read } = await readSample(files);
      const loaded = { files: [...files], sample, read };
      entry.ready = loaded;
      entry.checkedAt = Date.now();
      this.onChange();
      return loaded;
    })();
    entry.loading.catch(() => this.entries.delete(key));
    this.entries.set(key, entry);
    return entry;
  }
}

async function stampOf(files: readonly string[]): Promise<string> {
  const parts = await Promise.all(
    files.map(async (file) => {
      try {
        const s = await stat(file);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return 'missing';
      }
    }),
  );
  return parts.join('|');
}
