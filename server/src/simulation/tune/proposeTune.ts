import { cisCoverage } from '../../policy/checks/lint/cis';
import type { Policy, PolicyRule } from '../../policy/types';
import { levelRank } from '../../policy/types';
import { UNMATCHED } from '../ruleOfRow';
import { simulatePolicy, type Simulation } from '../simulate';
import type { SimulationPolicy } from '../simulationPolicy';
import type { TrafficSample } from '../trafficSample';
import { LOWER_BODIES, noiseCandidates, OMIT_REQUEST_RECEIVED, systemUserTest, type Candidate } from './candidates';
import { DEFAULT_RULES, MUST_LOG_RULES } from './starterPolicy';

export interface TuneOptions {
  /** The policy to tune (`--policy P`); without it tune starts from the starter policy. */
  base?: SimulationPolicy;
  /** Stop dropping once the estimate is at or under this many bytes per day. */
  budgetBytesPerDay?: number;
  /** Users that are the platform itself (the detectors' editable allowlist). */
  systemPrincipals?: readonly string[];
}

/** The parts a proposal is assembled from: must-logs, then the accepted noise rules, then the rest. */
export interface ProposalShape {
  omitStages: string[];
  head: PolicyRule[];
  noise: { rule: PolicyRule; candidate: Candidate }[];
  tail: PolicyRule[];
  omitManagedFields?: boolean;
}

export interface CandidateOutcome {
  candidate: Candidate;
  accepted: boolean;
  /** Bytes the candidate saved over the sample when it was tried (0 when rejected before). */
  savedBytes: number;
  reason: string;
}

export interface TuneResult {
  shape: ProposalShape;
  policy: Policy;
  simulation: Simulation;
  /** The policy tuned (P), or null for the starter. */
  base: Simulation | null;
  /** A Metadata catch-all over the same sample: what "log everything at Metadata" costs. */
  catchAll: Simulation;
  outcomes: CandidateOutcome[];
  /** Requests the proposal logs below the level an enabled detector needs (sensitive objects excepted). */
  detectorGaps: number;
  /** Requests of sensitive objects a detector would like with bodies; kept at Metadata (CIS 3.2.2). */
  sensitiveExemptions: number;
  cisGaps: string[];
  budgetMet: boolean | null;
}

export function assemble(shape: ProposalShape): Policy {
  const policy: Policy = { rules: [...shape.head, ...shape.noise.map((n) => n.rule), ...shape.tail] };
  if (shape.omitStages.length > 0) policy.omitStages = shape.omitStages;
  if (shape.omitManagedFields !== undefined) policy.omitManagedFields = shape.omitManagedFields;
  return policy;
}

/**
 * Proposes a policy for the traffic in the sample: the must-logs first (or the given policy as it
 * is, behind a sensitive-objects-at-Metadata rule when it logs secret values), then noise rules tried one by one, biggest saving first. A candidate is kept only when it
 * saves bytes, leaves every request an enabled detector needs at the level it needs (the sample's
 * neededLevel; sensitive objects excepted, CIS keeps them at Metadata), and keeps CIS 3.2.2 coverage.
 * With a budget, candidates stop once the estimate fits.
 */
