// `k8s-audit scan` on a file read in parts (auditlog/splitRead/): each part's worker decides its
// requests with the same detectors and collector as the one-thread scan and sends the report entries
// (as their JSON text) and window candidates as bytes (scanBatch.ts); this thread adds them in part
// order, as if it had read them.
import {
  compileDetectors,
  compileWindowDetectors,
  WindowScanner,
  type CompiledDetector,
  type CompiledWindowDetector,
  type DetectorDefinition,
  type DetectorFinding,
  type DetectorSelection,
  type Severity,
  type WindowCandidate,
} from '../auditlog/detectors';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { scannedDetectRequest, scannedWindowDetectors } from '../auditlog/index/scannedDecisions';
import type { AuditRequest } from '../auditlog/requests';
import type { PartSink, SplitConsumer } from '../auditlog/splitRead/partProtocol';
import type { SimulationPolicy } from '../simulation/simulationPolicy';
import { FindingCollector } from './findingCollector';
import { readScanBatch, ScanBatchWriter } from './scanBatch';
import { SpillAppender, type SpillFile } from './spillFile';

/** What a scan part's worker is told: the detectors and how findings are collected. */
export interface ScanWork {
  command: 'scan';
  selection: DetectorSelection;
  minSeverity: Severity;
  failOn: Severity | null;
  /** --policy, as text (the worker makes its own SimulationPolicy of it). */
  policyText?: string;
  /** A part's: the descriptor of the temporary file its entries' text goes to (spillFile.ts); absent: in its batches. */
  spill?: number;
}

/** A batch goes out when it holds this many entries or candidates (fewer, larger messages). */
const BATCH_ENTRIES = 8192;
const BATCH_CANDIDATES = 2048;

/** The one-thread scan's work on each request: findings to the collector, candidates to the window scanner. */
export class ScanRequests {
  readonly detect: (request: AuditRequest) => DetectorFinding[];
  readonly windows: WindowScanner;
  /** The detectors' definitions by id (a worker's totals name its detectors). */
  readonly definitions: ReadonlyMap<string, DetectorDefinition>;

  constructor(
    detectors: readonly CompiledDetector[],
    windowDetectors: readonly CompiledWindowDetector[],
    readonly collector: FindingCollector,
  ) {
    this.detect = scannedDetectRequest(detectors);
    this.windows = new WindowScanner(scannedWindowDetectors(windowDetectors));
    this.definitions = new Map([...detectors, ...windowDetectors].map(({ definition }) => [definition.id, definition] as const));
  }

  add(request: AuditRequest): void {
    this.collector.addAll(this.detect(request));
    this.windows.add(request);
  }
}

/**
 * The --policy that secret values are traced to, from its text. Its parser (YAML, its JSON Schema) is
 * loaded only then: a scan, and each part's worker, starts ~15-20 ms sooner without it.
 */
export function tracePolicy(text: string): SimulationPolicy | undefined {
  return (require('../simulation/simulationPolicy') as typeof import('../simulation/simulationPolicy')).simulationPolicy(text);
}

/** The worker's side of the part of file `path`: the same decisions, the entries made text and the candidates encoded (scanBatch.ts) instead of kept. */
export function scanPartSink(work: ScanWork, path: string): PartSink {
  const policy = work.policyText === undefined ? undefined : tracePolicy(work.policyText);
  const batch = new ScanBatchWriter(work.spill === undefined ? null : new SpillAppender(work.spill));
  const collector = new FindingCollector(work.minSeverity, work.failOn, policy, () => path);
  const requests = new ScanRequests(compileDetectors(work.selection), compileWindowDetectors(work.selection), collector);
  return {
    add(request) {
      collector.addAll(requests.detect(request));
      requests.windows.candidatesOf(request, (detector, candidate) => batch.candidate(detector, candidate));
    },
    take(final) {
      if (final) return batch.take(collector.takeRun(), collector.totals());
      return collector.textCount >= BATCH_ENTRIES || batch.candidates >= BATCH_CANDIDATES ? batch.take(collector.takeRun()) : null;
    },
  };
}

/**
 * This thread's side: each batch's run of entries and candidates added to the scan's collector and
 * window scanner as it comes, in part order, while the workers read on. Each part writes its entries'
 * text to a temporary file of the collector's (read back when the report is written), or sends it.
 */
export function scanSplitConsumer(requests: ScanRequests): SplitConsumer {
  const spills = new Map<number, SpillFile>();
  const held: (() => [number, WindowCandidate<NormalizedEvent>][])[] = [];
  return {
    workFor(part, work) {
      const spill = requests.collector.spillFile();
      if (!spill) return work;
      spills.set(part, spill);
      return { ...(work as ScanWork), spill: spill.fd };
    },
    absorb(part, data, lineBase) {
      const { run, candidates, totals } = readScanBatch(data, lineBase, spills.get(part) ?? null);
      requests.collector.addRun(run);
      if (totals) requests.collector.addTotals(totals, requests.definitions);
      held.push(candidates);
      return null;
    },
    // Candidates are made objects once the workers are gone: this thread's heap stays small beside theirs.
    partsDone() {
      for (const candidates of held.splice(0)) for (const [detector, candidate] of candidates()) requests.windows.addCandidate(detector, candidate);
    },
  };
}
