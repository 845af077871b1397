import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
} from 'vscode-languageserver-types';
import { groupNames, resourceFacts, resourceNames } from '../catalog/catalog';
import { kindOf } from '../catalog/kinds';
import { cursorContext, unquote, type CursorContext } from './cursor';
import {
  KEY_DOCS,
  LEVEL_DOCS,
  NEVER_VERBS,
  NON_RESOURCE_URLS,
  NON_RESOURCE_VERBS,
  RESOURCE_VERBS,
  STAGE_DOCS,
  VERB_DOCS,
  WELL_KNOWN_GROUPS,
  WELL_KNOWN_USERS,
  type DocObject,
} from './docs';
import { KNOWN_KEYS } from '../checks/fieldHints';
import { loadPolicy, type PolicyCheckOptions } from '../checks/policyDiagnostics';
import { LEVELS, STAGES } from '../types';
import { FEATURE_MINOR } from '../version';

/**
 * Completion at a position of a policy, on half-typed text: the context comes from the lines around
 * the cursor (cursor.ts), the values from the catalog for the configured Kubernetes version and from
 * the rest of the file (namespaces used elsewhere).
 */
export function policyCompletions(uri: string, text: string, position: Position, options: PolicyCheckOptions = {}): CompletionList | undefined {
  const loaded = loadPolicy(uri, text, options);
  if (!loaded) return undefined;
  const minor = loaded.minor;
  let cursor: ReturnType<typeof cursorContext>;
  try {
    cursor = cursorContext(text, position.line, position.character);
  } catch {
    cursor = undefined; // unusual text the line reader does not understand: no suggestions rather than an error
  }
  if (!cursor) return { isIncomplete: false, items: [] };
  const range = { start: { line: position.line, character: cursor.wordStart }, end: { line: position.line, character: cursor.wordEnd } };
  let raw = itemsFor(cursor.context, minor, () => namespacesInFile(loaded.model.policy.rules.flatMap((r) => r.namespaces ?? [])));
  if (cursor.followed && cursor.context.kind === 'key') {
    // Renaming a key in front of its ": value": the bare name only, and no whole-rule snippets.
    raw = raw.filter((item) => item.kind !== CompletionItemKind.Snippet).map((item) => ({ ...item, insertText: item.label, insertTextFormat: InsertTextFormat.PlainText }));
  }
  const items = raw.map((item, index) => {
    const insert = item.insertText ?? item.label;
    const result: CompletionItem = { ...item, textEdit: { range, newText: insert }, sortText: String(index).padStart(4, '0') };
    delete result.insertText;
    // Typed with an opening quote: filter on the quoted form, so that "Me matches Metadata.
    if (cursor.word.startsWith('"') || cursor.word.startsWith("'")) result.filterText = cursor.word[0] + insert.replace(/^["']|["']$/g, '');
    return result;
  });
  return { isIncomplete: false, items };
}

function namespacesInFile(namespaces: string[]): string[] {
  return [...new Set(namespaces)];
}

type Item = CompletionItem;

function doc(value: string) {
  return { kind: MarkupKind.Markdown, value };
}

function objectOf(path: string[]): DocObject | undefined {
  const p = path.join('.');
  if (p === '') return 'policy';
  if (p === 'rules.[]') return 'rule';
  if (p === 'rules.[].resources.[]') return 'groupResources';
  return undefined;
}

const LIST_KEYS = new Set(['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs', 'omitStages', 'resourceNames']);

/** What completing a key inserts when it is not a list and not "key: " alone: a snippet (tab stops) or plain text. */
const KEY_INSERTS = new Map<string, { text: string; snippet: boolean }>([
  ['resources', { text: 'resources:\n  - group: "$1"\n    resources: [$2]', snippet: true }],
  ['rules', { text: 'rules:\n  - level: ${1|None,Metadata,Request,RequestResponse|}', snippet: true }],
  ['level', { text: 'level: ${1|None,Metadata,Request,RequestResponse|}', snippet: true }],
  ['apiVersion', { text: 'apiVersion: audit.k8s.io/v1', snippet: false }],
  ['kind', { text: 'kind: Policy', snippet: false }],
  ['omitManagedFields', { text: 'omitManagedFields: ${1|true,false|}', snippet: true }],
  ['metadata', { text: 'metadata:\n  name: $1', snippet: true }],
]);

function keyInsert(key: string, object: DocObject): { text: string; snippet: boolean } {
  if (LIST_KEYS.has(key) || (key === 'resources' && object === 'groupResources')) return { text: `${key}: [$1]`, snippet: true };
  return KEY_INSERTS.get(key) ?? { text: `${key}: `, snippet: false };
}

function keyItems(object: DocObject, present: Set<string>, minor: number): Item[] {
  const items: Item[] = [];
  for (const key of KNOWN_KEYS[object]) {
    if (present.has(key)) continue;
    if (key === 'omitManagedFields' && minor < FEATURE_MINOR.omitManagedFields) continue;
    const { text: insertText, snippet } = keyInsert(key, object);
    const item: Item = { label: key, kind: CompletionItemKind.Property, documentation: doc(KEY_DOCS[object][key] ?? ''), insertText };
    if (snippet) item.insertTextFormat = InsertTextFormat.Snippet;
    if (key === 'level') item.preselect = true;
    items.push(item);
  }
  return items;
}

/** Whole-rule snippets, offered at a new "- " item of rules. Lines after the first get 2 extra spaces (after "- "). */
const RULE_SNIPPETS: { label: string; detail: string; body: string }[] = [
  {
    label: 'rule: resources',
    detail: 'A rule for resources of one API group',
    body: 'level: ${1|Metadata,None,Request,RequestResponse|}\n  resources:\n  - group: "${2}"\n    resources: [${3}]',
  },
  {
    label: 'rule: users and verbs',
    detail: 'A rule for some users and verbs',
    body: 'level: ${1|None,Metadata,Request,RequestResponse|}\n  users: [${2:system:kube-proxy}]\n  verbs: [${3:watch}]',
  },
  {
    label: 'rule: non-resource URLs',
    detail: 'A rule for URLs such as /healthz*',
    body: 'level: ${1|None,Metadata|}\n  nonResourceURLs:\n  - ${2:/healthz*}',
  },
  { label: 'rule: catch-all', detail: 'Every request not matched above (the default is None)', body: 'level: ${1|Metadata,None,Request,RequestResponse|}' },
];

function ruleSnippets(): Item[] {
  return RULE_SNIPPETS.map((s) => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    documentation: doc('Inserts a whole rule. Rules are tried in order and the first match decides: put specific rules before broad ones, and end with a catch-all.'),
    insertText: s.body,
    insertTextFormat: InsertTextFormat.Snippet,
  }));
}

