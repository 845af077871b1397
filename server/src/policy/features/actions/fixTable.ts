import type { Diagnostic } from 'vscode-languageserver-types';
import { groupsServing } from '../../catalog/catalog';
import type { FixableCode, FixDataByCode, Replacement } from '../../checks/fixData';
import { locate, nodeAtPath, type Found } from '../../yaml/locate';
import { ruleLabel } from '../../yaml/model';
import { offsetOf } from '../../yaml/parse';
import { yamlScalar } from '../complete';
import type { RuleEditor } from './ruleEdits';
import { renderValue, type Fix } from './yamlEditor';

/** Where a diagnostic points: its offset in the text and the key or value there. */
interface Site {
  editor: RuleEditor;
  diagnostic: Diagnostic;
  offset: number;
  found: Found | undefined;
}

/**
 * The fixes for a diagnostic of one code, from its place and its data. Data comes back from the
 * client with the diagnostic, so a maker checks what it reads and offers nothing when it is missing.
 */
type FixMaker<C extends FixableCode> = (site: Site, data: Partial<Exclude<FixDataByCode[C], undefined>> | undefined) => Fix[];

/** The quick fixes of the policy engine: one maker per diagnostic code that has a knowable fix. */
const FIX_TABLE: { [C in FixableCode]: FixMaker<C> } = {
  'api-version-missing': ({ editor }) => [editor.setTopLevel('apiVersion', 'audit.k8s.io/v1', 'Add apiVersion: audit.k8s.io/v1')],
  'api-version-deprecated': replaceValue,
  'api-version-removed': replaceValue,
  'api-version-unknown': replaceValue,
  'kind-missing': ({ editor }) => [editor.setTopLevel('kind', 'Policy', 'Add kind: Policy')],
  'kind-wrong': replaceValue,
  'no-rules': ({ editor }) => [editor.addFirstRule()],
  'policy-empty': ({ editor }) => {
    if (editor.text.trim() !== '') return [];
    return [{ title: 'Start a policy (apiVersion, kind and a catch-all rule)', edits: [{ range: editor.range(0, editor.text.length), newText: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n' }], preferred: true }];
  },
  'field-unsupported-version': ({ editor, found }) => {
    if (found?.kind !== 'key') return [];
    const owner = nodeAtPath(editor.model, found.path.slice(0, -1));
    if (owner?.kind !== 'map' || owner.entries.length < 2) return [];
    return [{ title: `Remove ${found.entry.key} (this Kubernetes version drops it)`, edits: editor.removeEntry(owner, found.entry), preferred: true }];
  },
  'extra-document': ({ editor, offset }) => [{ title: 'Delete the ignored documents', edits: [{ range: editor.range(offset, editor.text.length), newText: '' }] }],
  'resources-and-urls': ({ editor, offset }) => {
    const index = editor.ruleAt(offset);
    return index === undefined ? [] : [editor.splitRule(index)];
  },
  'all-stages-omitted': ({ editor, found }) => {
    if (found?.kind !== 'key') return [];
    return [{ title: 'Omit only RequestReceived', edits: [editor.replaceNode(found.entry.value, '[RequestReceived]')], preferred: true }];
  },
  'unknown-field': ({ editor, found }, data) => {
    if (found?.kind !== 'key') return [];
    if (data && 'replacement' in data && typeof data.replacement === 'string') return editor.renameKey(found.path, found.entry, data.replacement);
    if (data && 'moveTo' in data && data.moveTo) return editor.moveKey(found.path, found.entry, data.moveTo);
    return [];
  },
  'type-mismatch': (site, data) => {
    const { editor, found } = site;
    if (found?.kind === 'value' && found.node.kind === 'scalar' && typeof found.node.value === 'string') {
      // A resource name where a resources[] entry belongs: "resources: pods" or "resources:\n- pods".
      const shape = found.path.map((p) => (/^\d+$/.test(p) ? '[]' : p)).join('.');
      if (shape === 'rules.[].resources' || shape === 'rules.[].resources.[]') {
        const name = found.node.value;
        const group = groupsServing(name.split('/')[0]!, editor.minor)[0] ?? '';
        const entry = `{group: ${JSON.stringify(group)}, resources: [${yamlScalar(name)}]}`;
        return [{ title: `Write ${entry}`, edits: [editor.replaceNode(found.node, shape === 'rules.[].resources' ? `[${entry}]` : entry)], preferred: true }];
      }
    }
    if (data && 'quote' in data && data.quote) return quoteValue(site);
    return replaceValue(site, data && 'replacement' in data ? data : undefined);
  },
  'duplicate-key': (site) => removeEntry(site, ' (the ignored one)'),
  'stage-invalid': replaceValue,
  'level-required': ({ editor, offset }, data) => {
    const index = editor.ruleAt(offset);
    return index === undefined || !data?.insert ? [] : [editor.insertIntoRule(index, data.insert)];
  },
  'level-unsupported': replaceValue,
  'url-missing-slash': replaceValue,
  'url-wildcard-position': replaceValue,
  'group-invalid': replaceValue,
  'user-removed': removeItem,
  'resource-wrong-group': ({ editor, found }, data) => (data?.group !== undefined && found?.kind === 'value' ? editor.setResourceGroup(found.path, data.group) : []),
  'resource-unknown': replaceValue,
  'subresource-unknown': replaceValue,
  'policy-logs-nothing': appendRule,
  'no-catch-all': appendRule,
  'response-complete-omitted': removeItem,
  'sensitive-data-logged': ({ editor, offset }, data) => {
    const index = editor.ruleAt(offset);
    const insert = data?.insertRuleBefore;
    if (index === undefined || !insert) return [];
    const fixes = [editor.insertRuleBefore(index, insert.level, insert.resources)];
    const lower = editor.lowerToMetadata(index, insert.resources);
    if (lower) fixes.unshift(lower);
    else fixes[0]!.preferred = true;
    return fixes;
  },
  'request-response-broad': replaceValue,
  'rule-shadowed': (site, data) => moveOrDeleteShadowed(site, data?.shadowedBy),
  'rule-after-catch-all': (site, data) => moveOrDeleteShadowed(site, data?.shadowedBy),
  'rule-redundant': ({ editor, offset }, data) => {
    const index = editor.ruleAt(offset);
    if (index === undefined || data?.shadowedBy === undefined) return [];
    return [{ title: 'Delete this rule (never used)', edits: editor.deleteRule(index), preferred: true }];
  },
  'omit-managed-fields-no-effect': (site) => removeEntry(site, ''),
  'body-level-non-resource': replaceValue,
  'wildcard-literal': (site, data) => {
    const { editor, found } = site;
    if (data && 'removeField' in data && data.removeField && found?.kind === 'value') {
      const owner = nodeAtPath(editor.model, found.path.slice(0, -2));
      const entry = owner?.kind === 'map' ? owner.entries.find((e) => e.key === data.removeField) : undefined;
      if (!owner || owner.kind !== 'map' || !entry) return [];
      return [{ title: `Remove ${data.removeField} (match every value)`, edits: editor.removeEntry(owner, entry), preferred: true }];
    }
    return removeItem(site);
  },
  'resource-names-verb': removeItem,
  'verb-never-occurs': (site, data) => (data && 'replacement' in data ? replaceValue(site, data) : removeItem(site)),
  'resource-star-star': replaceValue,
  'group-core-name': replaceValue,
};

/** The fixes the engine knows for one of its diagnostics (none for other codes or unknown shapes). */
export function fixesFor(editor: RuleEditor, diagnostic: Diagnostic): Fix[] {
  const code = String(diagnostic.code ?? '');
  if (!Object.hasOwn(FIX_TABLE, code)) return [];
  const offset = offsetOf(editor.model.parsed, diagnostic.range.start);
  const found = locate(editor.text, editor.model.decoded.root ?? { kind: 'scalar', value: null, start: 0, end: 0 }, offset, []);
  const data = typeof diagnostic.data === 'object' && diagnostic.data !== null ? diagnostic.data : undefined;
  const make = FIX_TABLE[code as FixableCode] as FixMaker<FixableCode>;
  return make({ editor, diagnostic, offset, found }, data as never);
}

/** Write the replacement over the value at the diagnostic (or over its range), in the value's quote style. */
function replaceValue({ editor, diagnostic, offset, found }: Site, data: Partial<Replacement<unknown>> | undefined): Fix[] {
  if (!data || !('replacement' in data)) return [];
  const node = found?.kind === 'value' ? found.node : undefined;
  const start = node ? node.start : offset;
  const end = node ? node.end : offsetOf(editor.model.parsed, diagnostic.range.end);
  const newText = renderValue(data.replacement, editor.text.slice(start, end));
  return [{ title: `Change to ${newText}`, edits: [{ range: editor.range(start, end), newText }], preferred: true }];
}

function removeItem({ editor, found }: Site): Fix[] {
  return found?.kind === 'value' ? editor.removeItem(found.path) : [];
}

function removeEntry({ editor, found }: Site, note: string): Fix[] {
  if (found?.kind !== 'key') return [];
  const owner = nodeAtPath(editor.model, found.path.slice(0, -1));
  if (owner?.kind !== 'map') return [];
  return [{ title: `Delete "${found.entry.key}"${note}`, edits: editor.removeEntry(owner, found.entry), preferred: true }];
}

function quoteValue({ editor, found }: Site): Fix[] {
  if (found?.kind !== 'value') return [];
  const raw = editor.text.slice(found.node.start, found.node.end);
  return [{ title: `Quote ${raw}`, edits: [{ range: editor.range(found.node.start, found.node.end), newText: JSON.stringify(raw) }], preferred: true }];
}

function appendRule({ editor }: Site, data: { append?: Record<string, string> } | undefined): Fix[] {
  return data?.append ? [editor.appendRule(data.append)] : [];
}

function moveOrDeleteShadowed({ editor, offset }: Site, shadowedBy: number | undefined): Fix[] {
  const index = editor.ruleAt(offset);
  if (index === undefined || shadowedBy === undefined) return [];
  return [
    { title: `Move this rule above ${ruleLabel(editor.model, shadowedBy).split(' (')[0]}`, edits: editor.moveRule(index, shadowedBy) },
    { title: 'Delete this rule (never used)', edits: editor.deleteRule(index), preferred: false },
  ];
}
