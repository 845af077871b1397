import { SENSITIVE_TARGETS } from '../policy/checks/lint/levels';
import { unionStages } from '../policy/match';
import { LEVELS, levelRank, type Level, type Policy } from '../policy/types';
import { rulesOfRows, UNMATCHED } from './ruleOfRow';
import { cellsOf, rowValues, type RowValues } from './cells';
import { FINAL_STAGES, STAGE_BITS, UNKNOWN_SIZE, type TrafficSample } from './trafficSample';
import type { Contributor } from '../protocol/simulation';

export type { Contributor };

/** What one rule (or all unmatched requests) would write over the sample. */
export interface VolumeStats {
  requests: number;
  events: number;
  /** Measured bytes plus the stated estimates (estimatedBytes is the part that is estimated). */
  bytes: number;
  estimatedBytes: number;
  /** Requests whose bodies the rule would log but whose size nothing in the log tells: only their metadata is counted. */
  unknownBodyRequests: number;
  /** Requests whose body size is estimated from measured bodies of the same (group, resource, verb). */
  estimatedBodyRequests: number;
  /** Events for stages the log does not show (the cluster's policy omitted them), sized like the request's logged events. */
  missingStageEvents: number;
}

export interface TopContributors {
  users: Contributor[];
  userAgents: Contributor[];
  resources: Contributor[];
  verbs: Contributor[];
}

/** Requests to sensitive resources the policy would log with the bodies that hold the secret. */
export interface Exposure {
  rule: number;
  resource: string;
  verb: string;
  requests: number;
}

/** Requests whose logged bodies already hold secret values (the secret-values detector's hits), and the rule of this policy that decides them. */
export interface SecretValuesTrace {
  rule: number;
  resource: string;
  verb: string;
  requests: number;
  /** Whether this policy would still log those bodies. */
  stillLogged: boolean;
}

export interface Simulation {
  sample: TrafficSample;
  policy: Policy;
  /** Per row: the index of the first matching rule, or UNMATCHED. */
  ruleOfRow: Int32Array;
  ruleOfKind: Int32Array;
  /** Index-aligned with policy.rules. */
  rules: VolumeStats[];
  /** Requests no rule matches (not logged); `events` are the events they have in the log. */
  unmatched: { requests: number; events: number };
  totals: VolumeStats;
  byLevel: Record<Level, { requests: number; events: number; bytes: number }>;
  exposures: Exposure[];
  secretValues: SecretValuesTrace[];
  /** Per rule, when asked for. */
  top?: TopContributors[];
  /** Per row: bytes written (measured and estimated), when asked for (top or rowBytes). */
  rowBytes?: Float64Array;
}

export interface SimulateOptions {
  /** Also rank each rule's top users, user agents, resources and verbs (costs a pass over the rows). */
  top?: number;
  /** Keep each row's bytes (comparing two policies needs them). */
  rowBytes?: boolean;
}

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];
const RECEIVED = STAGE_BITS.RequestReceived!;
const STARTED = STAGE_BITS.ResponseStarted!;

function emptyStats(): VolumeStats {
  return { requests: 0, events: 0, bytes: 0, estimatedBytes: 0, unknownBodyRequests: 0, estimatedBodyRequests: 0, missingStageEvents: 0 };
}

function stageMask(stages: readonly string[]): number {
  let mask = 0;
  for (const stage of stages) mask |= STAGE_BITS[stage] ?? 0;
  return mask;
}

/**
 * Replays the sample through a policy: per request the first matching rule (policy/match.ts), its
 * level, the stages it writes (the union of the policy's and the rule's omitStages taken from the
 * stages the request has), and their bytes: the logged events' metadata as measured, bodies as
 * measured, else estimated from the same (group, resource, verb), else unknown (metadata only, a
 * lower bound). Stages the log does not show but the policy writes are sized like the request's own
 * smallest logged event, and counted as estimated.
 */