function itemsFor(context: CursorContext, minor: number, namespaces: () => string[]): Item[] {
  if (context.kind === 'key') {
    const object = objectOf(context.path);
    if (!object) return [];
    const keys = keyItems(object, context.present, minor);
    return object === 'rule' && context.newItem && context.present.size === 0 ? [...ruleSnippets(), ...keys] : keys;
  }
  const object = objectOf(context.path.slice(0, -1));
  const key = context.key;
  const skip = context.present;
  const values = (list: { label: string; documentation?: string; detail?: string }[], kind: CompletionItemKind) =>
    list.filter((v) => !skip.has(v.label)).map((v) => valueItem(v.label, kind, v.documentation, v.detail));
  if (object === 'policy') {
    if (key === 'apiVersion') return [valueItem('audit.k8s.io/v1', CompletionItemKind.Value, KEY_DOCS.policy.apiVersion)];
    if (key === 'kind') return [valueItem('Policy', CompletionItemKind.Value, KEY_DOCS.policy.kind)];
    if (key === 'omitStages') return stageItems(skip);
    if (key === 'omitManagedFields') return boolItems();
    return [];
  }
  if (object === 'rule') {
    switch (key) {
      case 'level':
        return LEVELS.map((level) => valueItem(level, CompletionItemKind.EnumMember, LEVEL_DOCS[level]));
      case 'omitStages':
        return stageItems(skip);
      case 'omitManagedFields':
        return boolItems();
      case 'verbs': {
        const urls = context.siblings.has('nonResourceURLs');
        const resources = context.siblings.has('resources') || context.siblings.has('namespaces');
        const verbs = urls && !resources ? [...NON_RESOURCE_VERBS] : resources ? [...RESOURCE_VERBS] : [...new Set([...RESOURCE_VERBS, ...NON_RESOURCE_VERBS])];
        return values(
          verbs.filter((v) => !NEVER_VERBS.includes(v)).map((v) => ({ label: v, documentation: VERB_DOCS[v] })),
          CompletionItemKind.EnumMember,
        );
      }
      case 'users':
        return values(Object.entries(WELL_KNOWN_USERS).map(([label, documentation]) => ({ label, documentation })), CompletionItemKind.Value);
      case 'userGroups':
        return values(Object.entries(WELL_KNOWN_GROUPS).map(([label, documentation]) => ({ label, documentation })), CompletionItemKind.Value);
      case 'namespaces': {
        const seen = namespaces().filter((n) => n !== '');
        const list = [...new Set([...seen, 'kube-system', 'kube-public', 'kube-node-lease', 'default'])];
        return [
          ...values(list.map((label) => ({ label, documentation: seen.includes(label) ? 'Used elsewhere in this policy.' : undefined })), CompletionItemKind.Value),
          ...values([{ label: '', documentation: '`""`: cluster-scoped requests, and cluster-wide list/watch/create of namespaced resources. Not get/update of a Namespace object (its namespace is its own name).', detail: 'cluster-scoped' }], CompletionItemKind.Value),
        ];
      }
      case 'nonResourceURLs':
        return values(Object.entries(NON_RESOURCE_URLS).map(([label, documentation]) => ({ label, documentation })), CompletionItemKind.Value);
      default:
        return [];
    }
  }
  if (object === 'groupResources') {
    if (key === 'group') {
      const groups = groupNames(minor).sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)));
      const list = groups.map((g) => ({ label: g, detail: g === '' ? 'core group' : undefined, documentation: groupDoc(g, minor) }));
      if (minor >= FEATURE_MINOR.groupWildcard) list.push({ label: '*', detail: 'every group (1.36+)', documentation: 'Every API group, built-in and custom (since Kubernetes 1.36).' });
      return values(list, CompletionItemKind.Module);
    }
    if (key === 'resources') {
      const group = unquote(context.siblings.get('group') ?? '');
      return values(resourceChoices(group, minor), CompletionItemKind.Class);
    }
  }
  return [];
}

