import { open, type FileHandle } from 'node:fs/promises';

// Records are typically under 2 KiB; a bigger first read only costs bandwidth for sparse rows.
const FIRST_READ = 8 * 1024;
/** Longest record re-read; the apiserver truncates far below this. */
const MAX_RECORD = 64 * 1024 * 1024;

/**
 * The bytes of the line starting at `offset`, without its newline; null past the end of the file.
 * Re-reading one record by its offset is how bodies are fetched: the index keeps none.
 */
export async function readLineBytesAt(handle: FileHandle, offset: number): Promise<Buffer | null> {
  for (let size = FIRST_READ; size <= MAX_RECORD; size *= 2) {
    const buffer = Buffer.allocUnsafe(size);
    const { bytesRead } = await handle.read(buffer, 0, size, offset);
    const newline = buffer.subarray(0, bytesRead).indexOf(10);
    if (newline >= 0) return buffer.subarray(0, newline);
    if (bytesRead < size) return bytesRead > 0 ? buffer.subarray(0, bytesRead) : null;
  }
  return null;
}

/** The text of the line that starts at byte `offset` of a file (without its line break). */
export async function readLineAt(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const bytes = await readLineBytesAt(handle, offset);
    return bytes === null ? '' : bytes.toString('utf8').replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}
