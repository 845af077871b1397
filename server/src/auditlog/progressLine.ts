export type ProgressStream = { write(text: string): unknown; isTTY?: boolean };

/**
 * A one-line progress report on stderr for long reads, redrawn at most twice a second so that
 * writing it never costs more than the reading it reports on.
 */
export function progressReporter(err: ProgressStream, enabled: boolean): { update(file: string, done: number, total: number): void; done(): void } {
  let last = 0;
  let shown = false;
  const started = Date.now();
  return {
    update(file, done, total) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 500) return;
      last = now;
      const seconds = Math.max((now - started) / 1000, 0.001);
      const percent = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;
      err.write(`\r${file}: ${percent}% (${(done / 1048576 / seconds).toFixed(0)} MB/s)   `);
      shown = true;
    },
    done() {
      if (shown) err.write('\n');
      shown = false;
    },
  };
}
