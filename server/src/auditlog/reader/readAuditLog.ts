import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { NormalizedEvent } from '../normalizedEvent';
import { AuditStreamParser, type ParseOptions, type ParseSummary } from './auditStreamParser';
import { gunzipChunks } from './gunzipChunks';

export interface ReadOptions extends ParseOptions {
  /** Called after each chunk with bytes of the file read so far (compressed bytes for .gz). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read size; 1 MiB keeps syscalls few without holding much memory. */
  chunkBytes?: number;
  /** Checked after each chunk: true stops reading (the caller found what it was looking for). */
  stop?: () => boolean;
  /**
   * Awaited after each chunk: a consumer that writes the events somewhere slower than reading (a
   * database) holds the reader here, so memory stays at one batch instead of the whole file.
   */
  afterChunk?: () => Promise<unknown> | null | void;
}

export interface FileReadSummary extends ParseSummary {
  path: string;
  /** Size of the file on disk. */
  bytes: number;
  gzip: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Streams one audit log file (plain or gzip, detected by its magic bytes, not its name) through the
 * parser. Memory stays bounded by the chunk size and the longest record. A damaged gzip stream ends
 * the file with a skipped-record entry; only failing to open or read the file rejects.
 */
export async function readAuditLog(path: string, onEvent: (event: NormalizedEvent) => void, options: ReadOptions = {}): Promise<FileReadSummary> {
  const { size, gzip } = await probe(path);
  const parser = new AuditStreamParser(onEvent, options);
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  let bytesRead = 0;
  raw.on('data', (chunk: Buffer | string) => {
    bytesRead += chunk.length;
  });
  const source: AsyncIterable<Buffer> = gzip ? gunzipChunks(raw, 1024 * 1024) : raw;
  try {
    for await (const chunk of source) {
      parser.push(chunk as Buffer);
      options.onProgress?.(bytesRead, size);
      if (options.stop?.()) break;
      if (options.afterChunk) {
        try {
          await options.afterChunk();
        } catch (error) {
          throw Object.assign(new Error((error as Error).message, { cause: error }), { consumerFailed: true });
        }
      }
    }
  } catch (error) {
    if ((error as { consumerFailed?: boolean }).consumerFailed) throw (error as Error).cause;
    if (!gzip || isIoError(error)) throw error;
    parser.reportGzipDamage(error as Error);
  }
  return { path, bytes: size, gzip, ...parser.end() };
}

async function probe(path: string): Promise<{ size: number; gzip: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return { size, gzip: bytesRead === 2 && magic[0] === GZIP_MAGIC[0] && magic[1] === GZIP_MAGIC[1] };
  } finally {
    await handle.close();
  }
}

function isIoError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === 'string' && !code.startsWith('Z_');
}

/** Parses an in-memory log (tests, small pastes); same rules as reading a file. */
export function parseAuditText(content: string | Buffer, onEvent: (event: NormalizedEvent) => void, options: ParseOptions = {}): ParseSummary {
  const parser = new AuditStreamParser(onEvent, options);
  parser.push(typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
  return parser.end();
}
