/** Thrown for bad command lines; the CLI prints the message and a pointer to --help, and exits with status 2. */
export class UsageError extends Error {}

/** Thrown when an input file named on the command line cannot be used; the CLI prints the message and exits with status 2. */
export class InputError extends Error {}

export interface ParsedArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--flag`. `valueOptions` lists the options that
 * take a value, so that a following positional is never swallowed by a boolean flag.
 */
export function parseArgs(argv: readonly string[], valueOptions: readonly string[], booleanOptions: readonly string[]): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const [name, inlineValue] = splitOnce(arg.slice(2), '=');
    if (valueOptions.includes(name)) {
      const value = inlineValue ?? argv[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else if (booleanOptions.includes(name) && inlineValue === undefined) {
      options.set(name, true);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positionals, options };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

export function choice<T extends string>(value: string | true | undefined, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if (value === true || !allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}
