import { UsageError } from './args';

/**
 * Command lines where an option takes several values: `--log a.log b.log --policy p.yaml` or
 * `--log a.log --log b.log`. A list option takes every following argument up to the next `--option`;
 * other options take one value (`--name value` or `--name=value`). No positionals.
 */
export function parseListArgs(argv: readonly string[], valueOptions: readonly string[], listOptions: readonly string[]): { values: Map<string, string>; lists: Map<string, string[]> } {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>(listOptions.map((name) => [name, []]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument ${JSON.stringify(arg)} (files go after --manifest, --log or --policy)`);
    const equals = arg.indexOf('=');
    const name = arg.slice(2, equals < 0 ? undefined : equals);
    const inline = equals < 0 ? undefined : arg.slice(equals + 1);
    if (listOptions.includes(name)) {
      const list = lists.get(name)!;
      if (inline !== undefined) list.push(inline);
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) list.push(argv[++i]!);
      if (list.length === 0) throw new UsageError(`--${name} needs at least one value`);
    } else if (valueOptions.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { values, lists };
}
