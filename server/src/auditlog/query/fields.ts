import { execCommand } from '../execCommand';
import type { NormalizedEvent } from '../normalizedEvent';
import type { QueryFieldName } from '../../protocol/requestFields';
import { record } from '../normalizedEvent';
import { QuerySyntaxError, type FieldRef, type JsonPath, type PathStep } from './ast';

export type FieldType = 'string' | 'number' | 'strings' | 'time';

/**
 * A named field of the index. `jq` is the same value computed from a raw audit.k8s.io Event line,
 * using the helpers of jqPrelude (strings default to "" exactly as the normaliser does).
 */
export interface IndexField {
  name: QueryFieldName;
  aliases: string[];
  type: FieldType;
  get(event: NormalizedEvent): string | number | null | readonly string[];
  jq: string;
  description: string;
}

function annotation(event: NormalizedEvent, key: string): string {
  const value = record(event.event.annotations)[key];
  return typeof value === 'string' ? value : '';
}

const jqString = (path: string) => `([(${path})?][0] | _s)`;

/** Each field the query language names, once, in the order completion offers them: a missing or unknown one is a compile error. */
const FIELDS: { readonly [N in QueryFieldName]: Omit<IndexField, 'name'> } = {
  user: { aliases: ['username'], type: 'string', get: (e) => e.user, jq: jqString('.user.username'), description: 'user.username' },
  groups: { aliases: ['group'], type: 'strings', get: (e) => e.groups, jq: '[(.user.groups[])? | strings]', description: 'user.groups (any)' },
  impersonatedUser: { aliases: ['as'], type: 'string', get: (e) => e.impersonatedUser, jq: jqString('.impersonatedUser.username'), description: 'impersonatedUser.username' },
  verb: { aliases: [], type: 'string', get: (e) => e.verb, jq: jqString('.verb'), description: 'verb' },
  apiGroup: { aliases: [], type: 'string', get: (e) => e.apiGroup, jq: jqString('.objectRef.apiGroup'), description: 'objectRef.apiGroup' },
  resource: { aliases: [], type: 'string', get: (e) => e.resource, jq: jqString('.objectRef.resource'), description: 'objectRef.resource; a value with "/" matches resource/subresource' },
  subresource: { aliases: [], type: 'string', get: (e) => e.subresource, jq: jqString('.objectRef.subresource'), description: 'objectRef.subresource' },
  namespace: { aliases: ['ns'], type: 'string', get: (e) => e.namespace, jq: jqString('.objectRef.namespace'), description: 'objectRef.namespace' },
  name: {
    aliases: [],
    type: 'string',
    get: (e) => e.name,
    jq: `(${jqString('.objectRef.name')} as $n | if $n != "" then $n else (${jqString('.responseObject.metadata.name')} as $r | if $r != "" then $r else ${jqString('.requestObject.metadata.name')} end) end)`,
    description: 'objectRef.name, else the name of the created object',
  },
  requestURI: { aliases: ['uri'], type: 'string', get: (e) => e.requestURI, jq: jqString('.requestURI'), description: 'requestURI' },
  code: { aliases: ['status'], type: 'number', get: (e) => e.code, jq: '(([(.responseStatus.code)?][0] | numbers) // null)', description: 'responseStatus.code' },
  sourceIP: { aliases: ['ip'], type: 'string', get: (e) => e.sourceIP, jq: jqString('.sourceIPs[0]'), description: 'first of sourceIPs' },
  userAgent: { aliases: ['ua'], type: 'string', get: (e) => e.userAgent, jq: jqString('.userAgent'), description: 'userAgent' },
  auditID: { aliases: ['id'], type: 'string', get: (e) => e.auditID, jq: jqString('.auditID'), description: 'auditID' },
  stage: { aliases: [], type: 'string', get: (e) => e.stage, jq: jqString('.stage'), description: 'stage' },
  level: { aliases: [], type: 'string', get: (e) => e.level, jq: jqString('.level'), description: 'level' },
  latency: {
    aliases: [],
    type: 'number',
    get: (e) => e.latencyMs,
    jq: '(([(.stageTimestamp)?][0] | _ms) as $e | ([(.requestReceivedTimestamp)?][0] | _ms) as $b | if $e != null and $b != null then $e - $b else null end)',
    description: 'stageTimestamp - requestReceivedTimestamp in ms (values: 250, 250ms, 1.5s, 2m)',
  },
  time: {
    aliases: [],
    type: 'time',
    get: (e) => (Number.isNaN(e.time) ? null : e.time),
    jq: '(([(.requestReceivedTimestamp)?][0] | _ms) // ([(.stageTimestamp)?][0] | _ms) // ([(.timestamp)?][0] | _ms))',
    description: 'requestReceivedTimestamp (compare with dates: time>=2026-02-22T10:00Z)',
  },
  decision: {
    aliases: [],
    type: 'string',
    get: (e) => annotation(e, 'authorization.k8s.io/decision'),
    jq: jqString('.annotations["authorization.k8s.io/decision"]'),
    description: 'annotations["authorization.k8s.io/decision"] (allow, forbid)',
  },
  reason: {
    aliases: [],
    type: 'string',
    get: (e) => annotation(e, 'authorization.k8s.io/reason'),
    jq: jqString('.annotations["authorization.k8s.io/reason"]'),
    description: 'annotations["authorization.k8s.io/reason"]',
  },
  command: {
    aliases: [],
    type: 'string',
    get: (e) => execCommand(e.requestURI),
    jq: `([${jqString('.requestURI')} | scan("[?&]command=([^&]*)") | .[0] | _urldecode] | join(" "))`,
    description: 'exec/attach command decoded from requestURI (args joined by spaces)',
  },
};

