import type { Diagnostic } from 'vscode-languageserver-types';
import type { LineIndexed } from '../../policy/yaml/parse';
import { replaceSpan } from '../edit';
import { finding } from '../finding';
import { auditFlag, closestAuditFlag, isAuditFlagName, type FlagType } from '../flags';
import type { ApiServerConfig, FlagArg } from '../model';

/**
 * What kube-apiserver says about the audit flags before it looks at what they mean: unknown flags,
 * values pflag cannot parse, a flag with no value, a flag given twice, arguments that are not flags,
 * and (kubeadm) values that are not strings. Messages quote pflag and cobra where they are the errors.
 */
export function flagValueDiagnostics(source: LineIndexed, config: ApiServerConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lastIndex = new Map<string, number>();
  config.flags.forEach((flag, index) => lastIndex.set(flag.name, index));

  config.flags.forEach((flag, index) => {
    if (!isAuditFlagName(flag.name)) return;
    const known = auditFlag(flag.name);
    if (!known) {
      const suggestion = closestAuditFlag(flag.name);
      const rename = suggestion ? renameEdit(source, flag, suggestion) : undefined;
      out.push(
        finding(source, 'audit-flag-unknown', 'error', flag.nameSpan, `unknown flag: --${flag.name}: kube-apiserver does not start.${suggestion ? ` Did you mean --${suggestion}?` : ''}`, {
          flag: flag.name,
          ...(rename ? { fixes: [{ title: `Change to --${suggestion}`, edits: [rename], preferred: true }] } : {}),
        }),
      );
      return;
    }
    if (known.deprecated) out.push(finding(source, 'audit-flag-deprecated', 'warning', flag.nameSpan, `--${flag.name} is deprecated: ${known.deprecated}.`, { flag: flag.name }));
    if (lastIndex.get(flag.name) !== index) {
      const kept = config.flags[lastIndex.get(flag.name)!]!;
      out.push(
        finding(source, 'audit-flag-duplicate', 'warning', flag.span, `--${flag.name} is given again later: kube-apiserver uses the last value${kept.value !== undefined ? ` (${kept.value})` : ''}, this one is ignored.`, {
          flag: flag.name,
          unnecessary: true,
        }),
      );
    }
    if (flag.valueNotString) {
      const value = flag.valueNotString.node;
      out.push(
        finding(source, 'audit-flag-not-a-string', 'error', value, `This ${flag.valueNotString.type} must be a string: ${config.kind === 'kubeadm' ? 'kubeadm' : 'the kubelet'} cannot decode the file (quote it).`, {
          flag: flag.name,
          fixes: [{ title: `Quote ${source.text.slice(value.start, value.end)}`, edits: [replaceSpan(source, value, JSON.stringify(source.text.slice(value.start, value.end)))], preferred: true }],
        }),
      );
      return;
    }
    if (flag.value === undefined) {
      if (known.type !== 'bool' && config.kind === 'static-pod') out.push(finding(source, 'audit-flag-no-value', 'error', flag.nameSpan, `flag needs an argument: --${flag.name}`, { flag: flag.name }));
      else if (known.type !== 'bool') out.push(finding(source, 'audit-flag-no-value', 'error', flag.nameSpan, `--${flag.name} has no value: kube-apiserver refuses it (flag needs an argument).`, { flag: flag.name }));
      return;
    }
    const parseError = parseProblem(known.type, flag.value);
    if (parseError) out.push(finding(source, 'audit-flag-invalid-value', 'error', flag.valueSpan ?? flag.span, `invalid argument ${JSON.stringify(flag.value)} for "--${flag.name}" flag: ${parseError}`, { flag: flag.name }));
  });

  if (config.kind === 'static-pod' && config.strayArgs.length > 0) {
    const texts = config.strayArgs.map((arg) => arg.text);
    for (const arg of config.strayArgs) {
      out.push(finding(source, 'apiserver-stray-argument', 'error', arg.span, `"kube-apiserver" does not take any arguments, got ${goQuotedList(texts)}: every item must be a --flag (or the value of the flag before it).`));
    }
  }
  return out;
}

/** Renames a flag in place, keeping its dashes; undefined when the name's characters are not exactly known. */
function renameEdit(source: LineIndexed, flag: FlagArg, name: string) {
  const written = source.text.slice(flag.nameSpan.start, flag.nameSpan.end);
  const dashes = /^-*/.exec(written)![0];
  if (written.slice(dashes.length) !== flag.name) return undefined;
  return replaceSpan(source, flag.nameSpan, `${dashes}${name}`);
}

/** The parse error pflag reports for a value of the flag's Go type, or undefined when it parses. */
function parseProblem(type: FlagType, value: string): string | undefined {
  switch (type) {
    case 'int':
      return GO_INT.test(value) ? undefined : `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`;
    case 'bool':
      return GO_BOOL.has(value) ? undefined : `strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`;
    case 'float':
      return GO_FLOAT.test(value) ? undefined : `strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`;
    case 'duration':
      return value === '0' || GO_DURATION.test(value) ? undefined : `time: invalid duration ${JSON.stringify(value)}`;
    default:
      return undefined;
  }
}

/** strconv.ParseInt(s, 0, 64): decimal, 0x, 0o/0 octal, 0b, with Go's underscores. */
const GO_INT = /^[+-]?(0[xX](_?[0-9a-fA-F])+|0[bB](_?[01])+|0[oO]?(_?[0-7])+|[1-9](_?[0-9])*|0)$/;
/** strconv.ParseBool. */
const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);
const GO_FLOAT = /^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)$/i;
/** time.ParseDuration: a sequence of decimal numbers with units. */
const GO_DURATION = /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Go's %q of a []string: ["a" "b"]. */
function goQuotedList(items: string[]): string {
  return `[${items.map((item) => JSON.stringify(item)).join(' ')}]`;
}

/** The value of an int flag, when it parses (decimal only: the values people write). */
export function intValue(flag: FlagArg | undefined): number | undefined {
  if (!flag?.value || !/^[+-]?\d+$/.test(flag.value)) return undefined;
  return Number(flag.value);
}

export function boolValue(flag: FlagArg | undefined): boolean | undefined {
  if (!flag) return undefined;
  if (flag.value === undefined) return true;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(flag.value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(flag.value)) return false;
  return undefined;
}
