// Sizes as people read and write them: decimal units (1 GB = 10^9 bytes), as disk and log
// pricing use them; KiB/MiB/GiB are accepted in input.

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** "1.2 GB", "830 kB", "12 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'unknown';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1')} ${UNITS[unit]}`;
}

/** "41%", "0.3%", "<0.1%". */
export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const percent = share * 100;
  if (percent < 0.1) return '<0.1%';
  return `${percent >= 10 ? Math.round(percent) : percent.toFixed(1).replace(/\.0$/, '')}%`;
}

const FACTORS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9, t: 1e12, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "5GB/day", "500 MiB", "2g/d" -> bytes per day; undefined when it is not a size. */
export function parseBytesPerDay(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:\/\s*(?:day|d))?\s*$/i.exec(text);
  if (!match) return undefined;
  const factor = FACTORS[match[2]!.toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