export function proposeTune(sample: TrafficSample, options: TuneOptions = {}): TuneResult {
  const isSystem = systemUserTest(options.systemPrincipals);
  const base = options.base;
  const shape: ProposalShape = base
    ? { omitStages: [...(base.policy.omitStages ?? [])], head: base.logsSecretValues ? [MUST_LOG_RULES[0]!.rule] : [], noise: [], tail: [...base.policy.rules], ...(base.policy.omitManagedFields !== undefined ? { omitManagedFields: base.policy.omitManagedFields } : {}) }
    : { omitStages: [], head: MUST_LOG_RULES.map((r) => r.rule), noise: [], tail: DEFAULT_RULES.map((r) => r.rule) };
  const candidates = [...noiseCandidates(sample, isSystem)];
  if (!shape.omitStages.includes('RequestReceived')) candidates.push(OMIT_REQUEST_RECEIVED);
  if (base) candidates.push(...LOWER_BODIES);

  const catchAll = simulatePolicy(sample, { rules: [{ level: 'Metadata' }] });
  let current = simulatePolicy(sample, assemble(shape));
  const baseSimulation = base ? current : null;
  const covered = new Set(cisCoverage(current.policy).filter((v) => v.ok).map((v) => `${v.concern}/${v.verb}`));
  let gaps = detectorGapRows(current);
  const outcomes: CandidateOutcome[] = [];
  const budget = options.budgetBytesPerDay;
  const perDay = (simulation: Simulation) => (sample.seconds > 0 ? (simulation.totals.bytes * 86_400) / sample.seconds : simulation.totals.bytes);

  // Biggest saving first, each measured alone against the starting point.
  const ranked = candidates
    .map((candidate) => ({ candidate, saving: current.totals.bytes - simulatePolicy(sample, assemble(withCandidate(shape, candidate))).totals.bytes }))
    .sort((a, b) => b.saving - a.saving);
  for (const { candidate } of ranked) {
    if (budget !== undefined && perDay(current) <= budget) {
      outcomes.push({ candidate, accepted: false, savedBytes: 0, reason: 'not needed: the estimate is within the budget' });
      continue;
    }
    const next = withCandidate(shape, candidate);
    const simulation = simulatePolicy(sample, assemble(next));
    const saved = current.totals.bytes - simulation.totals.bytes;
    // Lowering a level whose bodies the log does not show saves an unknown amount: still a saving.
    const fewerUnknownBodies = simulation.totals.unknownBodyRequests < current.totals.unknownBodyRequests;
    if (saved < 0 || (saved === 0 && !fewerUnknownBodies)) {
      outcomes.push({ candidate, accepted: false, savedBytes: saved, reason: 'saves nothing here' });
      continue;
    }
    const nextGaps = detectorGapRows(simulation);
    const newGap = firstNewGap(gaps, nextGaps);
    if (newGap >= 0) {
      const kind = sample.kindOf(newGap);
      outcomes.push({ candidate, accepted: false, savedBytes: saved, reason: `an enabled detector needs requests it would drop (e.g. ${kind.attrs.verb} ${kind.target} by ${kind.attrs.user?.name ?? 'an unauthenticated client'})` });
      continue;
    }
    const lost = cisCoverage(simulation.policy).find((v) => !v.ok && covered.has(`${v.concern}/${v.verb}`));
    if (lost) {
      outcomes.push({ candidate, accepted: false, savedBytes: saved, reason: `it would lose CIS 3.2.2 coverage of ${lost.concern} (${lost.verb})` });
      continue;
    }
    Object.assign(shape, next);
    current = simulation;
    gaps = nextGaps;
    outcomes.push({ candidate, accepted: true, savedBytes: saved, reason: '' });
  }

  const gapCount = gaps.reduce((sum, g) => sum + g, 0);
  return {
    shape,
    policy: current.policy,
    simulation: current,
    base: baseSimulation,
    catchAll,
    outcomes,
    detectorGaps: gapCount,
    sensitiveExemptions: sensitiveExemptions(current),
    cisGaps: cisCoverage(current.policy).filter((v) => !v.ok).map((v) => `${v.concern} (${v.verb}: ${v.level})`),
    budgetMet: budget === undefined ? null : perDay(current) <= budget,
  };
}

function withCandidate(shape: ProposalShape, candidate: Candidate): ProposalShape {
  return {
    ...shape,
    omitStages: candidate.omitStages ? [...new Set([...shape.omitStages, ...candidate.omitStages])] : shape.omitStages,
    noise: [...shape.noise, ...candidate.rules.map((rule) => ({ rule, candidate }))],
  };
}

function levelOfRow(simulation: Simulation, row: number): number {
  const rule = simulation.ruleOfRow[row]!;
  return rule === UNMATCHED ? 0 : levelRank(simulation.policy.rules[rule]!.level);
}

/** Per row, 1 when the policy logs it below what a detector needs (sensitive objects, kept at Metadata by CIS, excepted). */
function detectorGapRows(simulation: Simulation): Uint8Array {
  const sample = simulation.sample;
  const gaps = new Uint8Array(sample.rows);
  const needed = sample.neededLevel.data;
  for (let row = 0; row < sample.rows; row++) {
    if (needed[row]! === 0 || sample.kindOf(row).sensitive >= 0) continue;
    if (levelOfRow(simulation, row) < needed[row]!) gaps[row] = 1;
  }
  return gaps;
}

function firstNewGap(before: Uint8Array, after: Uint8Array): number {
  for (let row = 0; row < after.length; row++) if (after[row] === 1 && before[row] === 0) return row;
  return -1;
}

function sensitiveExemptions(simulation: Simulation): number {
  const sample = simulation.sample;
  let count = 0;
  for (let row = 0; row < sample.rows; row++) {
    if (sample.kindOf(row).sensitive >= 0 && levelOfRow(simulation, row) < sample.neededLevel.data[row]!) count++;
  }
  return count;
}
