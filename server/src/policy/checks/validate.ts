import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diagnostic } from './diagnostic';
import { entryOf, isNull, keyRange, ruleAnchorRange, spanRange, type LocatedRule, type PolicyModel } from '../yaml/model';
import type { TreeNode } from '../yaml/tree';
import { FEATURE_MINOR } from '../version';

/**
 * kube-apiserver's ValidatePolicy (pkg/apis/audit/validation/validation.go, spec §3, V1-V9). Every
 * failure stops the apiserver from starting, so each is an error, worded as the apiserver words it
 * (field path, error type, detail) and followed by how to fix it.
 */

const STAGE_LIST = 'RequestReceived,ResponseStarted,ResponseComplete,Panic';
const VALID_STAGES = STAGE_LIST.split(',');
/** sets.NewString(...).List() prints the levels sorted. */
const VALID_LEVELS_SORTED = ['Metadata', 'None', 'Request', 'RequestResponse'];
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

export function validationDiagnostics(model: PolicyModel, minor: number): Diagnostic[] {
  const out: Diagnostic[] = [];
  stageErrors(model, model.root, 'omitStages', out);
  for (const located of model.rules) {
    if (isNull(located.node)) nullRuleError(model, located, out);
    if (located.node.kind !== 'map') continue; // any other non-map is a decoding error, reported by the schema checks
    ruleErrors(model, located, minor, out);
  }
  return out;
}

