// `k8s-audit scan` on a file read in parts (auditlog/splitRead/): each part's worker decides its
// requests with the same detectors and collector as the one-thread scan and sends the report entries
// and window candidates as JSON bytes; this thread adds them in part order, as if it had read them.
import {
  compileDetectors,
  compileWindowDetectors,
  WindowScanner,
  type DetectorDefinition,
  type DetectorFinding,
  type DetectorSelection,
  type Severity,
  type WindowCandidate,
} from '../auditlog/detectors';
import { scannedDetectRequest, scannedWindowDetectors } from '../auditlog/index/scannedDecisions';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import type { AuditRequest } from '../auditlog/requests';
import type { PartSink, SplitConsumer } from '../auditlog/splitRead/partProtocol';
import { simulationPolicy } from '../simulation/simulationPolicy';
import { FindingCollector, type DetectionEntry, type FindingTotals } from './findingCollector';

/** What a scan part's worker is told: the detectors and how findings are collected. */
export interface ScanWork {
  command: 'scan';
  selection: DetectorSelection;
  minSeverity: Severity;
  failOn: Severity | null;
  /** --policy, as text (the worker makes its own SimulationPolicy of it). */
  policyText?: string;
}

/** A batch: entries and window candidates (detector number first) of requests in completion order; the last one has the totals. */
interface ScanBatch {
  entries: DetectionEntry[];
  candidates: [number, WindowCandidate<NormalizedEvent>][];
  totals?: FindingTotals;
}

/** The one-thread scan's work on each request: findings to the collector, candidates to the window scanner. */
export class ScanRequests {
  readonly detect: (request: AuditRequest) => DetectorFinding[];
  readonly windows: WindowScanner;

  constructor(
    selection: DetectorSelection,
    readonly collector: FindingCollector,
  ) {
    this.detect = scannedDetectRequest(compileDetectors(selection));
    this.windows = new WindowScanner(scannedWindowDetectors(compileWindowDetectors(selection)));
  }

  add(request: AuditRequest): void {
    this.collector.addAll(this.detect(request));
    this.windows.add(request);
  }
}

/** The worker's side: the same decisions, the entries and candidates sent instead of kept. */
export function scanPartSink(work: ScanWork): PartSink {
  const policy = work.policyText === undefined ? undefined : (simulationPolicy(work.policyText) ?? undefined);
  const requests = new ScanRequests(work.selection, new FindingCollector(work.minSeverity, work.failOn, policy));
  let candidates: ScanBatch['candidates'] = [];
  return {
    add(request) {
      requests.collector.addAll(requests.detect(request));
      requests.windows.candidatesOf(request, (detector, candidate) => candidates.push([detector, candidate]));
    },
    take(final) {
      const batch: ScanBatch = { entries: requests.collector.takeEntries(), candidates, ...(final ? { totals: requests.collector.totals() } : {}) };
      candidates = [];
      if (!final && batch.entries.length === 0 && batch.candidates.length === 0) return null;
      return new Uint8Array(Buffer.from(JSON.stringify(batch), 'utf8'));
    },
  };
}

/** This thread's side: the parts' batches added to the scan's collector and window scanner in part order. */
export function scanSplitConsumer(requests: ScanRequests, definitions: ReadonlyMap<string, DetectorDefinition>): SplitConsumer {
  const parts: ScanBatch[][] = [];
  return {
    absorb(part, data) {
      (parts[part] ??= []).push(JSON.parse(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8')) as ScanBatch);
      return null;
    },
    partEnded() {},
    partsDone(lineBases) {
      parts.forEach((batches, part) => {
        for (const batch of batches) {
          requests.collector.addEntries(batch.entries, lineBases[part]!);
          for (const [detector, candidate] of batch.candidates) {
            candidate.item.line += lineBases[part]!;
            requests.windows.addCandidate(detector, candidate);
          }
          if (batch.totals) requests.collector.addTotals(batch.totals, definitions);
        }
      });
    },
  };
}
