/**
 * What a quick fix needs to know, carried in `Diagnostic.data`, per diagnostic code: the checks that
 * find a problem write it, `features/actions/fixTable.ts` reads it. A code listed here with `undefined`
 * has a fix that needs nothing beyond the diagnostic's place.
 */

/** The value (or key) to write instead of the one at the diagnostic. */
export interface Replacement<T = string> {
  replacement: T;
}
/** Where an unknown key belongs instead (fieldHints.ts). */
export interface MoveKey {
  moveTo: MoveTarget;
}
export type MoveTarget = 'rule' | 'resources[]' | 'policy';
/** Remove the list item at the diagnostic (or the whole field when it is the only item and that is harmless). */
export interface RemoveItem {
  removeItem: true;
}
/** Remove this field of the map around the diagnostic's value (its only value matches nothing). */
export interface RemoveField {
  removeField: string;
}
/** Remove the key (and its value) at the diagnostic. */
export interface RemoveEntry {
  removeEntry: true;
}
/** Quote the scalar at the diagnostic (YAML read it as a number or boolean). */
export interface Quote {
  quote: true;
}
/** `key: value` to add to the rule at the diagnostic. */
export interface InsertIntoRule {
  insert: string;
}
/** A rule to add at the end of the rules. */
export interface AppendRule {
  append: Record<string, string>;
}
/** The API group that serves the resource at the diagnostic. */
export interface MoveToGroup {
  group: string;
}
/** A rule to put before the one at the diagnostic (sensitive resources at a safe level). */
export interface InsertRuleBefore {
  insertRuleBefore: { level: string; resources: string[] };
}
/** The index of the rule that takes every request of the rule at the diagnostic. */
export interface ShadowedBy {
  shadowedBy: number;
}

export interface FixDataByCode {
  'api-version-missing': Replacement;
  'api-version-deprecated': Replacement;
  'api-version-removed': Replacement;
  'api-version-unknown': Replacement;
  'kind-missing': Replacement;
  'kind-wrong': Replacement;
  'no-rules': undefined;
  'policy-empty': undefined;
  'field-unsupported-version': undefined;
  'extra-document': undefined;
  'resources-and-urls': undefined;
  'all-stages-omitted': undefined;
  'unknown-field': Replacement | MoveKey;
  'type-mismatch': Replacement<unknown> | Quote;
  'duplicate-key': RemoveEntry;
  'stage-invalid': Replacement;
  'level-required': InsertIntoRule;
  'level-unsupported': Replacement;
  'url-missing-slash': Replacement;
  'url-wildcard-position': Replacement;
  'group-invalid': Replacement;
  'user-removed': RemoveItem;
  'resource-wrong-group': MoveToGroup;
  'resource-unknown': Replacement;
  'subresource-unknown': Replacement;
  'policy-logs-nothing': AppendRule;
  'no-catch-all': AppendRule;
  'response-complete-omitted': RemoveItem;
  'sensitive-data-logged': InsertRuleBefore;
  'request-response-broad': Replacement;
  'rule-shadowed': ShadowedBy;
  'rule-after-catch-all': ShadowedBy;
  'rule-redundant': ShadowedBy;
  'omit-managed-fields-no-effect': RemoveEntry;
  'body-level-non-resource': Replacement;
  'wildcard-literal': RemoveField | RemoveItem;
  'resource-names-verb': RemoveItem;
  'verb-never-occurs': Replacement | RemoveItem;
  'resource-star-star': Replacement;
  'group-core-name': Replacement;
}

export type FixableCode = keyof FixDataByCode;

/** The data a diagnostic of this code may carry (codes of other engines: anything). */
export type FixDataOf<C extends string> = C extends FixableCode ? FixDataByCode[C] : unknown;
