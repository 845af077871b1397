import { severityName } from '../../policy/checks/diagnostic';
import { policyDiagnostics, type PolicyCheckOptions } from '../../policy/checks/policyDiagnostics';
import { levelRank } from '../../policy/types';
import { perDay } from '../report';
import { simulatePolicy, type Simulation } from '../simulate';
import { formatBytes, formatShare } from '../../protocol/wording';
import type { TuneResult } from './proposeTune';
import { renderIntoPolicy, renderPolicy, type CommentedRule } from './renderProposal';
import { DEFAULT_RULES, MUST_LOG_RULES } from './starterPolicy';
import type { TuneReport } from '../../protocol/simulation';

export type { TuneReport };

export interface TuneReportInput {
  result: TuneResult;
  logs: string[];
  /** The given policy's text (kept as written, new rules inserted) and name. */
  baseText?: string;
  baseName?: string;
  checkOptions?: PolicyCheckOptions;
}

const count = (n: number) => n.toLocaleString('en-US');

export function tuneReport(input: TuneReportInput): TuneReport {
  const { result } = input;
  const sample = result.simulation.sample;
  const seconds = sample.seconds;
  const day = (bytes: number) => perDay(bytes, seconds);
  const shape = result.shape;
  const simulation = result.simulation;
  const droppedAtMetadata = droppedVolume(result);

  // Comments above rules: why the rule is there, and what it takes of this traffic.
  const share = (index: number): string => {
    const stats = simulation.rules[index]!;
    if (stats.requests === 0) return 'Matches no request of this log.';
    const requests = formatShare(sample.rows ? stats.requests / sample.rows : 0);
    if (levelRank(simulation.policy.rules[index]!.level) === 0) return `Drops ${requests} of the requests (${formatBytes(day(droppedAtMetadata[index]!) ?? droppedAtMetadata[index]!)}${seconds > 0 ? '/day' : ''} at Metadata).`;
    return `${requests} of the requests, ${formatShare(simulation.totals.bytes ? stats.bytes / simulation.totals.bytes : 0)} of the volume (${seconds > 0 ? `${formatBytes(day(stats.bytes)!)}/day` : formatBytes(stats.bytes)}).`;
  };
  const why: (string | null)[] = [];
  const headWhy = input.baseText ? [MUST_LOG_RULES[0]!.why] : MUST_LOG_RULES.map((r) => r.why);
  shape.head.forEach((_, i) => why.push(headWhy[i] ?? null));
  shape.noise.forEach((n, i) => why.push(i > 0 && shape.noise[i - 1]!.candidate === n.candidate ? null : n.candidate.why));
  shape.tail.forEach((_, i) => why.push(input.baseText ? null : (DEFAULT_RULES[i]?.why ?? null)));
  const commented = (index: number): string[] => [...(why[index] ? [why[index]!] : []), share(index)];
  const omitOutcome = result.outcomes.find((o) => o.accepted && o.candidate.omitStages);
  const omitStages = omitOutcome ? { stages: shape.omitStages, comment: [`${omitOutcome.candidate.why} Saves ${saved(omitOutcome.savedBytes, seconds)}.`] } : null;

  const cutFromCatchAll = cut(simulation, result.catchAll);
  const unknownBodies = simulation.totals.unknownBodyRequests;
  const header = [
    `Audit policy proposed by k8s-audit tune from ${input.logs.join(', ')}: ${count(sample.rows)} requests${seconds > 0 ? ` over ${describeSpan(seconds)}` : ''}.`,
    `Estimated volume: ${volume(simulation, seconds)}; a Metadata catch-all: ${volume(result.catchAll, seconds)}; cut: ${formatShare(cutFromCatchAll)}.` +
      (result.base ? ` ${input.baseName ?? 'The given policy'}: ${volume(result.base, seconds)}; cut: ${formatShare(cut(simulation, result.base))}.` : ''),
  ];
  if (unknownBodies > 0) header.push(`Not counted: the bodies of ${count(unknownBodies)} request(s) this policy logs with bodies, of kinds this log has no body for (it was written below that level); the real volume is higher and the cut smaller.`);
  const kept = result.outcomes.filter((o) => !o.accepted && o.reason !== 'saves nothing here');
  for (const o of kept) header.push(`Kept: ${o.candidate.title.toLowerCase()}, because ${o.reason}.`);
  if (result.sensitiveExemptions > 0) header.push(`${count(result.sensitiveExemptions)} request(s) to Secrets, ConfigMaps or tokens that a detector would read the bodies of stay at Metadata (CIS 3.2.2: bodies would copy secret values into the log).`);

  const ownRules = shape.tail.map((_, i) => shape.head.length + shape.noise.length + i);
  const insertedRules: CommentedRule[] = [...shape.head, ...shape.noise.map((n) => n.rule)].map((rule, index) => ({ rule, comment: commented(index) }));
  const allRules: CommentedRule[] = simulation.policy.rules.map((rule, index) => ({ rule, comment: commented(index) }));
  const checksHeader = (text: string) => checkLines(text, result, input.checkOptions);
  const render = (extra: string[]) => {
    const head = [...header, ...extra];
    if (input.baseText) {
      const addOmit = omitStages && !(result.base?.policy.omitStages ?? []).includes('RequestReceived') ? omitStages : null;
      const inserted = renderIntoPolicy(input.baseText, head, addOmit, insertedRules, ownRules.map((i) => [share(i)]));
      if (inserted !== undefined) return inserted;
    }
    return renderPolicy(head, omitStages, allRules);
  };
  const draft = render([]);
  const checks = checksHeader(draft);
  const policy = render(checks.lines);

  return {
    policy,
    logs: input.logs,
    window: { from: iso(sample.firstTime), to: iso(sample.lastTime), seconds },
    estimate: {
      bytesPerDay: day(simulation.totals.bytes),
      eventsPerDay: day(simulation.totals.events),
      catchAllBytesPerDay: day(result.catchAll.totals.bytes),
      cutFromCatchAll,
      ...(result.base ? { baseBytesPerDay: day(result.base.totals.bytes), cutFromBase: cut(simulation, result.base) } : {}),
      unknownBodyRequests: unknownBodies,
    },
    rules: simulation.policy.rules.map((rule, index) => ({ index, level: rule.level, why: why[index] ?? null, requests: simulation.rules[index]!.requests, bytesPerDay: day(simulation.rules[index]!.bytes), share: simulation.totals.bytes ? simulation.rules[index]!.bytes / simulation.totals.bytes : 0 })),
    candidates: result.outcomes.map((o) => ({ id: o.candidate.id, title: o.candidate.title, accepted: o.accepted, savedBytesPerDay: day(o.savedBytes), reason: o.reason })),
    checks: { ...checks.result, cisGaps: result.cisGaps, detectorGaps: result.detectorGaps, sensitiveExemptions: result.sensitiveExemptions, budgetMet: result.budgetMet },
  };
}

