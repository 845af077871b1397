import { readFile } from 'node:fs/promises';
import { SYSTEM_PRINCIPALS } from '../auditlog/detectors/allowlists';
import type { DetectorSelection } from '../auditlog/detectors';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { readSample } from '../simulation/readSample';
import { simulationPolicy, type SimulationPolicy } from '../simulation/simulationPolicy';
import { proposeTune } from '../simulation/tune/proposeTune';
import { tuneReport } from '../simulation/tune/tuneReport';
import { parseBytesPerDay } from '../simulation/units';
import { cannotRead } from '../fileErrors';
import { choice, parseArgs, UsageError } from './args';
import { readDetectorsOption } from './detectorSettingsOption';

type Writable = { write(text: string): unknown };

const FORMATS = ['yaml', 'json'] as const;
const VERSION_PATTERN = /^1\.\d+$/;

/** `k8s-audit tune LOG... [--policy P] [--budget SIZE/day]`. */
export async function runTune(argv: string[], out: Writable, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['policy', 'budget', 'format', 'detectors', 'kubernetes-version'], ['with-rotated', 'progress']);
  const format = choice(options.get('format'), FORMATS, 'yaml', 'format');
  if (positionals.length === 0) throw new UsageError('tune needs at least one LOG file');
  const kubernetesVersion = options.get('kubernetes-version');
  if (kubernetesVersion !== undefined && (kubernetesVersion === true || !VERSION_PATTERN.test(kubernetesVersion))) throw new UsageError('--kubernetes-version must look like 1.33');
  const checkOptions = typeof kubernetesVersion === 'string' ? { kubernetesVersion } : {};
  const budgetText = options.get('budget');
  const budget = budgetText === undefined ? undefined : budgetText === true ? undefined : parseBytesPerDay(budgetText);
  if (budgetText !== undefined && budget === undefined) throw new UsageError('--budget must be a size per day, such as 5GB/day or 500MiB');

  const detectors = await readDetectorsOption(options.get('detectors'), err);
  const selection: DetectorSelection = { ...detectors.catalogs, ...(detectors.ids ? { ids: detectors.ids } : {}) };
  const systemPrincipals = detectors.systemPrincipals ?? SYSTEM_PRINCIPALS;
  let base: SimulationPolicy | undefined;
  let baseText: string | undefined;
  const policyFile = options.get('policy');
  if (policyFile === true) throw new UsageError('--policy needs a policy file');
  if (policyFile !== undefined) {
    try {
      baseText = await readFile(policyFile, 'utf8');
    } catch (error) {
      throw new Error(cannotRead(`policy ${policyFile}`, error));
    }
    base = simulationPolicy(baseText, checkOptions);
    if (!base || base.policy.rules.length === 0) throw new Error(`${policyFile} is not an audit policy with rules; "k8s-audit lint ${policyFile}" says more`);
    if (base.errors.length > 0) throw new Error(`kube-apiserver would refuse to start with ${policyFile} (${base.errors.length} error(s)); fix them first, "k8s-audit lint ${policyFile}" lists them`);
  }

  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const { sample, read } = await readSample(positionals, { withRotated: options.has('with-rotated'), onProgress: progress.update, detectors: selection });
  progress.done();
  for (const error of read.errors) err.write(`k8s-audit: cannot read ${error.file}: ${error.message}\n`);
  const skipped = read.summaries.reduce((sum, s) => sum + s.skippedCount, 0);
  if (skipped > 0) err.write(`k8s-audit: skipped ${skipped} damaged or unknown record(s); the proposal is based on the rest\n`);
  if (sample.rows === 0) throw new Error('the logs hold no requests to tune a policy for');

  const result = proposeTune(sample, { ...(base ? { base } : {}), ...(budget !== undefined ? { budgetBytesPerDay: budget } : {}), systemPrincipals });
  const report = tuneReport({ result, logs: positionals, ...(baseText !== undefined ? { baseText, baseName: policyFile as string } : {}), checkOptions });
  out.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : report.policy);

  if (read.errors.length > 0) return 2;
  const failed = report.checks.lintErrors.length > 0 || report.checks.sensitiveDataWarnings.length > 0 || report.checks.budgetMet === false;
  if (failed) err.write('k8s-audit: the proposal fails a check or the budget; see the comments at its top\n');
  return failed ? 1 : 0;
}
