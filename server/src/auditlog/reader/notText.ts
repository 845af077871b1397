// Audit logs are text: JSON escapes every control character and the legacy format quotes with Go's
// %q, so a raw control byte means the bytes are not a log (a binary or compressed file) or were
// damaged (a crash can leave blocks of NULs). These say which, and where.

const MAGIC: { bytes: number[]; reason: string }[] = [
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], reason: 'xz-compressed data, not text: decompress it first (only gzip is read)' },
  { bytes: [0x42, 0x5a, 0x68], reason: 'bzip2-compressed data, not text: decompress it first (only gzip is read)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], reason: 'zstd-compressed data, not text: decompress it first (only gzip is read)' },
  { bytes: [0x1f, 0x8b], reason: 'gzip-compressed data inside the file, not text: decompress it first' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], reason: 'a zip archive, not text: extract it first' },
  { bytes: [0xff, 0xfe], reason: 'UTF-16 text: convert the file to UTF-8 first (iconv -f UTF-16 -t UTF-8)' },
  { bytes: [0xfe, 0xff], reason: 'UTF-16 text: convert the file to UTF-8 first (iconv -f UTF-16 -t UTF-8)' },
];

/**
 * A file is binary when its first 512 bytes hold at least 8 bytes text never holds. One or two such
 * bytes are damage in a log (a flipped bit) and cost only their line, not the whole file.
 */
const FILE_VERDICT_BYTES = 512;
const FILE_VERDICT_CONTROLS = 8;
/** What audit logs start with (after blanks and a UTF-8 BOM): JSON, legacy text's timestamp, a CSV header. */
const LOG_START = /[{[0-9@]/;

/** Index of the first byte in [start, end) that text never holds (C0 controls other than tab, LF, VT, FF, CR); -1 if none. */
export function firstControlByte(bytes: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c < 0x20 && (c < 0x09 || c > 0x0d)) return i;
  }
  return -1;
}

/** How a binary file's reason ends (the viewer, which says the file was not read in its own words, leaves it out). */
export const FILE_NOT_READ = ': the file was not read';

/** "binary data, not text (byte 0x00 at offset 1234)": `offset` is the byte's position in the file. */
export function binaryDataReason(byte: number, offset: number): string {
  return `binary data, not text (byte 0x${byte.toString(16).padStart(2, '0')} at offset ${offset})`;
}

/**
 * Whether the start of a file shows it is not a text log at all (compressed, UTF-16, binary), and
 * why; null when it may be one. `head` starts at the file's first byte. A file that starts like a log
 * is read line by line even with binary bytes early on: those lines are reported, the rest is kept.
 */
export function notTextFile(head: Buffer): string | null {
  for (const { bytes, reason } of MAGIC) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) return reason;
  }
  let first = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  while (first < head.length && (head[first] === 32 || head[first] === 9 || head[first] === 10 || head[first] === 13)) first++;
  if (first < head.length && LOG_START.test(String.fromCharCode(head[first]!))) return null;
  const end = Math.min(head.length, FILE_VERDICT_BYTES);
  const control = firstControlByte(head, 0, end);
  let controls = 0;
  for (let i = control; i >= 0 && i < end; i = firstControlByte(head, i + 1, end)) controls++;
  return controls < FILE_VERDICT_CONTROLS ? null : `${binaryDataReason(head[control]!, control)}${FILE_NOT_READ}`;
}
