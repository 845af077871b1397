/**
 * Several typed arrays in one buffer of its own (one transfer between threads): a header of section
 * byte lengths, then each section at an offset aligned to 8 bytes (any typed array can view it there).
 */
export function packSections(sections: readonly ArrayBufferView[]): Uint8Array {
  const header = 4 * (1 + sections.length);
  let size = align(header);
  for (const section of sections) size = align(size + section.byteLength);
  const data = new Uint8Array(size);
  const lengths = new Uint32Array(data.buffer, 0, 1 + sections.length);
  lengths[0] = sections.length;
  let at = align(header);
  sections.forEach((section, i) => {
    lengths[1 + i] = section.byteLength;
    data.set(new Uint8Array(section.buffer, section.byteOffset, section.byteLength), at);
    at = align(at + section.byteLength);
  });
  return data;
}

/** The sections packSections packed, as views (no copy) of `data`'s buffer. */
export function unpackSections(data: Uint8Array): { buffer: ArrayBuffer; offset: number; bytes: number }[] {
  const count = new Uint32Array(data.buffer, data.byteOffset, 1)[0]!;
  const lengths = new Uint32Array(data.buffer, data.byteOffset + 4, count);
  const sections: { buffer: ArrayBuffer; offset: number; bytes: number }[] = [];
  let at = data.byteOffset + align(4 * (1 + count));
  for (const bytes of lengths) {
    sections.push({ buffer: data.buffer as ArrayBuffer, offset: at, bytes });
    at = align(at + bytes);
  }
  return sections;
}

function align(offset: number): number {
  return (offset + 7) & ~7;
}
