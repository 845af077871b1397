import type { TreeNode, TreeScalar } from '../policy/yaml/tree';
import { auditFlag } from './flags';
import type { FlagArg } from './model';
import { scalarContentStart, type Span } from './source';

export interface ParsedArgs {
  flags: FlagArg[];
  strayArgs: { text: string; span: Span }[];
}

/**
 * Flags from a list of command-line items, as pflag reads them: `--name=value`, or `--name` followed by
 * its value as the next item. For a flag we know, pflag takes the next item whatever it looks like
 * (bool flags take none); for other flags we guess as kube-apiserver's own flags would: the next item
 * is the value unless it starts with "-". With `dashes: false` (k3s and RKE2 `kube-apiserver-arg`),
 * every item is one `name=value` pair, with or without leading dashes.
 */
export function parseArgItems(text: string, items: readonly TreeNode[], dashes: boolean): ParsedArgs {
  const flags: FlagArg[] = [];
  const strayArgs: { text: string; span: Span }[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const raw = itemText(text, item);
    if (raw === undefined) continue;
    const span = { start: item.start, end: item.end };
    if (!dashes) {
      const flag = splitFlag(text, item as TreeScalar, raw.replace(/^--?/, ''), raw.length - raw.replace(/^--?/, '').length);
      if (flag) flags.push(flag);
      continue;
    }
    if (!raw.startsWith('-') || raw === '-' || raw === '--') {
      strayArgs.push({ text: raw, span });
      continue;
    }
    const prefix = raw.startsWith('--') ? 2 : 1;
    const flag = splitFlag(text, item as TreeScalar, raw.slice(prefix), prefix);
    if (!flag) continue;
    if (flag.value === undefined && !raw.includes('=')) {
      const next = items[i + 1];
      const nextText = next ? itemText(text, next) : undefined;
      const known = auditFlag(flag.name);
      const takesNext = known ? known.type !== 'bool' : nextText !== undefined && !nextText.startsWith('-');
      if (takesNext && next && nextText !== undefined) {
        flag.value = nextText;
        const start = next.kind === 'scalar' ? (scalarContentStart(text, next) ?? next.start) : next.start;
        flag.valueSpan = { start, end: start === next.start ? next.end : start + nextText.length };
        flag.span = { start: item.start, end: next.end };
        if (next.kind === 'scalar' && typeof next.value !== 'string' && next.value !== null) flag.valueNotString = { node: next, type: typeof next.value === 'number' ? 'number' : 'bool' };
        i++;
      }
    }
    flags.push(flag);
  }
  return { flags, strayArgs };
}

/** The text of a list item as the program receives it (a YAML number is passed as written). */
function itemText(text: string, item: TreeNode): string | undefined {
  if (item.kind !== 'scalar' || item.value === null) return undefined;
  return typeof item.value === 'string' ? item.value : text.slice(item.start, item.end);
}

/** `name=value` (the dashes already cut off, `offset` characters of them) into a FlagArg with exact spans. */
function splitFlag(text: string, item: TreeScalar, body: string, offset: number): FlagArg | undefined {
  const equals = body.indexOf('=');
  const name = equals < 0 ? body : body.slice(0, equals);
  if (name === '') return undefined;
  const value = equals < 0 ? undefined : body.slice(equals + 1);
  const contentStart = scalarContentStart(text, item);
  const whole = { start: item.start, end: item.end };
  if (contentStart === undefined) return { name, value, nameSpan: whole, valueSpan: value === undefined ? undefined : whole, span: whole };
  const nameEnd = contentStart + offset + name.length;
  return {
    name,
    value,
    nameSpan: { start: contentStart, end: nameEnd },
    valueSpan: value === undefined ? undefined : { start: nameEnd + 1, end: nameEnd + 1 + value.length },
    span: whole,
  };
}