export const INDEX_FIELDS: readonly IndexField[] = (Object.keys(FIELDS) as QueryFieldName[]).map((name) => ({ name, ...FIELDS[name] }));

const BY_NAME = new Map<string, IndexField>();
for (const field of INDEX_FIELDS) for (const name of [field.name, ...field.aliases]) BY_NAME.set(name, field);

export function indexField(name: string): IndexField {
  return BY_NAME.get(name)!;
}

/** Top-level Event keys: a bare one (`annotations`) is a JSON path, not an unknown field. */
const EVENT_KEYS = new Set([
  'kind', 'apiVersion', 'metadata', 'annotations', 'objectRef', 'requestObject', 'responseObject', 'responseStatus',
  'impersonatedUser', 'sourceIPs', 'requestReceivedTimestamp', 'stageTimestamp', 'timestamp',
]);

// Pod specs appear in Pods and in every workload template; `podSpec.` searches all of them, in the
// request body and (for patches, whose body is partial) in the stored object of the response.
const POD_SPEC_ROOTS: string[][] = ['requestObject', 'responseObject'].flatMap((body) => [
  [body, 'spec'],
  [body, 'spec', 'template', 'spec'],
  [body, 'spec', 'jobTemplate', 'spec', 'template', 'spec'],
]);
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/** Resolves a field name to an index field or a JSON path, or explains why it is neither. */
export function resolveField(name: string, offset: number): FieldRef {
  const field = BY_NAME.get(name);
  if (field) return { kind: 'index', name: field.name };
  const steps = parsePath(name, offset);
  const head = steps[0];
  const headKey = head && 'key' in head ? head.key : '';
  if (headKey === 'podSpec') return { kind: 'path', path: expandPodSpec(steps.slice(1)), text: name };
  if (steps.length === 1 && !EVENT_KEYS.has(headKey)) {
    throw new QuerySyntaxError(`unknown field "${name}" (quote free text that contains ":", e.g. "${name}:…")`, offset, name.length);
  }
  return { kind: 'path', path: [steps], text: name };
}

/** `allContainers[]` right after podSpec stands for containers, initContainers and ephemeralContainers. */
function expandPodSpec(rest: PathStep[]): JsonPath {
  const first = rest[0];
  const lists = first && 'key' in first && first.key === 'allContainers' ? CONTAINER_LISTS : null;
  const tails = lists ? lists.map((key) => [{ key }, ...rest.slice(1)]) : [rest];
  return POD_SPEC_ROOTS.flatMap((root) => tails.map((tail) => [...root.map((key) => ({ key })), ...tail]));
}

/** `a.b[].c[0]["d.e"]` -> steps. */
export function parsePath(text: string, offset: number): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  let key = '';
  const flush = () => {
    if (key !== '') steps.push({ key });
    key = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      flush();
      i++;
    } else if (c === '[') {
      flush();
      const close = text[i + 1] === '"' ? text.indexOf('"]', i + 2) + 1 : text.indexOf(']', i);
      const inner = text.slice(i + 1, close);
      if (inner === '') steps.push({ each: true });
      else if (inner.startsWith('"')) steps.push({ key: inner.slice(1, -1) });
      else if (/^\d+$/.test(inner)) steps.push({ index: Number(inner) });
      else throw new QuerySyntaxError(`bad path step "[${inner}]" in "${text}"`, offset + i, inner.length + 2);
      i = close + 1;
    } else {
      key += c;
      i++;
    }
  }
  flush();
  return steps;
}
