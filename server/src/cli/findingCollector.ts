import { severityRank, type DetectorDefinition, type DetectorFinding, type DetectorSettingsError, type Severity } from '../auditlog/detectors';
import { execCommand } from '../auditlog/execCommand';
import { mayHaveBodies } from '../auditlog/reader/scannedEvent';
import { describeFormats, type LogSetResult } from '../auditlog/readLogSet';
import { controllingOwner, resourcePath } from '../auditlog/requestTarget';
import { decidingRule, type DecidingRule } from '../simulation/ruleOfEvent';
import type { SimulationPolicy } from '../simulation/simulationPolicy';
import { damagedFiles } from './readProblems';
import { DetectionTextWriter, type DetectionRun, type EntryFields } from './detectionText';
import { DetectionList } from './detectionList';
import { SpillFile } from './spillFile';

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
  /** In file and line order; written to a JSON report as the text it was made as (detectionList.ts). */
  detections: DetectionList;
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

/** The totals of a collector besides its entries (a part's, sent from its worker as JSON). */
export interface FindingTotals {
  failing: boolean;
  hidden: number;
  unknown: Record<string, { count: number; reason: string }>;
  /** Ids of the detectors with listed findings. */
  definitions: string[];
}

/** Entries collected before the files' names are known (made text in report()). */
type Pending = { detector: DetectorDefinition; fields: EntryFields }[];

/**
 * Turns findings into report entries as requests complete, keeping only strings: holding the
 * findings themselves would keep every flagged event (bodies included) in memory until the end.
 */
export class FindingCollector {
  readonly definitions = new Map<string, DetectorDefinition>();
  failing = false;
  /** The entries in the order found: runs of text (a worker's, or made here), or entries kept to be made text. */
  private readonly found: (DetectionRun | Pending)[] = [];
  private readonly texts = new DetectionTextWriter();
  private readonly spills: SpillFile[] = [];
  private readonly unknown: Record<string, { count: number; reason: string }> = {};
  private hidden = 0;

  constructor(
    private readonly minSeverity: Severity,
    private readonly failOn: Severity | null,
    /** --policy: secret values found in the log are traced to the rule of this policy that logs them. */
    private readonly policy?: SimulationPolicy,
    /** A file's name by its index, when known while reading (a worker's part): entries are made text as found. */
    private readonly fileName?: (file: number) => string,
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
    const fields: EntryFields = {
      line: e.line,
      auditID: e.auditID,
      user: e.user,
      verb: e.verb,
      resource: resourcePath(e),
      namespace: e.namespace,
      name: e.name,
      command,
      owner,
      ...(this.policy && detector.id === SECRET_VALUES_DETECTOR ? { policyRule: decidingRule(this.policy, e) } : {}),
      file: e.file,
    };
    if (this.fileName) {
      this.texts.add(detector, fields, this.fileName(fields.file));
      return;
    }
    let pending = this.found.at(-1);
    if (pending === undefined || !Array.isArray(pending)) this.found.push((pending = []));
    pending.push({ detector, fields });
  }

  /** Entries made text since the last take (a worker's, with a file name known). */
  get textCount(): number {
    return this.texts.count;
  }

  /** The entries made text since the last take, as a run for the owning thread (its bytes valid until the next add). */
  takeRun(): DetectionRun {
    return this.texts.take();
  }

  totals(): FindingTotals {
    return { failing: this.failing, hidden: this.hidden, unknown: this.unknown, definitions: [...this.definitions.keys()] };
  }

  /** Another collector's entries (a worker's run), as if its findings came here next. */
  addRun(run: DetectionRun): void {
    this.found.push(run);
  }

  /**
   * A temporary file for a worker's entries (their text waits there for the report instead of in
   * memory beside the workers': 1 GB, 350-400 MB peak otherwise), removed by close(); null when none
   * can be made.
   */
  spillFile(): SpillFile | null {
    try {
      const spill = new SpillFile();
      this.spills.push(spill);
      return spill;
    } catch {
      return null;
    }
  }

  /** Removes the temporary files (once the report is written). */
  close(): void {
    for (const spill of this.spills.splice(0)) spill.close();
  }

  /** Another collector's totals, as if its findings came here next (an unknown's reason is its first). */
  addTotals(totals: FindingTotals, definitions: ReadonlyMap<string, DetectorDefinition>): void {
    this.failing ||= totals.failing;
    this.hidden += totals.hidden;
    for (const [id, { count, reason }] of Object.entries(totals.unknown)) {
      const entry = (this.unknown[id] ??= { count: 0, reason });
      entry.count += count;
    }
    for (const id of totals.definitions) this.definitions.set(id, definitions.get(id)!);
  }

  report(result: LogSetResult): ScanReport {
    // Requests complete out of order (long exec sessions last); the list is in file order.
    const runs = this.found.map((found) => {
      if (!Array.isArray(found)) return found;
      for (const { detector, fields } of found) this.texts.add(detector, fields, result.files[fields.file]!);
      const run = this.texts.take();
      return { ...run, bytes: run.bytes.slice() };
    });
    const detections = new DetectionList(runs);
    return {
      files: result.files,
      format: describeFormats(result.summaries),
      events: result.events,
      requests: result.requests,
      skipped: result.summaries.flatMap((s) => s.skipped.map((k) => ({ file: result.files[k.file]!, line: k.line, reason: k.reason }))),
      skippedCount: result.summaries.reduce((sum, s) => sum + s.skippedCount, 0),
      detections,
      summary: detections.summary,
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

