const RULES = new Intl.PluralRules('en-US');

/**
 * A count with its noun in the right number, as the viewer prints counts: `1 line`, `2,000 lines`,
 * `0 secret values`. `plural` is for nouns that do not just take an "s".
 */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${RULES.select(count) === 'one' ? singular : plural}`;
}