function scalarString(node: TreeNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

function goList(values: string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** V1 and V8: every stage must be one of the four, case-sensitively. */
function stageErrors(model: PolicyModel, owner: TreeNode | undefined, path: string, out: Diagnostic[]): void {
  const list = entryOf(owner, 'omitStages')?.value;
  if (list?.kind !== 'seq') return;
  list.items.forEach((item, index) => {
    const stage = scalarString(item);
    if (stage === undefined || VALID_STAGES.includes(stage)) return;
    const fix = VALID_STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
    out.push(
      diagnostic(
        'stage-invalid',
        'error',
        spanRange(model, item),
        `${path}[${index}]: Invalid value: ${JSON.stringify(stage)}: allowed stages are ${STAGE_LIST}. ${fix ? `Stages are case-sensitive: write ${fix}.` : 'Use one of these stages.'}`,
        fix ? { replacement: fix } : undefined,
      ),
    );
  });
}

function ruleErrors(model: PolicyModel, located: LocatedRule, minor: number, out: Diagnostic[]): void {
  const path = `rules[${located.index}]`;
  const node = located.node;
  levelErrors(model, located, path, out);
  urlErrors(model, node, path, out);
  resourceErrors(model, node, path, minor, out);
  stageErrors(model, node, `${path}.omitStages`, out);
  // V9: a rule selects resource requests or non-resource URLs, never both.
  const rule = located.rule;
  const urls = entryOf(node, 'nonResourceURLs');
  if (urls && (rule.nonResourceURLs?.length ?? 0) > 0 && ((rule.resources?.length ?? 0) > 0 || (rule.namespaces?.length ?? 0) > 0)) {
    out.push(
      diagnostic(
        'resources-and-urls',
        'error',
        keyRange(model, urls),
        `${path}.nonResourceURLs: Invalid value: ${goList(rule.nonResourceURLs!)}: rules cannot apply to both regular resources and non-resource URLs. Split this into two rules: one with nonResourceURLs, one with ${(rule.resources?.length ?? 0) > 0 ? 'resources' : 'namespaces'}.`,
      ),
    );
  }
}

/**
 * A rule written as "-" alone (or "- ~", "- null"): Go decodes null into an empty PolicyRule, so
 * validation reports its missing level (V2). Pointed at the "-" when the item has no text of its own.
 */
function nullRuleError(model: PolicyModel, located: LocatedRule, out: Diagnostic[]): void {
  const { start, end } = located.node;
  const dash = start === end && model.parsed.text[start - 1] === '-' ? start - 1 : start;
  out.push(
    diagnostic(
      'level-required',
      'error',
      spanRange(model, { start: dash, end: Math.max(end, dash + 1) }),
      `rules[${located.index}].level: Required value. This rule is empty; every rule needs a level: None, Metadata, Request or RequestResponse.`,
      { insert: 'level: Metadata' },
    ),
  );
}

/** V2 (missing level) and V3 (unknown level). */
function levelErrors(model: PolicyModel, located: LocatedRule, path: string, out: Diagnostic[]): void {
  const entry = entryOf(located.node, 'level');
  const level = located.rule.level;
  if (level === '') {
    // A wrongly typed level is a decoding error already; only report a level that is really absent or empty.
    if (entry && !(entry.value.kind === 'scalar' && (entry.value.value === null || entry.value.value === ''))) return;
    const range: Range = entry ? keyRange(model, entry) : ruleAnchorRange(model, located);
    out.push(diagnostic('level-required', 'error', range, `${path}.level: Required value. Every rule needs a level: None, Metadata, Request or RequestResponse.`, { insert: 'level: Metadata' }));
    return;
  }
  if (VALID_LEVELS_SORTED.includes(level)) return;
  const fix = VALID_LEVELS_SORTED.find((l) => l.toLowerCase() === level.toLowerCase());
  out.push(
    diagnostic(
      'level-unsupported',
      'error',
      spanRange(model, entry!.value),
      `${path}.level: Unsupported value: ${JSON.stringify(level)}: supported values: ${VALID_LEVELS_SORTED.map((l) => JSON.stringify(l)).join(', ')}. ${fix ? `Levels are case-sensitive: write ${fix}.` : ''}`.trim(),
      fix ? { replacement: fix } : undefined,
    ),
  );
}

/** V4 (leading slash) and V5 (wildcard only at the end). */
function urlErrors(model: PolicyModel, node: TreeNode, path: string, out: Diagnostic[]): void {
  const list = entryOf(node, 'nonResourceURLs')?.value;
  if (list?.kind !== 'seq') return;
  list.items.forEach((item, index) => {
    const url = item.kind === 'scalar' && item.value === null ? '' : scalarString(item);
    if (url === undefined || url === '*') return;
    const field = `${path}.nonResourceURLs[${index}]`;
    if (!url.startsWith('/')) {
      out.push(
        diagnostic(
          'url-missing-slash',
          'error',
          spanRange(model, item),
          `${field}: Invalid value: ${JSON.stringify(url)}: non-resource URL rules must begin with a '/' character. Write ${JSON.stringify(`/${url}`)}${url === '' ? ' or remove the entry' : ''}.`,
          { replacement: `/${url}` },
        ),
      );
    }
    const star = url.indexOf('*');
    if (url !== '' && star >= 0 && star !== url.length - 1) {
      const fixed = `${url.slice(0, star)}*`;
      out.push(
        diagnostic(
          'url-wildcard-position',
          'error',
          spanRange(model, item),
          `${field}: Invalid value: ${JSON.stringify(url)}: non-resource URL wildcards '*' must be the final character of the rule. A trailing '*' is a plain prefix match, so ${JSON.stringify(fixed)} is the closest valid form.`,
          { replacement: fixed },
        ),
      );
    }
  });
}

/** V6 (group must be a DNS subdomain; "*" only since 1.36) and V7 (resourceNames needs resources). */
function resourceErrors(model: PolicyModel, node: TreeNode, path: string, minor: number, out: Diagnostic[]): void {
  const list = entryOf(node, 'resources')?.value;
  if (list?.kind !== 'seq') return;
  for (const item of list.items) {
    if (item.kind !== 'map') continue;
    const groupEntry = item.byKey.get('group');
    const group = scalarString(groupEntry?.value);
    if (group !== undefined && group !== '' && groupEntry) {
      const field = `${path}.resources.group`;
      if (group === '*') {
        if (minor < FEATURE_MINOR.groupWildcard) {
          out.push(
            diagnostic(
              'group-wildcard-unsupported',
              'error',
              spanRange(model, groupEntry.value),
              `${field}: Invalid value: "*": ${DNS_MESSAGE}. group "*" (every API group) needs Kubernetes 1.${FEATURE_MINOR.groupWildcard} or later; this policy targets 1.${minor}. List the groups instead.`,
            ),
          );
        }
      } else if (group.length > 253 || !DNS_1123_SUBDOMAIN.test(group)) {
        const detail = group.length > 253 ? 'must be no more than 253 characters' : DNS_MESSAGE;
        const fixed = group.split('/')[0]!.toLowerCase();
        const advice = group.startsWith('*.')
          ? 'Wildcard groups such as "*.example.com" are not supported (only "*", since 1.36).'
          : group.includes('/')
            ? `Name the group without its version: ${JSON.stringify(fixed)}.`
            : group !== group.toLowerCase()
              ? `Group names are lower case: ${JSON.stringify(group.toLowerCase())}.`
              : '';
        const data = !group.startsWith('*') && fixed !== group && DNS_1123_SUBDOMAIN.test(fixed) ? { replacement: fixed } : undefined;
        out.push(diagnostic('group-invalid', 'error', spanRange(model, groupEntry.value), `${field}: Invalid value: ${JSON.stringify(group)}: ${detail}. ${advice}`.trim(), data));
      }
    }
    const namesEntry = item.byKey.get('resourceNames');
    const names = namesEntry?.value.kind === 'seq' ? namesEntry.value.items.map((n) => scalarString(n) ?? '') : [];
    const resources = item.byKey.get('resources')?.value;
    const resourceCount = resources?.kind === 'seq' ? resources.items.length : 0;
    if (namesEntry && names.length > 0 && resourceCount === 0) {
      out.push(
        diagnostic(
          'resource-names-without-resources',
          'error',
          keyRange(model, namesEntry),
          `${path}.resources.resourceNames: Invalid value: ${goList(names)}: using resourceNames requires at least one resource. Add resources: [...] to this entry, naming the resource these objects belong to.`,
        ),
      );
    }
  }
}
