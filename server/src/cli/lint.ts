import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { severityName, type Severity } from '../policy/checks/diagnostic';
import { policyDiagnostics } from '../policy/checks/policyDiagnostics';
import { cannotRead, fileErrorReason } from '../fileErrors';
import { choice, parseArgs, UsageError } from './args';
import { physicalLocation, sarifLog } from '../sarif';
import { lintSetupFile } from './setupLint';

type Writable = { write(text: string): unknown };

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  /** Set when the file could not be read: why, in plain words. */
  readError?: string;
}

const FORMATS = ['text', 'json', 'sarif'] as const;
const VERSION_PATTERN = /^1\.\d+$/;

/** `k8s-audit lint FILE...`. Exit 0, 1 when a file has errors, 2 on usage errors or a file that cannot be read. */
export async function runLint(argv: string[], out: Writable, err: Writable): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['format', 'kubernetes-version'], []);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const kubernetesVersion = options.get('kubernetes-version');
  if (kubernetesVersion !== undefined && (kubernetesVersion === true || !VERSION_PATTERN.test(kubernetesVersion))) {
    throw new UsageError('--kubernetes-version must look like 1.33');
  }
  if (positionals.length === 0) throw new UsageError('lint needs at least one FILE');

  const results: FileResult[] = [];
  for (const file of positionals) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const readError = fileErrorReason(error);
      err.write(`k8s-audit: ${cannotRead(file, readError)}\n`);
      results.push({ file, diagnostics: [], readError });
      continue;
    }
    const uri = pathToFileURL(resolve(file)).href;
    // Audit-setup files (apiserver manifests, kubeadm/k3s config, ...) are recognised by content; anything else is a policy.
    const diagnostics =
      (await lintSetupFile(uri, text, kubernetesVersion as string | undefined)) ??
      policyDiagnostics(uri, text, { kubernetesVersion: kubernetesVersion as string | undefined, assumePolicy: true }) ??
      [];
    results.push({ file, diagnostics });
  }

  if (format === 'json') out.write(`${JSON.stringify(results.map(toJson), null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(toSarif(results), null, 2)}\n`);
  else out.write(toText(results));

  if (results.some((result) => result.readError !== undefined)) return 2;
  return results.some((result) => result.diagnostics.some((d) => severityName(d.severity) === 'error')) ? 1 : 0;
}

function toJson(result: FileResult) {
  return {
    file: result.file,
    ...(result.readError !== undefined ? { error: result.readError } : {}),
    diagnostics: result.diagnostics.map((d) => ({
      code: String(d.code),
      severity: severityName(d.severity),
      message: d.message,
      range: d.range,
    })),
  };
}

function toText(results: FileResult[]): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const result of results) {
    for (const d of result.diagnostics) {
      const severity = severityName(d.severity);
      counts[severity]++;
      lines.push(`${result.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity} ${d.message} [${d.code}]`);
    }
  }
  const unreadable = results.filter((result) => result.readError !== undefined).length;
  const checked = `${results.length - unreadable} file(s) checked${unreadable > 0 ? `, ${unreadable} could not be read` : ''}`;
  lines.push(`${checked}: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s)`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

function toSarif(results: FileResult[]) {
  const ruleIds = [...new Set(results.flatMap((r) => r.diagnostics.map((d) => String(d.code))))].sort();
  return sarifLog({
    rules: ruleIds.map((id) => ({ id })),
    results: results.flatMap((result) =>
      result.diagnostics.map((d) => ({
        ruleId: String(d.code),
        level: SARIF_LEVEL[severityName(d.severity)],
        message: { text: d.message },
        locations: [
          physicalLocation(result.file, {
            startLine: d.range.start.line + 1,
            startColumn: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
          }),
        ],
      })),
    ),
    problems: results.flatMap((result) => (result.readError !== undefined ? [{ level: 'error' as const, message: cannotRead(result.file, result.readError), file: result.file }] : [])),
    executionSuccessful: results.every((result) => result.readError === undefined),
  });
}