/** The proposal through the linter: what kube-apiserver and the checks say of the text as written. */
function checkLines(text: string, result: TuneResult, options: PolicyCheckOptions = {}): { lines: string[]; result: { lintErrors: string[]; sensitiveDataWarnings: string[] } } {
  const diagnostics = policyDiagnostics('file:///proposed-audit-policy.yaml', text, { ...options, assumePolicy: true }) ?? [];
  const message = (d: (typeof diagnostics)[number]) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`;
  const lintErrors = diagnostics.filter((d) => severityName(d.severity) === 'error').map(message);
  const sensitiveDataWarnings = diagnostics.filter((d) => d.code === 'sensitive-data-logged').map(message);
  const parts = [
    lintErrors.length === 0 ? 'kube-apiserver loads it (k8s-audit lint: no errors' : `k8s-audit lint finds ${lintErrors.length} error(s) (`,
    sensitiveDataWarnings.length === 0 ? 'no sensitive-data warning)' : `${sensitiveDataWarnings.length} sensitive-data warning(s))`,
  ];
  const lines = [`Checked: ${parts.join(', ')}; CIS 3.2.2 ${result.cisGaps.length === 0 ? 'covered' : `gaps: ${result.cisGaps.join(', ')}`}; ${result.detectorGaps === 0 ? 'every enabled detector gets the requests it reads at the level it needs' : `${count(result.detectorGaps)} request(s) are logged below the level an enabled detector needs`}.`];
  if (result.budgetMet === false) lines.push('The budget is not met: what remains is must-log traffic (see the shares above each rule).');
  return { lines, result: { lintErrors, sensitiveDataWarnings } };
}

/** Per rule of the proposal: what the requests it drops cost at Metadata (for None rules' comments). */
function droppedVolume(result: TuneResult): number[] {
  const catchAll = simulatePolicy(result.catchAll.sample, result.catchAll.policy, { rowBytes: true });
  const dropped = new Array<number>(result.simulation.policy.rules.length).fill(0);
  const rows = result.simulation.ruleOfRow;
  for (let row = 0; row < rows.length; row++) if (rows[row]! >= 0) dropped[rows[row]!]! += catchAll.rowBytes![row]!;
  return dropped;
}

function cut(proposal: Simulation, from: Simulation): number {
  return from.totals.bytes > 0 ? 1 - proposal.totals.bytes / from.totals.bytes : 0;
}

function volume(simulation: Simulation, seconds: number): string {
  return seconds > 0 ? `${formatBytes(perDay(simulation.totals.bytes, seconds)!)}/day` : formatBytes(simulation.totals.bytes);
}

function saved(bytes: number, seconds: number): string {
  return seconds > 0 ? `${formatBytes(perDay(bytes, seconds)!)}/day` : formatBytes(bytes);
}

function describeSpan(seconds: number): string {
  if (seconds >= 2 * 86_400) return `${(seconds / 86_400).toFixed(1)} days`;
  if (seconds >= 3600) return `${(seconds / 3600).toFixed(1)} hours`;
  return `${Math.max(1, Math.round(seconds / 60))} minutes`;
}

function iso(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}
