import { open } from 'node:fs/promises';

/** Longest line we re-read for the details pane; the apiserver truncates far below this. */
const MAX_RECORD_BYTES = 64 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** The text of the line that starts at byte `offset` (without its line break). */
export async function readLineAt(path: string, offset: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let position = offset;
    let total = 0;
    while (total < MAX_RECORD_BYTES) {
      const buffer = Buffer.alloc(CHUNK);
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, position);
      if (bytesRead === 0) break;
      const newline = buffer.subarray(0, bytesRead).indexOf(10);
      if (newline >= 0) {
        chunks.push(buffer.subarray(0, newline));
        break;
      }
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      position += bytesRead;
    }
    return Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
  } finally {
    await handle.close();
  }
}
