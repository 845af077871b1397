import {
  compileDetectors,
  compileWindowDetectors,
  detectRequest,
  severityRank,
  SEVERITIES,
  WindowScanner,
  type DetectorDefinition,
  type CompiledDetector,
  type CompiledWindowDetector,
  type DetectorFinding,
  type DetectorSelection,
  type DetectorSettingsError,
  type Severity,
} from '../auditlog/detectors';
import { execCommand } from '../auditlog/execCommand';
import { describeFormats, readLogSet, type LogSetResult } from '../auditlog/readLogSet';
import { PRODUCT_VERSION } from '../version';
import { choice, parseArgs, UsageError } from './args';
import { readDetectorsOption } from './detectorSettingsOption';
import { progressReporter, type ProgressStream } from '../auditlog/progressLine';
import { resourcePath } from '../auditlog/requestTarget';
import { scanStore } from '../store/storeScan';
import { CLICKHOUSE_OPTIONS, clickhouseTarget } from './clickhouseOption';

type Writable = { write(text: string): unknown };

const FORMATS = ['text', 'json', 'sarif'] as const;
const NO_FAIL = 'none';

interface Detection {
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
  references: string[];
}

interface ScanReport {
  files: string[];
  format: string;
  events: number;
  requests: number;
  skipped: { file: string; line: number; reason: string }[];
  /** Skipped records beyond the ones listed (the reader keeps details of the first 1000 per file). */
  skippedCount: number;
  detections: Detection[];
  summary: Record<string, number>;
  /** Requests a detector could not decide because the log level lacks the body it reads. */
  unknown: Record<string, { count: number; reason: string }>;
  errors: { file: string; message: string }[];
  /** Problems in the --detectors FILE.json (those entries were skipped); absent when there were none. */
  detectorSettingsErrors?: DetectorSettingsError[];
  /** Per file: how it was read (framing, source formats, gzip) and what it held. */
  fileDetails: { file: string; bytes: number; gzip: boolean; framing: string; formats: Record<string, number>; events: number; skipped: number }[];
}

/**
 * `k8s-audit scan LOG...`: runs the detectors over audit logs. Exit 0, or 1 when a detection reaches
 * --fail-on, or 2 when a file cannot be read (usage errors throw UsageError, also 2).
 */
