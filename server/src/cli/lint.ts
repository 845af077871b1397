import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { severityName } from '../policy/diagnostic';
import { policyDiagnostics } from '../policy/policyDiagnostics';
import { sarifLocation, sarifLog } from '../sarif';
import { choice, parseArgs, UsageError } from './args';
import { lintSetupFile } from './setupLint';

type Writable = { write(text: string): unknown };

interface FileResult {
  file: string;
  diagnostics: Diagnostic[];
  /** Set when the file could not be read. */
  ioError?: string;
}

const FORMATS = ['text', 'json', 'sarif'] as const;
const VERSION_PATTERN = /^1\.\d+$/;

export async function runLint(argv: string[], out: Writable): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['format', 'kubernetes-version'], []);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const kubernetesVersion = options.get('kubernetes-version');
  if (kubernetesVersion !== undefined && (kubernetesVersion === true || !VERSION_PATTERN.test(kubernetesVersion))) {
    throw new UsageError('--kubernetes-version must look like 1.33');
  }
  if (positionals.length === 0) throw new UsageError('lint needs at least one FILE');

  const results: FileResult[] = [];
  for (const file of positionals) {
    try {
      const text = await readFile(file, 'utf8');
      const uri = pathToFileURL(resolve(file)).href;
      // Audit-setup files (apiserver manifests, kubeadm/k3s config, ...) are recognised by content; anything else is a policy.
      const diagnostics =
        (await lintSetupFile(uri, text, kubernetesVersion as string | undefined)) ??
        policyDiagnostics(uri, text, { kubernetesVersion: kubernetesVersion as string | undefined, assumePolicy: true }) ??
        [];
      results.push({ file, diagnostics });
    } catch (error) {
      results.push({ file, diagnostics: [], ioError: (error as Error).message });
    }
  }

  if (format === 'json') out.write(`${JSON.stringify(results.map(toJson), null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(toSarif(results), null, 2)}\n`);
  else out.write(toText(results));

  if (results.some((result) => result.ioError !== undefined)) return 2;
  return results.some((result) => result.diagnostics.some((d) => severityName(d.severity) === 'error')) ? 1 : 0;
}

function toJson(result: FileResult) {
  return {
    file: result.file,
    ...(result.ioError !== undefined ? { error: result.ioError } : {}),
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
  let errors = 0;
  let warnings = 0;
  for (const result of results) {
    if (result.ioError !== undefined) lines.push(`${result.file}: cannot read: ${result.ioError}`);
    for (const d of result.diagnostics) {
      const severity = severityName(d.severity);
      if (severity === 'error') errors++;
      if (severity === 'warning') warnings++;
      lines.push(`${result.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity} ${d.message} [${d.code}]`);
    }
  }
  lines.push(`${results.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return `${lines.join('\n')}\n`;
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

function toSarif(results: FileResult[]) {
  const ruleIds = [...new Set(results.flatMap((r) => r.diagnostics.map((d) => String(d.code))))].sort();
  return sarifLog(
    ruleIds.map((id) => ({ id })),
    results.flatMap((result) =>
      result.diagnostics.map((d) => ({
        ruleId: String(d.code),
        level: SARIF_LEVEL[severityName(d.severity)],
        message: { text: d.message },
        locations: [
          sarifLocation(result.file, {
            startLine: d.range.start.line + 1,
            startColumn: d.range.start.character + 1,
            endLine: d.range.end.line + 1,
            endColumn: d.range.end.character + 1,
          }),
        ],
      })),
    ),
  );
}
