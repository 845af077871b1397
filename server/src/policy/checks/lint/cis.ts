import type { Diagnostic } from 'vscode-languageserver-types';
import { FRESH } from '../../coverage';
import { diagnostic } from '../diagnostic';
import { keyRange, ruleAnchorRange, ruleLabel, type PolicyModel } from '../../yaml/model';
import type { Policy, RequestAttributes } from '../../types';
import { EVERY_RULE_KNOWN, firstKnownMatch, UNKNOWN_MATCH, type RuleKnowledge } from './knowledge';

/**
 * CIS Kubernetes Benchmark 3.2.2 ("the audit policy covers key security concerns", spec §7), judged
 * with real first-match semantics rather than a scan for resource names: for an ordinary
 * authenticated user (one no rule names), which rule decides each request, and at what level.
 */

interface Concern {
  label: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  verbs: string[];
  /** 'metadata': exactly Metadata (seen, but no bodies); 'logged': anything but None. */
  want: 'metadata' | 'logged';
}

export const CIS_CONCERNS: Concern[] = [
  { label: 'secrets', apiGroup: '', resource: 'secrets', subresource: '', verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], want: 'metadata' },
  { label: 'configmaps', apiGroup: '', resource: 'configmaps', subresource: '', verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'], want: 'metadata' },
  { label: 'tokenreviews', apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', subresource: '', verbs: ['create'], want: 'metadata' },
  { label: 'pods changes', apiGroup: '', resource: 'pods', subresource: '', verbs: ['create', 'update', 'patch', 'delete'], want: 'logged' },
  { label: 'deployments changes', apiGroup: 'apps', resource: 'deployments', subresource: '', verbs: ['create', 'update', 'patch', 'delete'], want: 'logged' },
  { label: 'pods/exec', apiGroup: '', resource: 'pods', subresource: 'exec', verbs: ['create', 'get'], want: 'logged' },
  { label: 'pods/portforward', apiGroup: '', resource: 'pods', subresource: 'portforward', verbs: ['create', 'get'], want: 'logged' },
  { label: 'pods/proxy', apiGroup: '', resource: 'pods', subresource: 'proxy', verbs: ['get', 'create'], want: 'logged' },
  { label: 'services/proxy', apiGroup: '', resource: 'services', subresource: 'proxy', verbs: ['get', 'create'], want: 'logged' },
];

export interface ConcernVerdict {
  concern: string;
  verb: string;
  level: string;
  ruleIndex: number | undefined;
  ok: boolean;
  /** False when an unknown rule (lint/knowledge.ts) comes before the deciding one: it may decide instead. */
  known: boolean;
}

/** Every (concern, verb) with the rule that decides it: the full coverage table (for hover or reports). */
export function cisCoverage(policy: Policy, knowledge: RuleKnowledge = EVERY_RULE_KNOWN): ConcernVerdict[] {
  const verdicts: ConcernVerdict[] = [];
  for (const concern of CIS_CONCERNS) {
    for (const verb of concern.verbs) {
      const request: RequestAttributes = {
        user: { name: FRESH, groups: ['system:authenticated'] },
        verb,
        resourceRequest: true,
        apiGroup: concern.apiGroup,
        resource: concern.resource,
        subresource: concern.subresource,
        namespace: concern.apiGroup === 'authentication.k8s.io' ? '' : FRESH,
        name: ['create', 'list', 'watch'].includes(verb) && concern.subresource === '' ? '' : FRESH,
      };
      const ruleIndex = firstKnownMatch(policy, request, knowledge);
      const known = ruleIndex !== UNKNOWN_MATCH;
      const level = ruleIndex === undefined || !known ? 'None' : policy.rules[ruleIndex]!.level;
      const ok = concern.want === 'metadata' ? level === 'Metadata' : level !== 'None' && level !== '';
      verdicts.push({ concern: concern.label, verb, level, ruleIndex: known ? ruleIndex : undefined, ok, known });
    }
  }
  return verdicts;
}

export function cisDiagnostics(model: PolicyModel, knowledge: RuleKnowledge): Diagnostic[] {
  const rulesEntry = model.root?.byKey.get('rules');
  if (!rulesEntry || model.rules.length === 0) return [];
  const verdicts = cisCoverage(model.policy, knowledge);
  const covered: string[] = [];
  /** Gaps grouped by the rule that decides them (-1: no rule matches), so one rule gets one note. */
  const gaps = new Map<number, { texts: string[]; concerns: string[] }>();
  for (const concern of CIS_CONCERNS) {
    const mine = verdicts.filter((v) => v.concern === concern.label);
    // Only what is known: a gap decided before any unknown rule, or a concern covered in full.
    const bad = mine.filter((v) => v.known && !v.ok);
    if (bad.length === 0) {
      if (mine.every((v) => v.known)) covered.push(`${concern.label} (${describeDeciders(model, mine)})`);
      continue;
    }
    const expectation = concern.want === 'metadata' ? 'should be logged at Metadata only' : 'should be logged';
    const decider = bad.find((v) => v.ruleIndex !== undefined)?.ruleIndex ?? -1;
    const gap = gaps.get(decider) ?? { texts: [], concerns: [] };
    gap.texts.push(`${concern.label} ${expectation}, but ${describeDeciders(model, bad)}`);
    gap.concerns.push(concern.label);
    gaps.set(decider, gap);
  }
  const out: Diagnostic[] = [];
  for (const [decider, gap] of gaps) {
    const range = decider >= 0 ? ruleAnchorRange(model, model.rules[decider]!) : keyRange(model, rulesEntry);
    out.push(diagnostic('cis-3.2.2', 'information', range, `CIS 3.2.2 (for an ordinary authenticated user): ${gap.texts.join('. ')}.`, { concerns: gap.concerns }));
  }
  if (out.length > 0 && covered.length > 0) {
    out.push(diagnostic('cis-3.2.2-summary', 'information', keyRange(model, rulesEntry), `CIS 3.2.2, covered: ${covered.join('; ')}.`));
  }
  return out;
}

/** "get, list at RequestResponse by rule 3 (line 9); create not logged (no rule matches)". */
function describeDeciders(model: PolicyModel, verdicts: ConcernVerdict[]): string {
  const groups = new Map<string, string[]>();
  for (const v of verdicts) {
    const decider = v.ruleIndex === undefined ? 'no rule matches, so None' : `${v.level} by ${ruleLabel(model, v.ruleIndex)}`;
    groups.set(decider, [...(groups.get(decider) ?? []), v.verb]);
  }
  return [...groups].map(([decider, verbs]) => `${verbs.join(', ')}: ${decider}`).join('; ');
}