function groupDoc(group: string, minor: number): string {
  const names = resourceNames(group, minor);
  return `${group === '' ? 'The core group `""`' : `\`${group}\``}: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}`;
}

function resourceChoices(group: string, minor: number): { label: string; documentation?: string; detail?: string }[] {
  const list: { label: string; documentation?: string; detail?: string }[] = [];
  const names = group === '*' ? [] : resourceNames(group, minor).sort();
  for (const name of names) {
    const facts = resourceFacts(group, name, minor)!;
    const kind = kindOf(group, name);
    list.push({ label: name, detail: kind ? `${kind} (${facts.scope})` : facts.scope, documentation: `\`${name}\` (${facts.scope.toLowerCase()}). Does not cover its subresources${facts.subresources.length ? `: ${facts.subresources.join(', ')}` : ''}.` });
  }
  for (const name of names) {
    const facts = resourceFacts(group, name, minor)!;
    if (facts.subresources.length === 0) continue;
    list.push({ label: `${name}/*`, documentation: `\`${name}\` and all its subresources (${facts.subresources.join(', ')}): \`${name}/*\` also matches plain \`${name}\` requests.` });
    for (const sub of facts.subresources) list.push({ label: `${name}/${sub}`, documentation: `The ${sub} subresource of ${name}.` });
  }
  const subs = new Set(names.flatMap((n) => resourceFacts(group, n, minor)!.subresources));
  for (const sub of ['status', 'scale', ...subs]) {
    if (list.some((i) => i.label === `*/${sub}`)) continue;
    list.push({ label: `*/${sub}`, documentation: `The ${sub} subresource of every resource of the group.` });
  }
  list.push({ label: '*', documentation: 'Every resource and subresource of the group.' });
  return list;
}

function stageItems(skip: Set<string>): Item[] {
  return STAGES.filter((s) => !skip.has(s)).map((s) => valueItem(s, CompletionItemKind.EnumMember, STAGE_DOCS[s]));
}

function boolItems(): Item[] {
  return ['true', 'false'].map((b) => valueItem(b, CompletionItemKind.Value, KEY_DOCS.rule.omitManagedFields));
}

function valueItem(value: string, kind: CompletionItemKind, documentation?: string, detail?: string): Item {
  const item: Item = { label: value === '' ? '""' : value, kind, insertText: yamlScalar(value) };
  if (documentation) item.documentation = doc(documentation);
  if (detail) item.detail = detail;
  return item;
}

const PLAIN_SAFE = /^[A-Za-z0-9/._][A-Za-z0-9/._:\-*]*$/;
const YAML11_SPECIAL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(\d[\d_]*)?\.?\d[\d_]*([eE][-+]?\d+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+|\.inf|\.nan)$/;

/** A string as a YAML scalar that go-yaml v2 reads back as the same string. */
export function yamlScalar(value: string): string {
  if (value !== '' && PLAIN_SAFE.test(value) && !YAML11_SPECIAL.test(value) && !value.includes(': ') && !value.endsWith(':')) return value;
  return JSON.stringify(value);
}
