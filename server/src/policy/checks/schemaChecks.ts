import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Diagnostic } from 'vscode-languageserver-types';
import policySchema from '../../../../schemas/audit-policy-v1.json';
import { diagnostic } from './diagnostic';
import type { FixDataOf } from './fixData';
import { fieldHint, type ObjectKind } from './fieldHints';
import { jsonTypeName } from '../yaml/goYamlScalar';
import { keyRange, ruleLabel, spanRange, type PolicyModel } from '../yaml/model';
import { nodeAt } from '../yaml/tree';

/**
 * Decoding problems, found with the policy's JSON Schema (the same file Red Hat YAML users get):
 * - a wrong type is fatal in kube-apiserver ("failed decoding: json: cannot unmarshal ..."): error;
 * - an unknown or wrong-case key is dropped with a log line (strict decoding falls back to lenient
 *   decoding since 1.26; silently before): warning, with the key it was probably meant to be.
 * Values (levels, stages, apiVersion) are judged by the reader and validation checks, in the
 * apiserver's own words, so the schema's enum/const/required errors are not reported from here.
 */

// Compiled once per process, when first needed: ajv compiles the schema to a function, which takes a
// quarter of a second that commands reading no policy (query, scan) need not wait for.
let compiled: ValidateFunction | null = null;

export function schemaDiagnostics(model: PolicyModel, kubernetesMinor: number): Diagnostic[] {
  if (model.root === undefined || model.decoded.root === undefined) return [];
  const validate = (compiled ??= new Ajv({ allErrors: true, strict: false }).compile(policySchema));
  if (validate(model.json)) return [];
  const diagnostics: Diagnostic[] = [];
  for (const error of validate.errors ?? []) {
    const converted = convert(model, error, kubernetesMinor);
    if (converted) diagnostics.push(converted);
  }
  return diagnostics;
}

function segmentsOf(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function convert(model: PolicyModel, error: ErrorObject, minor: number): Diagnostic | undefined {
  const segments = segmentsOf(error.instancePath);
  const found = nodeAt(model.decoded.root!, segments);
  if (!found) return undefined;
  if (error.keyword === 'type') {
    // Go's JSON decoder accepts null anywhere (it leaves the zero value); only the top level is the reader's.
    if (segments.length === 0 || found.node.kind === 'scalar' && found.node.value === null) return undefined;
    const value = model.json === undefined ? undefined : valueAt(model.json, segments);
    const { field, goType } = goField(segments);
    const message =
      `failed decoding: json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${field} of type ${goType}. ` +
      typeAdvice(segments, value);
    return diagnostic('type-mismatch', 'error', spanRange(model, found.node), message.trim(), typeFix(segments, value));
  }
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const entry = found.node.kind === 'map' ? found.node.byKey.get(key) : undefined;
    if (!entry) return undefined;
    const kind = objectKind(segments);
    const hint = fieldHint(kind, key);
    const path = strictPath([...segments, key]);
    const dropped = minor >= 26 ? `kube-apiserver logs 'strict decoding error: unknown field "${path}"' and drops it` : 'kube-apiserver silently drops it';
    const data = hint.replacement ? { replacement: hint.replacement } : hint.moveTo ? { moveTo: hint.moveTo } : undefined;
    // Name the rule the key sits in, so that "belongs to the rule" says which one.
    const where = kind === 'policy' ? '' : ` (${ruleLabel(model, Number(segments[1])).replace(' (', ', ').replace(/\)$/, '')})`;
    return diagnostic('unknown-field', 'warning', keyRange(model, entry), `Unknown field "${key}"${where}: ${dropped}. ${hint.explanation}`, data);
  }
  return undefined;
}

function valueAt(json: unknown, segments: string[]): unknown {
  let value = json;
  for (const segment of segments) value = (value as Record<string, unknown> | undefined)?.[segment];
  return value;
}

