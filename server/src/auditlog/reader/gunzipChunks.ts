import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/**
 * The decompressed chunks of a gzip stream. When the stream is damaged or cut short, every byte zlib
 * decoded before the damage is yielded first and the zlib error is thrown after it. (Reading gunzip
 * through a pipeline drops the decoded bytes still buffered when zlib fails, so the line a damage was
 * reported at, and the events before it, depended on how fast the reader was.) Memory stays bounded:
 * the file is paused while more than `maxQueued` decoded bytes wait for the reader.
 */
export async function* gunzipChunks(raw: Readable, maxQueued: number): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  const queue: Buffer[] = [];
  let queued = 0;
  let failure: Error | null = null;
  let ended = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  let gunzipFull = false;
  const resumeIfRoom = () => {
    if (!gunzipFull && queued <= maxQueued && raw.isPaused()) raw.resume();
  };
  raw.on('data', (chunk: Buffer) => {
    if (!gunzip.write(chunk)) {
      gunzipFull = true;
      raw.pause();
    }
  });
  raw.on('end', () => gunzip.end());
  raw.on('error', (error) => {
    failure ??= error;
    notify();
  });
  gunzip.on('drain', () => {
    gunzipFull = false;
    resumeIfRoom();
  });
  // Flowing: zlib hands over each piece as it decodes it, so nothing sits in its buffer when it fails.
  gunzip.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > maxQueued) raw.pause();
    notify();
  });
  gunzip.on('end', () => {
    ended = true;
    notify();
  });
  gunzip.on('error', (error) => {
    failure ??= error;
    notify();
  });
  try {
    for (;;) {
      const chunk = queue.shift();
      if (chunk !== undefined) {
        queued -= chunk.length;
        resumeIfRoom();
        yield chunk;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}
