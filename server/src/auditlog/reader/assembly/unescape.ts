// JSON string escapes decoded to UTF-8 (the bytes the dictionaries key strings by).

function hexValue(p: usize): u32 {
  let value: u32 = 0;
  for (let i: usize = 0; i < 4; i++) {
    const c = <u32>load<u8>(p + i);
    value = (value << 4) | (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);
  }
  return value;
}

/**
 * Decodes a JSON string's raw content [from, to) (escapes already validated) to UTF-8 at dst: its
 * length, or -1 for a lone surrogate (JavaScript strings keep those; UTF-8 cannot hold them).
 */
export function unescape(dst: usize, from: usize, to: usize): i32 {
  let out = dst;
  let p = from;
  while (p < to) {
    const c = <u32>load<u8>(p);
    if (c != 0x5c) {
      store<u8>(out++, <u8>c);
      p++;
      continue;
    }
    const e = <u32>load<u8>(p + 1);
    if (e != 0x75) {
      let b: u32 = e; // " \ /
      if (e == 0x62) b = 8;
      else if (e == 0x66) b = 12;
      else if (e == 0x6e) b = 10;
      else if (e == 0x72) b = 13;
      else if (e == 0x74) b = 9;
      store<u8>(out++, <u8>b);
      p += 2;
      continue;
    }
    let cp = hexValue(p + 2);
    p += 6;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      if (cp >= 0xdc00 || p + 6 > to || load<u8>(p) != 0x5c || load<u8>(p + 1) != 0x75) return -1;
      const low = hexValue(p + 2);
      if (low < 0xdc00 || low > 0xdfff) return -1;
      cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
      p += 6;
    }
    if (cp < 0x80) store<u8>(out++, <u8>cp);
    else if (cp < 0x800) {
      store<u8>(out++, <u8>(0xc0 | (cp >> 6)));
      store<u8>(out++, <u8>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      store<u8>(out++, <u8>(0xe0 | (cp >> 12)));
      store<u8>(out++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
      store<u8>(out++, <u8>(0x80 | (cp & 0x3f)));
    } else {
      store<u8>(out++, <u8>(0xf0 | (cp >> 18)));
      store<u8>(out++, <u8>(0x80 | ((cp >> 12) & 0x3f)));
      store<u8>(out++, <u8>(0x80 | ((cp >> 6) & 0x3f)));
      store<u8>(out++, <u8>(0x80 | (cp & 0x3f)));
    }
  }
  return <i32>(out - dst);
}
