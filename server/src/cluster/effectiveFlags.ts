import type { ApiServerConfig, FlagArg } from './model';

/** The flags as kube-apiserver ends up with them: pflag keeps the last value of a flag given twice. */
export function effectiveFlags(config: ApiServerConfig): Map<string, FlagArg> {
  const flags = new Map<string, FlagArg>();
  for (const flag of config.flags) flags.set(flag.name, flag);
  return flags;
}

/** A flag's value, or undefined when it is not given or has no value. */
export function flagValue(flags: ReadonlyMap<string, FlagArg>, name: string): string | undefined {
  return flags.get(name)?.value;
}
