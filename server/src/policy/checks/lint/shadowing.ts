import { DiagnosticTag, type Diagnostic } from 'vscode-languageserver-types';
import { firstTargetOf, FRESH, isCatchAll, ruleCovers, witnessesOf, type RuleWitnesses } from '../../coverage';
import { diagnostic } from '../diagnostic';
import { ruleTarget } from '../../match';
import { ruleAnchorRange, ruleLabel, type PolicyModel } from '../../yaml/model';
import type { PolicyRule } from '../../types';
import type { RuleKnowledge } from './knowledge';

/**
 * Rules that can never fire because an earlier rule matches every request they could match (first
 * match wins). Pairwise by nature; to stay fast on thousands of rules, candidates come from an index
 * of what each rule can target, and a 32-bit signature per dimension rejects most pairs before the
 * exact coverage test (coverage.ts, built on the evaluator's predicates) runs.
 */
export function shadowingDiagnostics(model: PolicyModel, knowledge: RuleKnowledge, uri?: string): Diagnostic[] {
  const rules = model.policy.rules;
  const index = new TargetIndex(rules);
  const signatures = rules.map(signatureOf);
  const out: Diagnostic[] = [];
  for (let j = 1; j < rules.length; j++) {
    // An unknown rule neither shadows nor is shadowed. A known rule covered by an earlier known one is
    // dead whatever the unknown rules become, so those findings stand.
    if (model.rules[j]!.node.kind !== 'map' || knowledge.unknown[j]) continue;
    const first = firstTargetOf(rules[j]!);
    if (first === undefined) continue; // matches nothing at all: reported by the value checks
    // Built only once some candidate survives the signature test.
    let witnesses: RuleWitnesses | undefined;
    let winner = -1;
    for (const candidates of index.candidatesFor(first)) {
      for (const i of candidates) {
        if (i >= j || (winner >= 0 && i >= winner)) break;
        if (!mayCover(signatures[i]!, signatures[j]!) || knowledge.unknown[i]) continue;
        witnesses ??= witnessesOf(rules[j]!);
        if (ruleCovers(rules[i]!, witnesses)) {
          winner = i;
          break;
        }
      }
    }
    if (winner < 0) continue;
    const d = report(model, winner, j);
    if (uri) d.relatedInformation = [{ location: { uri, range: ruleAnchorRange(model, model.rules[winner]!) }, message: 'This rule matches first.' }];
    out.push(d);
  }
  return out;
}

function report(model: PolicyModel, i: number, j: number): Diagnostic {
  const winner = model.policy.rules[i]!;
  const shadowed = model.policy.rules[j]!;
  const range = ruleAnchorRange(model, model.rules[j]!);
  const who = isCatchAll(winner) ? `${ruleLabel(model, i)} has no conditions and matches every request first` : `${ruleLabel(model, i)} matches every request this rule matches and comes first (the first matching rule wins)`;
  if (sameEffect(winner, shadowed)) {
    // Dead weight, but the policy does what it says: a hint, faded out in the editor.
    const d = diagnostic('rule-redundant', 'hint', range, `This rule is redundant: ${who}, with the same level and stages. Delete it.`, { shadowedBy: i });
    d.tags = [DiagnosticTag.Unnecessary];
    return d;
  }
  const consequence = `its ${describe(shadowed)} never applies; those requests get the ${describe(winner)} of ${ruleLabel(model, i).split(' (')[0]}`;
  const move = isCatchAll(winner) ? 'Move this rule above the catch-all or delete it.' : `Move this rule above ${ruleLabel(model, i).split(' (')[0]} or delete it.`;
  return diagnostic(isCatchAll(winner) ? 'rule-after-catch-all' : 'rule-shadowed', 'warning', range, `This rule is never used: ${who}, so ${consequence}. ${move}`, { shadowedBy: i });
}

function describe(rule: PolicyRule): string {
  return `level ${rule.level || '(none)'}`;
}

