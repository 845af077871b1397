import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { firstMatchingRule } from '../policy/match';
import { requestAttributesOf } from './requestAttributes';
import type { SimulationPolicy } from './simulationPolicy';

/** The rule of a policy that decides a logged request (0-based index and line), or null when none matches. */
export interface DecidingRule {
  index: number;
  line: number;
  level: string;
}

/** Which rule of `policy` decides the request this event is a stage of: traces a finding to its policy line. */
export function decidingRule(policy: SimulationPolicy, event: NormalizedEvent): DecidingRule | null {
  const match = firstMatchingRule(policy.policy, requestAttributesOf(event));
  if (match.ruleIndex === undefined) return null;
  return { index: match.ruleIndex, line: policy.ruleLines[match.ruleIndex] ?? 0, level: match.level };
}
