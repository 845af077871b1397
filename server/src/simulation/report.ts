import type { LogSetResult } from '../auditlog/readLogSet';
import { LEVELS, levelRank } from '../policy/types';
import type { PolicyComparison } from './compare';
import type { Simulation } from './simulate';
import type { SimulationPolicy } from './simulationPolicy';
import { STAGE_BITS, type TrafficSample } from './trafficSample';
import { formatShare } from '../protocol/wording';
import type { CompareReport, ReadReport, RuleReport, SimulationReport } from '../protocol/simulation';

export type { CompareReport, ReadReport, RuleReport, SimulationReport };

export function readReport(read: LogSetResult): ReadReport {
  return {
    files: read.files,
    events: read.events,
    requests: read.requests,
    skippedCount: read.summaries.reduce((sum, s) => sum + s.skippedCount, 0),
    skipped: read.summaries.flatMap((s) => s.skipped.map((k) => ({ file: read.files[k.file] ?? s.path, line: k.line, reason: k.reason }))),
    errors: read.errors,
  };
}

export interface ReportInput {
  policyName: string;
  logs: string[];
  policy: SimulationPolicy;
  simulation: Simulation;
  compare?: { policyName: string; policy: SimulationPolicy; simulation: Simulation; comparison: PolicyComparison };
  read?: LogSetResult;
}

export function perDay(bytes: number, seconds: number): number | null {
  return seconds > 0 ? (bytes * 86_400) / seconds : null;
}

export function simulationReport(input: ReportInput): SimulationReport {
  const { simulation, policy } = input;
  const sample = simulation.sample;
  const seconds = sample.seconds;
  const totals = simulation.totals;
  const line = (rule: number) => policy.ruleLines[rule] ?? 0;
  const rules: RuleReport[] = simulation.rules.map((stats, index) => {
    const rule: RuleReport = {
      index,
      line: line(index),
      level: policy.policy.rules[index]!.level,
      requests: stats.requests,
      events: stats.events,
      bytes: Math.round(stats.bytes),
      bytesPerDay: perDay(stats.bytes, seconds),
      share: totals.bytes > 0 ? stats.bytes / totals.bytes : 0,
      requestShare: sample.rows > 0 ? stats.requests / sample.rows : 0,
      dead: stats.requests === 0,
      unknownBodyRequests: stats.unknownBodyRequests,
      estimatedBytes: Math.round(stats.estimatedBytes),
    };
    const top = simulation.top?.[index];
    if (top) rule.top = top;
    return rule;
  });
  const byLevel = Object.fromEntries(LEVELS.map((level) => [level, { ...simulation.byLevel[level], bytes: Math.round(simulation.byLevel[level].bytes), bytesPerDay: perDay(simulation.byLevel[level].bytes, seconds) }]));
  const report: SimulationReport = {
    policy: input.policyName,
    logs: input.logs,
    window: { from: isoOrNull(sample.firstTime), to: isoOrNull(sample.lastTime), seconds },
    totals: {
      requests: sample.rows,
      loggedRequests: simulation.rules.reduce((sum, stats, index) => sum + (levelRank(policy.policy.rules[index]!.level) > 0 && stats.events > 0 ? stats.requests : 0), 0),
      events: totals.events,
      bytes: Math.round(totals.bytes),
      bytesPerDay: perDay(totals.bytes, seconds),
      byLevel,
      estimatedBytes: Math.round(totals.estimatedBytes),
      lowerBound: totals.unknownBodyRequests > 0,
    },
    rules,
    unmatched: simulation.unmatched,
    exposures: simulation.exposures.map((e) => ({ rule: e.rule, line: line(e.rule), resource: e.resource, verb: e.verb, requests: e.requests })),
    secretValues: simulation.secretValues.map((s) => ({ rule: s.rule < 0 ? null : s.rule, line: s.rule < 0 ? null : line(s.rule), resource: s.resource, verb: s.verb, requests: s.requests, stillLogged: s.stillLogged })),
    unknown: {
      requests: totals.unknownBodyRequests,
      estimatedBodyRequests: totals.estimatedBodyRequests,
      missingStageEvents: totals.missingStageEvents,
      rules: simulation.rules.flatMap((stats, rule) => (stats.unknownBodyRequests > 0 ? [{ rule, line: line(rule), requests: stats.unknownBodyRequests }] : [])),
      notes: sampleNotes(simulation, policy.minor),
    },
    policyErrors: policy.errors.map((d) => ({ line: d.range.start.line, message: typeof d.message === 'string' ? d.message : d.message.value })),
  };
  if (input.compare) report.compare = compareReport(input.compare, seconds, line);
  if (input.read) report.read = readReport(input.read);
  return report;
}