/** Which policy object a JSON pointer points into. */
function objectKind(segments: string[]): ObjectKind {
  if (segments[0] === 'rules' && segments.length >= 4 && segments[2] === 'resources') return 'groupResources';
  if (segments[0] === 'rules' && segments.length >= 2) return 'rule';
  return 'policy';
}

/** The field path the apiserver's strict decoder prints: rules[0].resources[1].verbs */
function strictPath(segments: string[]): string {
  let path = '';
  for (const segment of segments) path += /^\d+$/.test(segment) ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  return path;
}

const RULE_FIELD_TYPES: Record<string, string> = {
  level: 'v1.Level',
  users: '[]string',
  userGroups: '[]string',
  verbs: '[]string',
  namespaces: '[]string',
  nonResourceURLs: '[]string',
  resources: '[]v1.GroupResources',
  omitStages: '[]v1.Stage',
  omitManagedFields: 'bool',
};
const POLICY_FIELD_TYPES: Record<string, string> = {
  rules: '[]v1.PolicyRule',
  omitStages: '[]v1.Stage',
  omitManagedFields: 'bool',
  metadata: 'v1.ObjectMeta',
  apiVersion: 'string',
  kind: 'string',
};

/** encoding/json's "Struct.path.to.field" and Go type for a JSON pointer (array indices are not named). */
function goField(segments: string[]): { field: string; goType: string } {
  const names = segments.filter((s) => !/^\d+$/.test(s));
  const isItem = /^\d+$/.test(segments[segments.length - 1] ?? '');
  const kind = objectKind(segments);
  const last = names[names.length - 1] ?? '';
  let struct = 'Policy';
  let listType = POLICY_FIELD_TYPES[last] ?? 'string';
  if (kind === 'rule' && names.length >= 2) {
    struct = 'PolicyRule';
    listType = RULE_FIELD_TYPES[last] ?? 'string';
  }
  if (kind === 'groupResources' && names.length >= 3) {
    struct = 'GroupResources';
    listType = last === 'group' ? 'string' : '[]string';
  }
  if (names.length === 1 && last === 'rules' && isItem) return { field: 'Policy.rules', goType: 'v1.PolicyRule' };
  if (names.length === 2 && last === 'resources' && isItem) return { field: 'PolicyRule.rules.resources', goType: 'v1.GroupResources' };
  const goType = isItem && listType.startsWith('[]') ? listType.slice(2) : listType;
  return { field: `${struct}.${names.join('.')}`, goType };
}

function typeAdvice(segments: string[], value: unknown): string {
  const { goType } = goField(segments);
  if (typeof value === 'boolean' && (goType === 'string' || goType === 'v1.Stage' || goType === 'v1.Level')) {
    return 'kube-apiserver reads YAML 1.1, where unquoted yes/no/on/off/y/n are booleans: quote the value.';
  }
  if (typeof value === 'number' && (goType === 'string' || goType === 'v1.Level' || goType === 'v1.Stage')) return 'Quote the value to make it a string.';
  if (typeof value === 'string' && goType.startsWith('[]')) return `This field is a list: write [${JSON.stringify(value)}] or a "- " item.`;
  if (typeof value === 'string' && goType === 'v1.GroupResources') return `Each resources entry is an object such as {group: "", resources: [${JSON.stringify(value)}]}.`;
  if (typeof value === 'string' && goType === 'bool') return 'Write true or false without quotes.';
  return '';
}

function typeFix(segments: string[], value: unknown): FixDataOf<'type-mismatch'> | undefined {
  const { goType } = goField(segments);
  if (typeof value === 'string' && goType.startsWith('[]')) return { replacement: [value] };
  if (typeof value === 'string' && goType === 'bool' && (value === 'true' || value === 'false')) return { replacement: value === 'true' };
  if ((typeof value === 'boolean' || typeof value === 'number') && (goType === 'string' || goType === 'v1.Level' || goType === 'v1.Stage')) return { quote: true };
  return undefined;
}
