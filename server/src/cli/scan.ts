import { compileDetectors, compileWindowDetectors, SEVERITIES, type DetectorSelection } from '../auditlog/detectors';
import { readLogSet, type LogSetResult } from '../auditlog/readLogSet';
import { readFile } from 'node:fs/promises';
import { cannotRead } from '../fileErrors';
import type { SimulationPolicy } from '../simulation/simulationPolicy';
import { choice, parseArgs, UsageError } from './args';
import { readDetectorsOption } from './detectorSettingsOption';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { reportReadProblems } from './readProblems';
import { scanSarif, scanText } from './scanOutput';
import { writeJson, type Output } from './jsonOutput';
import { scanStore } from '../store/storeScan';
import { CLICKHOUSE_OPTIONS, clickhouseTarget } from './clickhouseOption';
import { FindingCollector } from './findingCollector';
import { ScanRequests, scanSplitConsumer, tracePolicy, type ScanWork } from './scanPart';
import { splitRead } from './splitOption';

export type { Detection, ScanReport } from './findingCollector';

const FORMATS = ['text', 'json', 'sarif'] as const;
const NO_FAIL = 'none';

/**
 * `k8s-audit scan LOG...`: runs the detectors over audit logs. Exit 0; 1 when a detection reaches
 * --fail-on; 2 when a file cannot be read (usage errors throw UsageError, also 2); 3 when some input
 * was damaged. The first of 2, 3, 1 that applies wins: a partial scan must not look like a verdict.
 */
export async function runScan(argv: string[], out: Output, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['format', 'min-severity', 'fail-on', 'detectors', 'policy', ...CLICKHOUSE_OPTIONS], ['progress', 'with-rotated', 'include-disabled', 'ungrouped']);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const minSeverity = choice(options.get('min-severity'), SEVERITIES, 'low', 'min-severity');
  const failOn = choice(options.get('fail-on'), [...SEVERITIES, NO_FAIL] as const, NO_FAIL, 'fail-on');
  const store = clickhouseTarget(options);
  if (store && positionals.length > 0) throw new UsageError('scan --clickhouse reads the table, not LOG files: drop the file names');
  if (!store && positionals.length === 0) throw new UsageError('scan needs at least one LOG file (or --clickhouse URL)');
  const { catalogs, ids, settingsErrors } = await readDetectorsOption(options.get('detectors'), err);

  // Every severity runs: findings below --min-severity are counted (the summary says how many were
  // hidden) and still count for --fail-on; they are just not listed.
  const selection: DetectorSelection = { includeDisabled: options.has('include-disabled'), ...(ids ? { ids } : {}), ...catalogs };
  const detectors = compileDetectors(selection);
  const windowDetectors = compileWindowDetectors(selection);
  if (ids && detectors.length === 0 && windowDetectors.length === 0) throw new UsageError(`no detector matches --detectors ${ids.join(',')}`);

  const trace = await readTracePolicy(options.get('policy'));
  const work: ScanWork = { command: 'scan', selection, minSeverity, failOn: failOn === NO_FAIL ? null : failOn, ...(trace ? { policyText: trace.text } : {}) };
  const collector = new FindingCollector(work.minSeverity, work.failOn, trace?.policy);
  // The report's entries may wait in a temporary file (FindingCollector.addRun), removed whatever happens.
  try {
    let result: LogSetResult;
    if (store) {
      try {
        const scanned = await scanStore(store.client, store.target, detectors, windowDetectors);
        collector.addAll(scanned.findings);
        result = { files: [`clickhouse:${store.target.table}`], summaries: [], errors: [], events: scanned.events, requests: scanned.requests };
      } finally {
        store.close();
      }
    } else {
      result = await scanFiles(positionals, options, work, new ScanRequests(detectors, windowDetectors, collector), err);
    }

    const report = collector.report(result);
    if (settingsErrors.length > 0) report.detectorSettingsErrors = settingsErrors;
    if (format === 'json') await writeJson(report, out);
    else if (format === 'sarif') await writeJson(scanSarif(report, collector.definitions, result), out);
    else out.write(scanText(report, { grouped: !options.has('ungrouped') }));

    const readStatus = reportReadProblems(result, err, { details: false });
    if (readStatus !== 0) return readStatus;
    return collector.failing ? 1 : 0;
  } finally {
    collector.close();
  }
}

/**
 * The detectors over log files, request by request as the reader completes them; one big file in
 * parts, each decided in its own worker (scanPart.ts).
 */
async function scanFiles(positionals: string[], options: Map<string, string | true>, work: ScanWork, requests: ScanRequests, err: ProgressStream): Promise<LogSetResult> {
  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const result = await readLogSet(
    positionals,
    (request) => requests.add(request),
    // The collector and the window scanner keep values, not events: the field scanner's events may be read here only.
    { withRotated: options.has('with-rotated'), onProgress: progress.update, fieldScanner: true, split: splitRead(work, scanSplitConsumer(requests)) },
  );
  progress.done();
  // Bursts are known once every request is in (requests complete out of time order).
  requests.collector.addAll(requests.windows.finish());
  return result;
}

async function readTracePolicy(value: string | true | undefined): Promise<{ policy: SimulationPolicy; text: string } | undefined> {
  if (value === undefined) return undefined;
  if (value === true) throw new UsageError('--policy needs the audit policy file that wrote the log');
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    throw new Error(cannotRead(`policy ${value}`, error));
  }
  const policy = tracePolicy(text);
  if (!policy || policy.policy.rules.length === 0) throw new Error(`${value} is not an audit policy with rules`);
  return { policy, text };
}
