import { open } from 'node:fs/promises';
import { sniffFraming, type Framing } from '../reader/auditStreamParser';

/** What the first bytes of a file say about how it can be read. */
export interface FileProbe {
  size: number;
  gzip: boolean;
  /** Framing of a plain file from its first 64 KiB ('lines' also for gzip, which is not sniffed here). */
  framing: Framing;
  /** The first bytes, to notice a rotation (same name, new content) when the file is read again. */
  head: Buffer;
  /** Byte offsets where segments start (always [0, ...]). */
  splits: number[];
}

const HEAD_BYTES = 64 * 1024;
/** Below this, a second thread costs more (start-up, merge) than it saves. */
export const DEFAULT_SPLIT_MIN_BYTES = 32 * 1024 * 1024;
export const FINGERPRINT_BYTES = 4096;

/**
 * Decides how to cut a file into segments read in parallel. Only plain files of JSON lines (first
 * record starting with "{") are split, and only at a line that itself starts with "{": a gzip stream
 * cannot be entered midway, pretty-printed documents and pre-1.8 legacy text (two lines per request)
 * cannot be cut at an arbitrary line.
 */
export async function probeFile(path: string, parts: number, splitMinBytes = DEFAULT_SPLIT_MIN_BYTES): Promise<FileProbe> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    const framing = gzip ? 'lines' : (sniffFraming(head, head.length === size) ?? 'lines');
    const probe: FileProbe = { size, gzip, framing, head: Buffer.from(head.subarray(0, FINGERPRINT_BYTES)), splits: [0] };
    if (gzip || framing !== 'lines' || parts < 2 || size < splitMinBytes || firstNonBlank(head, 0) !== 123) return probe;
    for (let part = 1; part < parts; part++) {
      const split = await lineStartNear(handle, Math.floor((size * part) / parts), size);
      if (split !== null && split > probe.splits[probe.splits.length - 1]!) probe.splits.push(split);
    }
    return probe;
  } finally {
    await handle.close();
  }
}

function firstNonBlank(bytes: Buffer, from: number): number {
  let i = from;
  if (from === 0 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 32 || bytes[i] === 9 || bytes[i] === 13 || bytes[i] === 10)) i++;
  return i < bytes.length ? bytes[i]! : -1;
}

/** The start of the first line after `near` that begins with "{", within 1 MiB; null if none. */
async function lineStartNear(handle: import('node:fs/promises').FileHandle, near: number, size: number): Promise<number | null> {
  const window = Buffer.alloc(Math.min(1024 * 1024, size - near));
  const { bytesRead } = await handle.read(window, 0, window.length, near);
  let newline = window.indexOf(10);
  while (newline >= 0 && newline + 1 < bytesRead) {
    if (window[newline + 1] === 123) return near + newline + 1;
    newline = window.indexOf(10, newline + 1);
  }
  return null;
}