/** Same level, same stages, same omitManagedFields: removing the later rule changes nothing. */
function sameEffect(a: PolicyRule, b: PolicyRule): boolean {
  const stages = (r: PolicyRule) => [...new Set(r.omitStages ?? [])].sort().join(',');
  return a.level === b.level && stages(a) === stages(b) && a.omitManagedFields === b.omitManagedFields;
}

// ---- candidate index ------------------------------------------------------------------------------

/** Rule indexes (ascending) by what their target part could match. */
class TargetIndex {
  private readonly anyResource: number[] = [];
  private readonly nonResource: number[] = [];
  private readonly wholeGroup = new Map<string, number[]>();
  private readonly groupResource = new Map<string, number[]>();
  private readonly anyGroupResource = new Map<string, number[]>();

  constructor(rules: PolicyRule[]) {
    rules.forEach((rule, index) => {
      const kind = ruleTarget(rule);
      if (kind !== 'resource') this.nonResource.push(index);
      if (kind === 'nonResource') return;
      if (kind === 'any' || !rule.resources?.length) return void this.anyResource.push(index);
      for (const gr of rule.resources) {
        const group = gr.group ?? '';
        const patterns = gr.resources?.length ? gr.resources : ['*'];
        for (const pattern of patterns) {
          const wide = pattern === '*' || pattern.startsWith('*/');
          const slash = pattern.indexOf('/');
          const resource = slash < 0 ? pattern : pattern.slice(0, slash);
          if (group === '*' && wide) TargetIndex.push(this.anyResource, index);
          else if (group === '*') TargetIndex.pushTo(this.anyGroupResource, resource, index);
          else if (wide) TargetIndex.pushTo(this.wholeGroup, group, index);
          else TargetIndex.pushTo(this.groupResource, `${group}\n${resource}`, index);
        }
      }
    });
  }

  /** Appends once: a rule listing the same target twice is one candidate. */
  private static push(list: number[], index: number): void {
    if (list[list.length - 1] !== index) list.push(index);
  }

  private static pushTo(map: Map<string, number[]>, key: string, index: number): void {
    let list = map.get(key);
    if (!list) map.set(key, (list = []));
    TargetIndex.push(list, index);
  }

  candidatesFor(target: { resourceRequest: boolean; apiGroup?: string; resource?: string }): number[][] {
    if (!target.resourceRequest) return [this.nonResource];
    const group = target.apiGroup ?? '';
    const resource = target.resource ?? '';
    const lists = [this.anyResource];
    if (group !== FRESH) {
      lists.push(this.wholeGroup.get(group) ?? []);
      if (resource !== FRESH) lists.push(this.groupResource.get(`${group}\n${resource}`) ?? []);
    }
    if (resource !== FRESH) lists.push(this.anyGroupResource.get(resource) ?? []);
    return lists;
  }
}

// ---- signatures -----------------------------------------------------------------------------------

/** Per dimension: 0 = no condition; otherwise a 32-bit Bloom mask of the listed values. */
interface Signature {
  users: number;
  groups: number;
  verbs: number;
  namespaces: number;
}

const ALL = 0xffffffff | 0;

function bloom(values: string[] | undefined): number {
  if (!values?.length) return 0;
  let mask = 0;
  for (const value of values) {
    let hash = 2166136261;
    for (let k = 0; k < value.length; k++) hash = Math.imul(hash ^ value.charCodeAt(k), 16777619);
    mask |= 1 << (hash >>> 27);
  }
  return mask;
}

function signatureOf(rule: PolicyRule): Signature {
  return { users: bloom(rule.users), groups: bloom(rule.userGroups), verbs: bloom(rule.verbs), namespaces: bloom(rule.namespaces) };
}

/** Necessary condition for coverage: every value j allows must be in i's list when i has one. */
function mayCover(i: Signature, j: Signature): boolean {
  return dimension(i.users, j.users) && dimension(i.groups, j.groups) && dimension(i.verbs, j.verbs) && dimension(i.namespaces, j.namespaces);
}

function dimension(cover: number, covered: number): boolean {
  if (cover === 0) return true;
  const allowed = covered === 0 ? ALL : covered;
  return (allowed & ~cover) === 0;
}
