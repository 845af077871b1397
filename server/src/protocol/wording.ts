// How counts, sizes and shares are written, alike in the CLI, the server's messages and the webviews
// (which import this leaf module, not the engines). Sizes use decimal units (1 GB = 10^9 bytes), as
// disk and log pricing do.

const RULES = new Intl.PluralRules('en-US');

/**
 * A count with its noun in the right number, as the viewer prints counts: `1 line`, `2,000 lines`,
 * `0 secret values`. `plural` is for nouns that do not just take an "s".
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${RULES.select(count) === 'one' ? singular : plural}`;
}

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
