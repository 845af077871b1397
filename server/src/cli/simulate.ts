import { readFile } from 'node:fs/promises';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { comparePolicies } from '../simulation/compare';
import { readSample } from '../simulation/readSample';
import { renderMarkdown, renderText } from '../simulation/renderReport';
import { simulationReport, type ReportInput } from '../simulation/report';
import { simulatePolicy } from '../simulation/simulate';
import { simulationPolicy, type SimulationPolicy } from '../simulation/simulationPolicy';
import { cannotRead } from '../fileErrors';
import { choice, parseArgs, UsageError } from './args';

type Writable = { write(text: string): unknown };

const FORMATS = ['text', 'json', 'markdown'] as const;
const VERSION_PATTERN = /^1\.\d+$/;

/** `k8s-audit simulate POLICY LOG... [--compare OTHER]`. */
export async function runSimulate(argv: string[], out: Writable, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['compare', 'format', 'top', 'kubernetes-version'], ['with-rotated', 'progress']);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const [policyFile, ...logs] = positionals;
  if (!policyFile || logs.length === 0) throw new UsageError('simulate needs a POLICY file and at least one LOG file');
  const kubernetesVersion = options.get('kubernetes-version');
  if (kubernetesVersion !== undefined && (kubernetesVersion === true || !VERSION_PATTERN.test(kubernetesVersion))) throw new UsageError('--kubernetes-version must look like 1.33');
  const top = options.has('top') ? Number(options.get('top')) : 5;
  if (!Number.isInteger(top) || top < 0) throw new UsageError('--top must be a whole number');
  const checkOptions = typeof kubernetesVersion === 'string' ? { kubernetesVersion } : {};

  const policy = await readPolicy(policyFile, checkOptions);
  const compareFile = options.get('compare');
  if (compareFile === true) throw new UsageError('--compare needs a policy file');
  const other = compareFile === undefined ? undefined : await readPolicy(compareFile, checkOptions);
  for (const [file, loaded] of [[policyFile, policy], ...(other && compareFile ? [[compareFile, other] as const] : [])] as const) {
    if (loaded.errors.length > 0) {
      err.write(`k8s-audit: WARNING: kube-apiserver would refuse to start with ${file}: ${loaded.errors.length} error(s), first at line ${loaded.errors[0]!.range.start.line + 1}: ${messageOf(loaded.errors[0]!.message)}\n`);
      err.write(`k8s-audit: simulating it as written (what kube-apiserver would log if it loaded it); "k8s-audit lint ${file}" lists every error.\n`);
    }
  }

  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const { sample, read } = await readSample(logs, { withRotated: options.has('with-rotated'), onProgress: progress.update });
  progress.done();
  for (const error of read.errors) err.write(`k8s-audit: cannot read ${error.file}: ${error.message}\n`);
  const skipped = read.summaries.reduce((sum, s) => sum + s.skippedCount, 0);
  if (skipped > 0) err.write(`k8s-audit: skipped ${skipped} damaged or unknown record(s), left out of the numbers (listed in the report)\n`);

  const simulation = simulatePolicy(sample, policy.policy, { top, rowBytes: other !== undefined });
  const input: ReportInput = { policyName: policyFile, logs, policy, simulation, read };
  if (other && typeof compareFile === 'string') {
    const otherSimulation = simulatePolicy(sample, other.policy, { rowBytes: true });
    input.compare = { policyName: compareFile, policy: other, simulation: otherSimulation, comparison: comparePolicies(simulation, otherSimulation) };
  }
  const report = simulationReport(input);
  if (format === 'json') out.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'markdown') out.write(renderMarkdown(report));
  else out.write(renderText(report));

  if (read.errors.length > 0) return 2;
  return policy.errors.length > 0 || (other?.errors.length ?? 0) > 0 ? 1 : 0;
}

async function readPolicy(file: string, options: { kubernetesVersion?: string }): Promise<SimulationPolicy> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(cannotRead(`policy ${file}`, error));
  }
  const loaded = simulationPolicy(text, options);
  if (!loaded) throw new Error(`${file} cannot be read as an audit policy (YAML too large or nested too deeply); "k8s-audit lint ${file}" says more`);
  if (loaded.policy.rules.length === 0) throw new Error(`${file} has no rules, so kube-apiserver would not start with it and there is nothing to simulate; "k8s-audit lint ${file}" says more`);
  return loaded;
}

function messageOf(message: string | { value: string }): string {
  return typeof message === 'string' ? message : message.value;
}