function compareReport(compare: NonNullable<ReportInput['compare']>, seconds: number, line: (rule: number) => number): CompareReport {
  const { comparison, simulation: other, policy } = compare;
  const otherLine = (rule: number) => policy.ruleLines[rule] ?? 0;
  const from = other.totals;
  return {
    policy: compare.policyName,
    events: { from: from.events, to: from.events + comparison.events, change: comparison.events },
    bytesPerDay: { from: perDay(from.bytes, seconds), to: perDay(from.bytes + comparison.bytes, seconds), change: perDay(comparison.bytes, seconds) },
    rules: comparison.rules.map((r) => ({ index: r.index, line: line(r.index), otherIndex: r.otherIndex, otherLine: r.otherIndex === null ? null : otherLine(r.otherIndex), edited: r.edited, events: r.events, bytesPerDay: perDay(r.bytes, seconds) })),
    removed: comparison.removed.map((r) => ({ otherIndex: r.otherIndex, otherLine: otherLine(r.otherIndex), requests: r.requests, events: r.events, bytesPerDay: perDay(r.bytes, seconds) })),
    levelChanges: comparison.levelChanges.map((c) => ({ verb: c.verb, apiGroup: c.apiGroup, resource: c.resource, from: c.from, to: c.to, requests: c.requests, bytesPerDay: perDay(c.bytes, seconds) })),
  };
}

const count = (n: number) => n.toLocaleString('en-US');

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** What the sample cannot tell, said plainly. */
function sampleNotes(simulation: Simulation, minor: number): string[] {
  const sample: TrafficSample = simulation.sample;
  const notes = ["The log holds only what the cluster's own policy logged: requests it did not log are not in this sample, so their volume cannot be judged."];
  if (sample.rows === 0) return [...notes, 'The log holds no requests.'];
  const levels = [0, 0, 0, 0];
  for (let row = 0; row < sample.rows; row++) levels[sample.loggedLevel.data[row]!]!++;
  const withoutBodies = levels[0]! + levels[1]!;
  const totals = simulation.totals;
  if (totals.unknownBodyRequests > 0) {
    notes.push(
      `${count(totals.unknownBodyRequests)} request(s) would be logged with bodies, but ${formatShare(withoutBodies / sample.rows)} of this log was written without bodies and no similar request shows one: only their metadata is counted, so the totals are a lower bound.`,
    );
  }
  if (totals.estimatedBodyRequests > 0) notes.push(`${count(totals.estimatedBodyRequests)} request(s) have body sizes estimated from logged bodies of the same group, resource and verb.`);
  if (totals.missingStageEvents > 0) {
    const lacking = ['RequestReceived', 'ResponseStarted'].filter((stage) => (sample.stagesSeen & STAGE_BITS[stage]!) === 0);
    const why = lacking.length > 0 ? ` (this log has no ${lacking.join(' or ')} events: the cluster's policy omits them)` : '';
    notes.push(`${count(totals.missingStageEvents)} event(s) are for stages the log does not show${why}; each is sized like its request's smallest logged event.`);
  }
  if (sample.seconds === 0) notes.push('The log spans no time, so there are no per-day figures.');
  const versions = [...sample.clusterVersions.keys()].sort();
  const checked = `1.${minor}`;
  if (versions.length > 0 && !versions.includes(checked)) {
    notes.push(`The log comes from Kubernetes ${versions.join(', ')} (control-plane user agents); the policy was checked for ${checked} (--kubernetes-version or the k8sAudit.kubernetesVersion setting).`);
  }
  return notes;
}
