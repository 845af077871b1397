import {
  compileDetectors,
  compileWindowDetectors,
  severityRank,
  SEVERITIES,
  WindowScanner,
  type CompiledDetector,
  type CompiledWindowDetector,
  type DetectorDefinition,
  type DetectorFinding,
  type DetectorSelection,
  type DetectorSettingsError,
  type Severity,
} from '../auditlog/detectors';
import { execCommand } from '../auditlog/execCommand';
import { scannedDetectRequest, scannedWindowDetectors } from '../auditlog/index/scannedDecisions';
import { mayHaveBodies } from '../auditlog/reader/scannedEvent';
import { describeFormats, readLogSet, type LogSetResult } from '../auditlog/readLogSet';
import { readFile } from 'node:fs/promises';
import { cannotRead } from '../fileErrors';
import { decidingRule, type DecidingRule } from '../simulation/ruleOfEvent';
import { simulationPolicy, type SimulationPolicy } from '../simulation/simulationPolicy';
import { choice, parseArgs, UsageError } from './args';
import { readDetectorsOption } from './detectorSettingsOption';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { controllingOwner, resourcePath } from '../auditlog/requestTarget';
import { damagedFiles, reportReadProblems } from './readProblems';
import { scanSarif, scanText } from './scanOutput';
import { writeJson, type Output } from './jsonOutput';
import { scanStore } from '../store/storeScan';
import { CLICKHOUSE_OPTIONS, clickhouseTarget } from './clickhouseOption';

const FORMATS = ['text', 'json', 'sarif'] as const;
const NO_FAIL = 'none';

export interface Detection {
  detector: string;
  title: string;
  severity: Severity;
  file: string;
  line: number;
  auditID: string;
  user: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  command?: string;
  /** The workload a controller made this object for ("ReplicaSet web-7998647bdf"), when the body names one. */
  owner?: string;
  references: string[];
  /** With --policy: the rule of that policy that decides this request (secret values in the log); null when none logs it. */
  policyRule?: DecidingRule | null;
}

export interface ScanReport {
  files: string[];
  format: string;
  events: number;
  requests: number;
  skipped: { file: string; line: number; reason: string }[];
  /** Skipped records beyond the ones listed (the reader keeps details of the first 1000 per file). */
  skippedCount: number;
  detections: Detection[];
  summary: Record<string, number>;
  /** Findings not listed because they are below --min-severity (info, by default). */
  hiddenBelowMinSeverity: number;
  /** The --min-severity in effect, for the text that says what was hidden. */
  minSeverity: Severity;
  /** Requests a detector could not decide because the log level lacks the body it reads. */
  unknown: Record<string, { count: number; reason: string }>;
  errors: { file: string; message: string }[];
  /** Files with damaged bytes (a broken gzip stream, binary data) or that are not text: the results are partial. */
  damaged: string[];
  /** Problems in the --detectors FILE.json (those entries were skipped); absent when there were none. */
  detectorSettingsErrors?: DetectorSettingsError[];
  /** Per file: how it was read (framing, source formats, gzip) and what it held. */
  fileDetails: { file: string; bytes: number; gzip: boolean; framing: string; formats: Record<string, number>; events: number; skipped: number }[];
}

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

  const collector = new FindingCollector(minSeverity, failOn === NO_FAIL ? null : failOn, await readTracePolicy(options.get('policy')));
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
    result = await scanFiles(positionals, options, detectors, windowDetectors, collector, err);
  }

  const report = collector.report(result);
  if (settingsErrors.length > 0) report.detectorSettingsErrors = settingsErrors;
  if (format === 'json') await writeJson(report, out);
  else if (format === 'sarif') await writeJson(scanSarif(report, collector.definitions, result), out);
  else out.write(scanText(report, { grouped: !options.has('ungrouped') }));

  const readStatus = reportReadProblems(result, err, { details: false });
  if (readStatus !== 0) return readStatus;
  return collector.failing ? 1 : 0;
}

/** The detectors over log files, request by request as the reader completes them. */
async function scanFiles(
  positionals: string[],
  options: Map<string, string | true>,
  detectors: CompiledDetector[],
  windowDetectors: CompiledWindowDetector[],
  collector: FindingCollector,
  err: ProgressStream,
): Promise<LogSetResult> {
  const windows = new WindowScanner(scannedWindowDetectors(windowDetectors));
  const detect = scannedDetectRequest(detectors);
  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const result = await readLogSet(
    positionals,
    (request) => {
      collector.addAll(detect(request));
      windows.add(request);
    },
    // The collector and the window scanner keep values, not events: the field scanner's events may be read here only.
    { withRotated: options.has('with-rotated'), onProgress: progress.update, fieldScanner: true },
  );
  progress.done();
  // Bursts are known once every request is in (requests complete out of time order).
  collector.addAll(windows.finish());
  return result;
}

