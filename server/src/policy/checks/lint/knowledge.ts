import type { Diagnostic } from 'vscode-languageserver-types';
import { severityName } from '../diagnostic';
import { ruleMatches } from '../../match';
import type { PolicyModel } from '../../yaml/model';
import { offsetOf } from '../../yaml/parse';
import type { SyntaxTrust } from '../syntaxTrust';
import type { Policy, RequestAttributes } from '../../types';

/**
 * What lint may rely on in a policy that has errors. kube-apiserver refuses such a file outright, so
 * findings describe the policy as it will behave once the errors are fixed. A rule with an error in it
 * (an invalid level, a type error, an invalid URL or group, ...) or cut by a YAML syntax error can become
 * anything when it is fixed: it is "unknown", and may match any request at any level. So:
 * - findings about one rule's own values still stand, on every rule;
 * - first-match findings stand when no unknown rule comes before the rule that decides (a later broken
 *   rule cannot change which earlier rule matches first);
 * - findings about the whole list (no catch-all, logs nothing, "no rule matches") need every rule known.
 */
export interface RuleKnowledge {
  /** unknown[i]: rule i has an error inside, is not a mapping, or is cut by a YAML syntax error. */
  readonly unknown: readonly boolean[];
  /** Every rule is known and none can hide behind a syntax error. */
  readonly complete: boolean;
}

/** A policy that loads without errors: every rule is what it says. */
export const EVERY_RULE_KNOWN: RuleKnowledge = { unknown: [], complete: true };

/** Rules whose node contains an error (by offset: aliased rules share the anchored node). */
export function ruleKnowledge(model: PolicyModel, diagnostics: readonly Diagnostic[], trust: SyntaxTrust | undefined): RuleKnowledge {
  const errorOffsets = diagnostics
    .filter((d) => severityName(d.severity) === 'error' && d.code !== 'yaml-syntax')
    .map((d) => offsetOf(model.parsed, d.range.start))
    .sort((a, b) => a - b);
  const unknown = model.rules.map((located, index) => {
    if (located.node.kind !== 'map') return true;
    if (trust && index >= trust.closedRules) return true;
    return containsAny(errorOffsets, located.node.start, located.node.end);
  });
  return { unknown, complete: (trust?.rulesComplete ?? true) && !unknown.includes(true) };
}

/** Whether a sorted list has a value in [start, end]. */
function containsAny(sorted: readonly number[], start: number, end: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < start) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && sorted[low]! <= end;
}

/** An unknown rule came first: it may match the request, so the first match is not known. */
export const UNKNOWN_MATCH = -1;

/**
 * The first-match evaluator's answer as far as it is known: the index of the first rule that matches,
 * undefined when none does (level None), or UNKNOWN_MATCH when an unknown rule comes before any match.
 * `candidates` (ascending) may skip rules that surely cannot match; unknown rules must stay in it.
 */
export function firstKnownMatch(policy: Policy, request: RequestAttributes, knowledge: RuleKnowledge, candidates?: readonly number[]): number | undefined {
  const count = candidates?.length ?? policy.rules.length;
  for (let k = 0; k < count; k++) {
    const index = candidates ? candidates[k]! : k;
    if (knowledge.unknown[index]) return UNKNOWN_MATCH;
    if (ruleMatches(policy.rules[index]!, request)) return index;
  }
  return undefined;
}
