// A temporary file for bytes that wait until the end of a read: a scan's report entries (their JSON
// text, ~500 bytes each, ~110 MB for a 1 GB log) are written once the report's header is known. A
// part's worker appends its entries' text to a file this thread opened for it (file descriptors are
// the process's), so neither thread holds them. The file is removed as soon as it is open where the
// system allows it (nothing is left behind if the process is killed), else when closed.
import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';

export class SpillFile {
  readonly fd: number;
  private readonly path: string;
  private removed = false;

  /** Throws when no file can be made in the system's temporary folder (the bytes are then kept in memory). */
  constructor() {
    this.path = join(tmpdir(), `k8s-audit-scan-${randomUUID()}.tmp`);
    this.fd = openSync(this.path, 'wx+', 0o600);
    try {
      unlinkSync(this.path);
      this.removed = true;
    } catch {
      // Windows: an open file cannot be removed; close() removes it.
    }
  }

  /** `length` bytes from `at`, read into `into` when it is big enough. */
  read(at: number, length: number, into?: Uint8Array): Uint8Array {
    const bytes = into && into.buffer.byteLength - into.byteOffset >= length ? new Uint8Array(into.buffer, into.byteOffset, length) : Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, bytes, read, length - read, at + read);
      if (n === 0) throw new Error("the scan's temporary file was cut short");
      read += n;
    }
    return bytes;
  }

  /** Closes and removes the file; a file that cannot be removed is left (the report was written). */
  close(): void {
    try {
      closeSync(this.fd);
      if (!this.removed) unlinkSync(this.path);
    } catch {
      // Nothing to tell the user of a scan that succeeded.
    }
  }
}

/** The writing side of a SpillFile, in the worker it was opened for: bytes appended, where they went returned. */
export class SpillAppender {
  private size = 0;

  constructor(private readonly fd: number) {}

  append(bytes: Uint8Array): number {
    const at = this.size;
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written, at + written);
    this.size += bytes.length;
    return at;
  }
}
