// Sizes as people write them (formatBytes, in protocol/wording, writes them): decimal units
// (1 GB = 10^9 bytes), as disk and log pricing use them; KiB/MiB/GiB are accepted in input.

const FACTORS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "5GB/day", "500 MiB", "2g/d" -> bytes per day; undefined when it is not a size. */
export function parseBytesPerDay(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:\/\s*(?:day|d))?\s*$/i.exec(text);
  if (!match) return undefined;
  const factor = FACTORS[match[2]!.toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