export function simulatePolicy(sample: TrafficSample, policy: Policy, options: SimulateOptions = {}): Simulation {
  const { ruleOfRow, ruleOfKind, namedRows } = rulesOfRows(sample, policy);
  const ruleCount = policy.rules.length;
  const ranks = policy.rules.map((rule) => levelRank(rule.level));
  const omits = policy.rules.map((rule) => stageMask(unionStages(policy.omitStages, rule.omitStages)));
  const rules = policy.rules.map(emptyStats);
  const totals = emptyStats();
  const byLevel = Object.fromEntries(LEVELS.map((level) => [level, { requests: 0, events: 0, bytes: 0 }])) as Simulation['byLevel'];
  const levelOfRule = policy.rules.map((rule) => byLevel[rule.level as Level]);
  const unmatched = { requests: 0, events: 0 };
  const exposures = new Map<string, Exposure>();
  const secretValues = new Map<string, SecretValuesTrace>();
  const kinds = sample.kinds;
  const classes = sample.bodyClasses;

  /**
   * What rule `r` writes for `rows` requests of one kind, logged stages and body knowledge, given
   * their summed sizes; added to the statistics `sign` times (-1 takes rows back out of a cell).
   * Returns the bytes, estimates included.
   */
  const contribute = (r: number, kindId: number, mask: number, requestKnown: boolean, responseKnown: boolean, rows: number, s0: number, s1: number, s2: number, s3: number, smallest: number, requestBytes: number, responseBytes: number, sign: number, record: boolean): number => {
    if (r === UNMATCHED) {
      if (record) {
        unmatched.requests += sign * rows;
        unmatched.events += sign * rows * POPCOUNT[mask]!;
        byLevel.None.requests += sign * rows;
      }
      return 0;
    }
    const stats = rules[r]!;
    const rank = ranks[r]!;
    if (record) stats.requests += sign * rows;
    if (rank === 0) {
      if (record) byLevel.None.requests += sign * rows;
      return 0;
    }
    const kind = kinds[kindId]!;
    const written = (mask | RECEIVED | (kind.longRunning ? STARTED : 0)) & ~omits[r]!;
    const present = written & mask;
    let bytes = ((present & 1) !== 0 ? s0 : 0) + ((present & 2) !== 0 ? s1 : 0) + ((present & 4) !== 0 ? s2 : 0) + ((present & 8) !== 0 ? s3 : 0);
    const missing = POPCOUNT[written & ~mask]!;
    let estimated = missing * smallest;
    let unknownBody = false;
    let estimatedBody = false;
    const withBodies = (present & FINAL_STAGES) !== 0 && kind.attrs.resourceRequest && rank >= 2;
    if (withBodies) {
      const bodyClass = classes[kind.bodyClass]!;
      if (requestKnown) bytes += requestBytes;
      else if (bodyClass.requestCount > 0) {
        estimated += (rows * bodyClass.requestBytes) / bodyClass.requestCount;
        estimatedBody = true;
      } else unknownBody = true;
      if (rank >= 3) {
        if (responseKnown) bytes += responseBytes;
        else if (bodyClass.responseCount > 0) {
          estimated += (rows * bodyClass.responseBytes) / bodyClass.responseCount;
          estimatedBody = true;
        } else unknownBody = true;
      }
    }
    if (record) {
      const events = sign * rows * POPCOUNT[written]!;
      stats.events += events;
      stats.bytes += sign * (bytes + estimated);
      stats.estimatedBytes += sign * estimated;
      stats.missingStageEvents += sign * rows * missing;
      if (unknownBody) stats.unknownBodyRequests += sign * rows;
      else if (estimatedBody) stats.estimatedBodyRequests += sign * rows;
      const level = levelOfRule[r]!;
      level.requests += sign * rows;
      level.events += events;
      level.bytes += sign * (bytes + estimated);
      if (withBodies && kind.sensitive >= 0) noteExposure(exposures, r, kind.sensitive, kind.target, kind.attrs.verb, rank, sign * rows);
    }
    return bytes + estimated;
  };

  const cells = cellsOf(sample);
  for (let cell = 0; cell < cells.count; cell++) {
    const at = cell * 4;
    const sizes = cells.stageBytes;
    contribute(ruleOfKind[cells.kind[cell]!]!, cells.kind[cell]!, cells.mask[cell]!, cells.requestKnown[cell] === 1, cells.responseKnown[cell] === 1, cells.rows[cell]!, sizes[at]!, sizes[at + 1]!, sizes[at + 2]!, sizes[at + 3]!, cells.smallest[cell]!, cells.requestBytes[cell]!, cells.responseBytes[cell]!, 1, true);
  }
  // Rows whose object name a rule lists may go to another rule than their kind: move them.
  const values: RowValues = { rows: 1, stageBytes: [0, 0, 0, 0], smallest: 0, requestBytes: 0, responseBytes: 0 };
  const rowContribution = (row: number, rule: number, sign: number, record: boolean): number => {
    const v = rowValues(sample, row, values);
    const s = v.stageBytes;
    return contribute(rule, sample.kind.data[row]!, sample.stages.data[row]!, sample.requestBody.data[row] !== UNKNOWN_SIZE, sample.responseBody.data[row] !== UNKNOWN_SIZE, 1, s[0], s[1], s[2], s[3], v.smallest, v.requestBytes, v.responseBytes, sign, record);
  };
  for (const row of namedRows) {
    const own = ruleOfRow[row]!;
    const kindRule = ruleOfKind[sample.kind.data[row]!]!;
    if (own === kindRule) continue;
    rowContribution(row, kindRule, -1, true);
    rowContribution(row, own, 1, true);
  }
  // Secret values already in the log: few rows, traced one by one. They are still written if the
  // rule logs at least the level that recorded them.
  for (const row of sample.secretRows) {
    const r = ruleOfRow[row]!;
    const kind = sample.kindOf(row);
    traceSecretValues(secretValues, r, kind.target, kind.attrs.verb, r !== UNMATCHED && ranks[r]! >= Math.max(2, sample.loggedLevel.data[row]!));
  }

  let rowBytes: Float64Array | undefined;
  if (options.top || options.rowBytes) {
    rowBytes = new Float64Array(sample.rows);
    for (let row = 0; row < sample.rows; row++) rowBytes[row] = rowContribution(row, ruleOfRow[row]!, 1, false);
  }

  for (const stats of rules) {
    totals.requests += stats.requests;
    totals.events += stats.events;
    totals.bytes += stats.bytes;
    totals.estimatedBytes += stats.estimatedBytes;
    totals.unknownBodyRequests += stats.unknownBodyRequests;
    totals.estimatedBodyRequests += stats.estimatedBodyRequests;
    totals.missingStageEvents += stats.missingStageEvents;
  }
  totals.requests += unmatched.requests;
  const simulation: Simulation = {
    sample,
    policy,
    ruleOfRow,
    ruleOfKind,
    rules,
    unmatched,
    totals,
    byLevel,
    exposures: [...exposures.values()].filter((e) => e.requests > 0).sort((a, b) => a.rule - b.rule || b.requests - a.requests),
    secretValues: [...secretValues.values()].sort((a, b) => a.rule - b.rule || b.requests - a.requests),
  };
  if (rowBytes) simulation.rowBytes = rowBytes;
  if (rowBytes && options.top) simulation.top = topContributors(sample, ruleOfRow, rowBytes, ruleCount, options.top);
  return simulation;
}

