import { GrowableUint32 } from '../index/growable';
import type { NormalizedEvent } from '../normalizedEvent';

const CHUNK_BYTES = 1024 * 1024;

/**
 * The auditIDs that started a request in a part after the first, in order, as bytes: after the
 * parts are read, the owning thread asks which requests left open by the part before were continued
 * (the first request of that auditID in this part is their rest). Kept as UTF-8 in 1 MiB chunks,
 * not as strings: a part of 500 MB starts ~400k requests.
 */
export class StartedIds {
  private readonly chunks: Buffer[] = [];
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  private readonly lengths = new GrowableUint32();

  add(event: NormalizedEvent): void {
    const id = event.auditID;
    if (this.used + id.length * 3 > this.chunk.length) {
      this.chunks.push(this.chunk.subarray(0, this.used));
      this.chunk = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, id.length * 3));
      this.used = 0;
    }
    const bytes = this.chunk.write(id, this.used, 'utf8');
    this.used += bytes;
    this.lengths.push(bytes);
  }

  /** Its own buffers (transferable). */
  encode(): { lengths: Uint32Array; bytes: Uint8Array } {
    const parts = [...this.chunks, this.chunk.subarray(0, this.used)];
    const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.length;
    }
    return { lengths: this.lengths.view().slice(), bytes };
  }
}

/** How many requests each of `wanted` started in a part (auditIDs missing from the answer started none). */
export function countStarts(starts: { lengths: Uint32Array; bytes: Uint8Array }, wanted: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  if (wanted.size === 0) return counts;
  const bytes = Buffer.from(starts.bytes.buffer, starts.bytes.byteOffset, starts.bytes.byteLength);
  // Only an ID whose length and first bytes are a wanted one's is made a string (a part of 500 MB started ~400k).
  const prints = new Set<number>();
  for (const id of wanted) {
    const utf8 = Buffer.from(id, 'utf8');
    prints.add(fingerprint(utf8, 0, utf8.length));
  }
  let at = 0;
  for (const length of starts.lengths) {
    if (prints.has(fingerprint(bytes, at, length))) {
      const id = bytes.toString('utf8', at, at + length);
      if (wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    at += length;
  }
  return counts;
}

/** The length and first four bytes of the `length` bytes at `at`, as one number. */
function fingerprint(bytes: Uint8Array, at: number, length: number): number {
  let print = length;
  for (let i = 0; i < 4 && i < length; i++) print = print * 256 + bytes[at + i]!;
  return print;
}
