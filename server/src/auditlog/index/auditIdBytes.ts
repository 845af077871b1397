import { GrowableUint16, GrowableUint32, GrowableUint8 } from './growable';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const UPPERCASE = /[A-Z]/;

/**
 * The auditIDs of a batch's rows as UTF-8, back to back (RowBatch.auditIdBytes/auditIdLengths). An
 * auditID is a UUID (ASCII, copied byte by byte); a longer one (hostile input) is cut so that its
 * length fits the Uint16 column.
 */
export class AuditIdBytes {
  private readonly bytes = new GrowableUint8(64 * 1024);
  private readonly lengths = new GrowableUint16(8192);
  private readonly starts = new GrowableUint32(8192);
  /** Some auditID has an A-Z letter (free text cannot then search the bytes as they are). */
  private uppercase = false;

  pushString(id: string): void {
    let ascii = id.length <= 0xffff;
    for (let i = 0; i < id.length && ascii; i++) if (id.charCodeAt(i) >= 0x80) ascii = false;
    if (ascii) {
      this.bytes.reserve(id.length);
      const data = this.bytes.data;
      const at = this.bytes.length;
      for (let i = 0; i < id.length; i++) data[at + i] = id.charCodeAt(i);
      this.added(at, id.length);
      return;
    }
    let encoded = encoder.encode(id);
    if (encoded.length > 0xffff) encoded = encoded.subarray(0, 0xffff);
    const at = this.bytes.length;
    this.bytes.append(encoded);
    this.starts.push(at);
    this.lengths.push(encoded.length);
    if (UPPERCASE.test(id)) this.uppercase = true;
  }

  /** An ASCII auditID from a buffer (the field scanner's). */
  pushAscii(source: Uint8Array, start: number, length: number): void {
    const n = Math.min(length, 0xffff);
    this.bytes.reserve(n);
    const at = this.bytes.length;
    this.bytes.data.set(source.subarray(start, start + n), at);
    this.added(at, n);
  }

  private added(at: number, n: number): void {
    const data = this.bytes.data;
    if (!this.uppercase) for (let i = at; i < at + n; i++) if (data[i]! >= 65 && data[i]! <= 90) this.uppercase = true;
    this.bytes.length = at + n;
    this.starts.push(at);
    this.lengths.push(n);
  }

  /** The auditID of pending row `row`. */
  text(row: number): string {
    const start = this.starts.data[row]!;
    return decoder.decode(this.bytes.data.subarray(start, start + this.lengths.data[row]!));
  }

  /** The pending auditIDs (copies, to transfer), and empty for the next batch. */
  take(): { bytes: Uint8Array; lengths: Uint16Array; uppercase: boolean } {
    const taken = { bytes: this.bytes.data.slice(0, this.bytes.length), lengths: this.lengths.data.slice(0, this.lengths.length), uppercase: this.uppercase };
    this.bytes.length = 0;
    this.lengths.length = 0;
    this.starts.length = 0;
    this.uppercase = false;
    return taken;
  }
}