/**
 * Turns findings into report entries as requests complete, keeping only strings: holding the
 * findings themselves would keep every flagged event (bodies included) in memory until the end.
 */
class FindingCollector {
  readonly definitions = new Map<string, DetectorDefinition>();
  failing = false;
  /** In the key order of a Detection; `file` is the file's index until report() names it. */
  private readonly detections: (Omit<Detection, 'file'> & { file: number | string })[] = [];
  private readonly unknown: Record<string, { count: number; reason: string }> = {};
  private hidden = 0;

  constructor(
    private readonly minSeverity: Severity,
    private readonly failOn: Severity | null,
    /** --policy: secret values found in the log are traced to the rule of this policy that logs them. */
    private readonly policy?: SimulationPolicy,
  ) {}

  addAll(findings: DetectorFinding[]): void {
    for (const finding of findings) this.add(finding);
  }

  private add(finding: DetectorFinding): void {
    const detector = finding.detector;
    if (finding.outcome === 'hit' && this.failOn !== null && severityRank(detector.severity) >= severityRank(this.failOn)) this.failing = true;
    if (severityRank(detector.severity) < severityRank(this.minSeverity)) {
      if (finding.outcome === 'hit') this.hidden++;
      return;
    }
    if (finding.outcome === 'unknown') {
      const entry = (this.unknown[detector.id] ??= { count: 0, reason: finding.reason ?? '' });
      entry.count++;
      return;
    }
    this.definitions.set(detector.id, detector);
    const e = finding.event;
    const command = e.subresource === 'exec' || e.subresource === 'attach' ? execCommand(e.requestURI) : '';
    // Owners are named in bodies: a line the scanner knows has none is not decoded for it.
    const owner = mayHaveBodies(e) ? controllingOwner(e.event) : '';
    this.detections.push({
      detector: detector.id,
      title: detector.title,
      severity: detector.severity,
      line: e.line,
      auditID: e.auditID,
      user: e.user,
      verb: e.verb,
      resource: resourcePath(e),
      namespace: e.namespace,
      name: e.name,
      ...(command ? { command } : {}),
      ...(owner ? { owner } : {}),
      references: detector.references,
      ...(this.policy && detector.id === SECRET_VALUES_DETECTOR ? { policyRule: decidingRule(this.policy, e) } : {}),
      file: e.file,
    });
  }

  report(result: LogSetResult): ScanReport {
    // Requests complete out of order (long exec sessions last); report in file order. Sorted and named
    // in place: a scan of a few GB holds hundreds of thousands of them, once.
    const ordered = this.detections.sort((a, b) => (a.file as number) - (b.file as number) || a.line - b.line);
    for (const d of ordered) d.file = result.files[d.file as number]!;
    const summary: Record<string, number> = {};
    for (const d of ordered) summary[d.detector] = (summary[d.detector] ?? 0) + 1;
    return {
      files: result.files,
      format: describeFormats(result.summaries),
      events: result.events,
      requests: result.requests,
      skipped: result.summaries.flatMap((s) => s.skipped.map((k) => ({ file: result.files[k.file]!, line: k.line, reason: k.reason }))),
      skippedCount: result.summaries.reduce((sum, s) => sum + s.skippedCount, 0),
      detections: ordered as Detection[],
      summary,
      hiddenBelowMinSeverity: this.hidden,
      minSeverity: this.minSeverity,
      unknown: this.unknown,
      errors: result.errors,
      damaged: damagedFiles(result),
      fileDetails: result.summaries.map((s) => ({ file: s.path, bytes: s.bytes, gzip: s.gzip, framing: s.framing, formats: s.formats, events: s.events, skipped: s.skippedCount })),
    };
  }
}

const SECRET_VALUES_DETECTOR = 'secret-values-in-audit-log';

async function readTracePolicy(value: string | true | undefined): Promise<SimulationPolicy | undefined> {
  if (value === undefined) return undefined;
  if (value === true) throw new UsageError('--policy needs the audit policy file that wrote the log');
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    throw new Error(cannotRead(`policy ${value}`, error));
  }
  const policy = simulationPolicy(text);
  if (!policy || policy.policy.rules.length === 0) throw new Error(`${value} is not an audit policy with rules`);
  return policy;
}
