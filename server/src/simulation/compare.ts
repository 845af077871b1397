import { levelRank, LEVELS, type PolicyRule } from '../policy/types';
import { UNMATCHED } from './ruleOfRow';
import type { Simulation } from './simulate';

/** A rule of the changed policy next to the same rule (same conditions and level) in the other one. */
export interface RuleChange {
  index: number;
  /** The same rule in the other policy, or null when it is new. */
  otherIndex: number | null;
  /** Paired by position, not content: the rule was edited in place. */
  edited: boolean;
  requests: number;
  events: number;
  bytes: number;
}

/** Requests of one kind whose level differs between the two policies. */
export interface LevelChange {
  verb: string;
  apiGroup: string;
  /** resource/subresource, or the URL path. */
  resource: string;
  from: string;
  to: string;
  requests: number;
  /** Bytes written under the changed policy minus under the other one. */
  bytes: number;
}

export interface PolicyComparison {
  /** Changed minus other, over the whole sample. */
  events: number;
  bytes: number;
  /** Rules of the changed policy (all of them), with the change against their counterpart. */
  rules: RuleChange[];
  /** Rules of the other policy that the changed one no longer has, with what they wrote. */
  removed: { otherIndex: number; requests: number; events: number; bytes: number }[];
  levelChanges: LevelChange[];
}

/**
 * What changes from `other` (the saved file, git HEAD, the cluster's current policy) to `changed`,
 * over the same sample. Both simulations need rowBytes. Rules are paired by content, in order, so
 * moving or inserting rules still compares each rule with itself.
 */
export function comparePolicies(changed: Simulation, other: Simulation): PolicyComparison {
  if (changed.sample !== other.sample) throw new Error('compare two simulations of the same sample');
  const pairs = pairRules(changed.policy.rules, other.policy.rules);
  const paired = new Set(pairs.filter((p): p is number => p !== null));
  const rules = changed.rules.map((stats, index): RuleChange => {
    const otherIndex = pairs[index]!;
    const before = otherIndex === null ? { requests: 0, events: 0, bytes: 0 } : other.rules[otherIndex]!;
    return { index, otherIndex, edited: otherIndex !== null && canonical(changed.policy.rules[index]) !== canonical(other.policy.rules[otherIndex]), requests: stats.requests - before.requests, events: stats.events - before.events, bytes: stats.bytes - before.bytes };
  });
  const removed = other.rules.flatMap((stats, otherIndex) => (paired.has(otherIndex) ? [] : [{ otherIndex, requests: stats.requests, events: stats.events, bytes: stats.bytes }]));
  return {
    events: changed.totals.events - other.totals.events,
    bytes: changed.totals.bytes - other.totals.bytes,
    rules,
    removed,
    levelChanges: levelChanges(changed, other),
  };
}

/**
 * For each rule of `a`, the index of an identical, not yet paired rule of `b` (the first one); then
 * a rule left over is paired with a left-over rule at the same position (edited in place); else null.
 */
function pairRules(a: readonly PolicyRule[], b: readonly PolicyRule[]): (number | null)[] {
  const free = new Map<string, number[]>();
  b.forEach((rule, index) => {
    const key = canonical(rule);
    free.set(key, [...(free.get(key) ?? []), index]);
  });
  const pairs = a.map((rule) => free.get(canonical(rule))?.shift() ?? null);
  const taken = new Set(pairs.filter((p): p is number => p !== null));
  return pairs.map((pair, index) => (pair === null && index < b.length && !taken.has(index) ? index : pair));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function levelOf(simulation: Simulation, row: number): number {
  const rule = simulation.ruleOfRow[row]!;
  return rule === UNMATCHED ? 0 : levelRank(simulation.policy.rules[rule]!.level);
}

function levelChanges(changed: Simulation, other: Simulation): LevelChange[] {
  const sample = changed.sample;
  const changedBytes = changed.rowBytes;
  const otherBytes = other.rowBytes;
  if (!changedBytes || !otherBytes) throw new Error('comparePolicies needs simulations with rowBytes');
  const byKey = new Map<string, LevelChange>();
  for (let row = 0; row < sample.rows; row++) {
    const to = levelOf(changed, row);
    const from = levelOf(other, row);
    if (to === from) continue;
    const kind = sample.kindOf(row);
    const key = `${kind.attrs.verb}\u0000${kind.attrs.apiGroup ?? ''}\u0000${kind.target}\u0000${from}\u0000${to}`;
    let change = byKey.get(key);
    if (!change) {
      change = { verb: kind.attrs.verb, apiGroup: kind.attrs.apiGroup ?? '', resource: kind.target, from: LEVELS[from]!, to: LEVELS[to]!, requests: 0, bytes: 0 };
      byKey.set(key, change);
    }
    change.requests++;
    change.bytes += changedBytes[row]! - otherBytes[row]!;
  }
  return [...byKey.values()].sort((a, b) => Math.abs(b.bytes) - Math.abs(a.bytes) || b.requests - a.requests);
}