export async function runScan(argv: string[], out: Writable, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, ['format', 'min-severity', 'fail-on', 'detectors', ...CLICKHOUSE_OPTIONS], ['progress', 'with-rotated', 'include-disabled']);
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const minSeverity = choice(options.get('min-severity'), SEVERITIES, 'low', 'min-severity');
  const failOn = choice(options.get('fail-on'), [...SEVERITIES, NO_FAIL] as const, NO_FAIL, 'fail-on');
  const store = clickhouseTarget(options);
  if (store && positionals.length > 0) throw new UsageError('scan --clickhouse reads the table, not LOG files: drop the file names');
  if (!store && positionals.length === 0) throw new UsageError('scan needs at least one LOG file (or --clickhouse URL)');
  const { catalogs, ids, settingsErrors } = await readDetectorsOption(options.get('detectors'), err);

  // Detectors below --min-severity still run when --fail-on asks for them; they are just not listed.
  const lowest = failOn !== NO_FAIL && severityRank(failOn) < severityRank(minSeverity) ? failOn : minSeverity;
  const selection: DetectorSelection = { minSeverity: lowest, includeDisabled: options.has('include-disabled'), ...(ids ? { ids } : {}), ...catalogs };
  const detectors = compileDetectors(selection);
  const windowDetectors = compileWindowDetectors(selection);
  if (ids && detectors.length === 0 && windowDetectors.length === 0) throw new UsageError(`no detector matches --detectors ${ids.join(',')}`);
  const collector = new FindingCollector(minSeverity, failOn === NO_FAIL ? null : failOn);
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
  if (format === 'json') out.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(toSarif(report, collector.definitions), null, 2)}\n`);
  else out.write(toText(report));

  if (result.errors.length > 0) return 2;
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
  const windows = new WindowScanner(windowDetectors);
  const progress = progressReporter(err, options.has('progress') || err.isTTY === true);
  const result = await readLogSet(
    positionals,
    (request) => {
      collector.addAll(detectRequest(request, detectors));
      windows.add(request);
    },
    { withRotated: options.has('with-rotated'), onProgress: progress.update },
  );
  progress.done();
  // Bursts are known once every request is in (requests complete out of time order).
  collector.addAll(windows.finish());
  for (const error of result.errors) err.write(`k8s-audit: cannot read ${error.file}: ${error.message}\n`);
  return result;
}

/**
 * Turns findings into report entries as requests complete, keeping only strings: holding the
 * findings themselves would keep every flagged event (bodies included) in memory until the end.
 */
class FindingCollector {
  readonly definitions = new Map<string, DetectorDefinition>();
  failing = false;
  private readonly detections: (Omit<Detection, 'file'> & { fileIndex: number })[] = [];
  private readonly unknown: Record<string, { count: number; reason: string }> = {};

  constructor(
    private readonly minSeverity: Severity,
    private readonly failOn: Severity | null,
  ) {}

  addAll(findings: DetectorFinding[]): void {
    for (const finding of findings) this.add(finding);
  }

  private add(finding: DetectorFinding): void {
    const detector = finding.detector;
    if (finding.outcome === 'hit' && this.failOn !== null && severityRank(detector.severity) >= severityRank(this.failOn)) this.failing = true;
    if (severityRank(detector.severity) < severityRank(this.minSeverity)) return;
    if (finding.outcome === 'unknown') {
      const entry = (this.unknown[detector.id] ??= { count: 0, reason: finding.reason ?? '' });
      entry.count++;
      return;
    }
    this.definitions.set(detector.id, detector);
    const e = finding.event;
    const command = e.subresource === 'exec' || e.subresource === 'attach' ? execCommand(e.requestURI) : '';
    this.detections.push({
      detector: detector.id,
      title: detector.title,
      severity: detector.severity,
      fileIndex: e.file,
      line: e.line,
      auditID: e.auditID,
      user: e.user,
      verb: e.verb,
      resource: resourcePath(e),
      namespace: e.namespace,
      name: e.name,
      ...(command ? { command } : {}),
      references: detector.references,
    });
  }

  report(result: LogSetResult): ScanReport {
    // Requests complete out of order (long exec sessions last); report in file order.
    const ordered = [...this.detections].sort((a, b) => a.fileIndex - b.fileIndex || a.line - b.line);
    const summary: Record<string, number> = {};
    for (const d of ordered) summary[d.detector] = (summary[d.detector] ?? 0) + 1;
    return {
      files: result.files,
      format: describeFormats(result.summaries),
      events: result.events,
      requests: result.requests,
      skipped: result.summaries.flatMap((s) => s.skipped.map((k) => ({ file: result.files[k.file]!, line: k.line, reason: k.reason }))),
      skippedCount: result.summaries.reduce((sum, s) => sum + s.skippedCount, 0),
      detections: ordered.map(({ fileIndex, ...d }) => ({ ...d, file: result.files[fileIndex]! })),
      summary,
      unknown: this.unknown,
      errors: result.errors,
      fileDetails: result.summaries.map((s) => ({ file: s.path, bytes: s.bytes, gzip: s.gzip, framing: s.framing, formats: s.formats, events: s.events, skipped: s.skippedCount })),
    };
  }
}

function toText(report: ScanReport): string {
  const lines: string[] = [];
  for (const d of report.detections) {
    const target = [d.namespace, d.name].filter((s) => s !== '').join('/');
    const what = `${d.user || '(no user)'} ${d.verb} ${d.resource}${target ? ` ${target}` : ''}${d.command ? ` command: ${d.command}` : ''}`;
    lines.push(`${d.file}:${d.line}: ${d.severity} ${d.title} [${d.detector}] ${what}`);
  }
  for (const s of report.skipped) lines.push(`${s.file}:${s.line}: skipped: ${s.reason}`);
  if (report.skippedCount > report.skipped.length) lines.push(`… and ${report.skippedCount - report.skipped.length} more skipped record(s)`);
  const unknownByReason = new Map<string, string[]>();
  for (const [id, u] of Object.entries(report.unknown)) unknownByReason.set(u.reason, [...(unknownByReason.get(u.reason) ?? []), `${id} ${u.count}`]);
  for (const [reason, entries] of unknownByReason) lines.push(`unknown, ${reason}: ${entries.join(', ')}`);
  const counts = Object.entries(report.summary)
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  lines.push(
    `${report.files.length} file(s) (${report.format}): ${report.events} event(s), ${report.requests} request(s), ${report.skippedCount} skipped; ` +
      `${report.detections.length} detection(s)${counts ? `: ${counts}` : ''}`,
  );
  return `${lines.map(printable).join('\n')}\n`;
}

/** Log values are attacker-controlled: never let them send terminal control sequences. */
function printable(line: string): string {
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f\u009b]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const SARIF_LEVEL: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

function toSarif(report: ScanReport, definitions: ReadonlyMap<string, DetectorDefinition>) {
  const ruleIds = [...new Set(report.detections.map((d) => d.detector))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'k8s-audit',
            version: PRODUCT_VERSION,
            rules: ruleIds.map((id) => {
              const d = definitions.get(id)!;
              return { id, name: d.title, shortDescription: { text: d.title }, fullDescription: { text: d.description }, help: { text: d.remediation }, properties: { severity: d.severity, references: d.references } };
            }),
          },
        },
        results: report.detections.map((d) => ({
          ruleId: d.detector,
          level: SARIF_LEVEL[d.severity],
          message: { text: `${d.title}: ${d.user || '(no user)'} ${d.verb} ${d.resource} ${[d.namespace, d.name].filter(Boolean).join('/')}`.trim() },
          locations: [{ physicalLocation: { artifactLocation: { uri: d.file.split('\\').join('/') }, region: { startLine: d.line } } }],
          partialFingerprints: { auditID: d.auditID },
        })),
      },
    ],
  };
}