function noteExposure(exposures: Map<string, Exposure>, rule: number, sensitive: number, resource: string, verb: string, rank: number, requests: number): void {
  const target = SENSITIVE_TARGETS[sensitive]!;
  // Only the bodies that hold the secret count: a Request-level get of a secret logs no value.
  const holds = target.inRequest.includes(verb) || (rank >= 3 && target.inResponse.includes(verb));
  if (!holds) return;
  const key = `${rule}\u0000${resource}\u0000${verb}`;
  const known = exposures.get(key);
  if (known) known.requests += requests;
  else exposures.set(key, { rule, resource, verb, requests });
}

function traceSecretValues(traces: Map<string, SecretValuesTrace>, rule: number, resource: string, verb: string, stillLogged: boolean): void {
  const key = `${rule}\u0000${resource}\u0000${verb}`;
  const known = traces.get(key);
  if (known) known.requests++;
  else traces.set(key, { rule, resource, verb, requests: 1, stillLogged });
}

/** Each rule's biggest users, user agents, resources and verbs by bytes written (requests break ties). */
function topContributors(sample: TrafficSample, ruleOfRow: Int32Array, rowBytes: Float64Array, ruleCount: number, count: number): TopContributors[] {
  type Tally = Map<string, Contributor>;
  const tallies = Array.from({ length: ruleCount }, () => ({ users: new Map() as Tally, userAgents: new Map() as Tally, resources: new Map() as Tally, verbs: new Map() as Tally }));
  // Rows of one (rule, kind, agent) add up first: far fewer map updates than rows.
  const groups = new Map<number, { rule: number; kind: number; agent: number; requests: number; bytes: number }>();
  const kinds = sample.kind.data;
  const agents = sample.agent.data;
  const agentCount = Math.max(1, sample.agents.size);
  const kindCount = Math.max(1, sample.kinds.length);
  for (let row = 0; row < sample.rows; row++) {
    const rule = ruleOfRow[row]!;
    if (rule === UNMATCHED) continue;
    const key = (rule * kindCount + kinds[row]!) * agentCount + agents[row]!;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { rule, kind: kinds[row]!, agent: agents[row]!, requests: 0, bytes: 0 }));
    group.requests++;
    group.bytes += rowBytes[row]!;
  }
  const add = (tally: Tally, value: string, requests: number, bytes: number) => {
    const known = tally.get(value);
    if (known) {
      known.requests += requests;
      known.bytes += bytes;
    } else tally.set(value, { value, requests, bytes });
  };
  for (const group of groups.values()) {
    const kind = sample.kinds[group.kind]!;
    const tally = tallies[group.rule]!;
    add(tally.users, kind.attrs.user?.name ?? '(no user: authentication failed)', group.requests, group.bytes);
    add(tally.userAgents, sample.agents.strings[group.agent]!, group.requests, group.bytes);
    add(tally.resources, kind.target, group.requests, group.bytes);
    add(tally.verbs, kind.attrs.verb, group.requests, group.bytes);
  }
  const best = (tally: Tally) => [...tally.values()].sort((a, b) => b.bytes - a.bytes || b.requests - a.requests || (a.value < b.value ? -1 : 1)).slice(0, count);
  return tallies.map((t) => ({ users: best(t.users), userAgents: best(t.userAgents), resources: best(t.resources), verbs: best(t.verbs) }));
}
