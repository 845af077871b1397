import { Dictionary } from '../auditlog/index/dictionary';
import { GrowableFloat64, GrowableUint32, GrowableUint8 } from '../auditlog/index/growable';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { STRING_COLUMN_INDEX } from '../auditlog/index/schema';
import { mayHaveBodies, ScannedEvent } from '../auditlog/reader/scannedEvent';
import type { AuditRequest } from '../auditlog/requests';
import { SENSITIVE_TARGETS } from '../policy/checks/lint/levels';
import { levelRank, type RequestAttributes } from '../policy/types';
import { checkerName, hasNoRequestBody, hasNoResponseBody, isLongRunning, objectRefName, requestAttributesOf } from './requestAttributes';
import { STAGE_BITS, STAGES } from '../protocol/vocabulary';

export { STAGE_BITS };

/** Stage order of the per-row byte columns and of stage masks (bit i = STAGE_ORDER[i]). */
export const STAGE_ORDER = STAGES;
/** Column of a stage's bytes within a row's four, by its bit. */
export const STAGE_SLOT: Readonly<Record<number, number>> = { 1: 0, 2: 1, 4: 2, 8: 3 };
/** The stages that end a request and carry its bodies. */
export const FINAL_STAGES = STAGE_BITS.ResponseComplete! | STAGE_BITS.Panic!;
/** A body size the log does not tell (the request was logged below the level that would show it). */
export const UNKNOWN_SIZE = 0xffffffff;

/**
 * What the checker sees of a request except its object name (which only resourceNames reads, so it
 * is kept per row): requests of one kind are matched once per policy, not once each.
 */
export interface RequestKind {
  attrs: RequestAttributes;
  /** "pods/exec", or the URL path of a non-resource request: how reports name the target. */
  target: string;
  longRunning: boolean;
  /** Index into SENSITIVE_TARGETS, or -1. */
  sensitive: number;
  /** The (group, resource/subresource, verb) class whose measured bodies estimate unmeasured ones. */
  bodyClass: number;
}

/** Measured bodies of one (group, resource/subresource, verb): sums and how many requests told their size. */
export interface BodyClass {
  requestBytes: number;
  requestCount: number;
  responseBytes: number;
  responseCount: number;
}

/** Row flags. */
export const ROW_SECRET_VALUES = 1;

/**
 * The requests of one or more logs in the form a policy is replayed over: one row per request (per
 * auditID, as requests.ts groups them), columns of typed arrays, request kinds and names shared.
 * Holds no events: the metadata bytes of each logged stage and the body sizes are measured as the
 * row is added, and that is all a simulation needs.
 */
export class TrafficSample {
  readonly kinds: RequestKind[] = [];
  readonly bodyClasses: BodyClass[] = [];
  readonly names = new Dictionary();
  readonly agents = new Dictionary();
  readonly kind = new GrowableUint32();
  readonly name = new GrowableUint32();
  readonly agent = new GrowableUint32();
  /** Stages the log shows for the request (STAGE_BITS mask). */
  readonly stages = new GrowableUint8();
  /** rows × 4: metadata bytes (the event without its bodies) of each logged stage, STAGE_ORDER. */
  readonly stageBytes = new GrowableUint32(4096);
  /** Body sizes of the request's final stage as logged; UNKNOWN_SIZE when its level did not log them. */
  readonly requestBody = new GrowableUint32();
  readonly responseBody = new GrowableUint32();
  /** Rank of the level the request was logged at (0 when the log does not say). */
  readonly loggedLevel = new GrowableUint8();
  /** Rank of the level the enabled detectors need to see this request (0: none looks at it). */
  readonly neededLevel = new GrowableUint8();
  readonly flags = new GrowableUint8();
  /** Rows whose logged bodies hold secret values (ROW_SECRET_VALUES), in order. */
  readonly secretRows: number[] = [];
  readonly time = new GrowableFloat64();
  rows = 0;
  events = 0;
  /** Stages seen anywhere in the log. */
  stagesSeen = 0;
  firstTime = Infinity;
  lastTime = -Infinity;
  /** Minor versions named by control-plane user agents (kubelet/v1.33.1 ...), with request counts. */
  readonly clusterVersions = new Map<string, number>();
  private readonly kindIds = new Map<string, number>();
  /** Every string a kind key is made of (verbs, groups, resources, namespaces, paths), as small ids. */
  private readonly fields = new Dictionary();
  private readonly users = new Map<string, { groups: readonly string[]; id: number }[]>();
  private userCount = 0;
  private lastAgent: string | undefined;
  private lastAgentId = 0;
  private readonly bodyClassIds = new Map<string, number>();
  /** Kinds of events the field scanner read, by the dictionary ids of the fields that make the kind (scannedKindKey). */
  private readonly scannedKinds = new Map<string, number>();
  /** Per user agent id, the minor version it names (control-plane agents) or null. */
  private readonly agentVersions: (string | null)[] = [];

  /** Seconds between the first and the last request; 0 for a log of one instant. */
  get seconds(): number {
    return this.rows === 0 || this.lastTime <= this.firstTime ? 0 : (this.lastTime - this.firstTime) / 1000;
  }

  kindOf(row: number): RequestKind {
    return this.kinds[this.kind.data[row]!]!;
  }

  /** Adds one request. `neededLevel` is the rank the detectors need for it; `secretValues` marks a body that copies secrets into the log. */
  add(request: AuditRequest, neededLevel = 0, secretValues = false): void {
    const primary = request.primary;
    const scannedKey = primary instanceof ScannedEvent ? scannedKindKey(primary) : null;
    let kindId = scannedKey === null ? undefined : this.scannedKinds.get(scannedKey);
    let name: string;
    if (kindId !== undefined) {
      name = checkerName(primary.verb, primary.subresource, objectRefName(primary));
    } else {
      const attrs = requestAttributesOf(primary);
      name = attrs.name ?? '';
      kindId = this.kindId(attrs);
      if (scannedKey !== null) this.scannedKinds.set(scannedKey, kindId);
    }
    const kind = this.kinds[kindId]!;
    const attrs = kind.attrs;
    this.kind.push(kindId);
    this.name.push(this.names.id(name));
    const agent = this.agentId(primary.userAgent);
    this.agent.push(agent);
    let mask = 0;
    const at = this.stageBytes.length;
    this.stageBytes.reserve(4);
    this.stageBytes.length += 4;
    const sizes = this.stageBytes.data;
    sizes.fill(0, at, at + 4);
    for (const event of request.stages) {
      const bit = STAGE_BITS[event.stage];
      if (bit === undefined) continue;
      mask |= bit;
      const slot = at + STAGE_SLOT[bit]!;
      sizes[slot] = sizes[slot]! + metadataBytes(event);
    }
    this.events += request.stages.length;
    this.stagesSeen |= mask;
    this.stages.push(mask);
    const level = levelRank(primary.level);
    this.loggedLevel.push(level);
    this.neededLevel.push(neededLevel);
    this.flags.push(secretValues ? ROW_SECRET_VALUES : 0);
    if (secretValues) this.secretRows.push(this.rows);
    const bodies = mayHaveBodies(primary);
    const requestObject = bodies ? bodyOf(primary, 'requestObject') : undefined;
    const responseObject = bodies ? bodyOf(primary, 'responseObject') : undefined;
    const requestSize = requestObject !== undefined ? bodyBytes('requestObject', requestObject) : hasNoRequestBody(attrs) || level >= 2 ? 0 : UNKNOWN_SIZE;
    const responseSize = responseObject !== undefined ? bodyBytes('responseObject', responseObject) : hasNoResponseBody(attrs) || level >= 3 ? 0 : UNKNOWN_SIZE;
    this.requestBody.push(requestSize);
    this.responseBody.push(responseSize);
    const bodyClass = this.bodyClasses[kind.bodyClass]!;
    if ((mask & FINAL_STAGES) !== 0) {
      if (requestSize !== UNKNOWN_SIZE) {
        bodyClass.requestBytes += requestSize;
        bodyClass.requestCount++;
      }
      if (responseSize !== UNKNOWN_SIZE) {
        bodyClass.responseBytes += responseSize;
        bodyClass.responseCount++;
      }
    }
    const time = primary.time;
    this.time.push(time);
    if (!Number.isNaN(time)) {
      if (time < this.firstTime) this.firstTime = time;
      if (time > this.lastTime) this.lastTime = time;
    }
    const version = this.versionOf(agent);
    if (version !== null) this.clusterVersions.set(version, (this.clusterVersions.get(version) ?? 0) + 1);
    this.rows++;
  }

  private kindId(attrs: RequestAttributes): number {
    // A key of small ids rather than of the strings themselves: it is built for every request.
    const f = this.fields;
    const user = this.userId(attrs.user);
    const key = attrs.resourceRequest
      ? `${user},${f.id(attrs.verb)},${f.id(attrs.apiGroup!)},${f.id(attrs.resource!)},${f.id(attrs.subresource!)},${f.id(attrs.namespace!)}`
      : `${user},${f.id(attrs.verb)},/${f.id(attrs.path!)}`;
    let id = this.kindIds.get(key);
    if (id === undefined) {
      id = this.kinds.length;
      this.kindIds.set(key, id);
      const shared: RequestAttributes = { ...attrs };
      delete shared.name;
      const target = attrs.resourceRequest ? (attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource!) : attrs.path!;
      this.kinds.push({ attrs: shared, target, longRunning: isLongRunning(attrs), sensitive: sensitiveTarget(attrs), bodyClass: this.bodyClassId(attrs, target) });
    }
    return id;
  }

  /** User agents are long strings, mostly the same one in a row: compare with the last before hashing. */
  private agentId(agent: string): number {
    if (agent === this.lastAgent) return this.lastAgentId;
    this.lastAgent = agent;
    return (this.lastAgentId = this.agents.id(agent));
  }

  /** An id per (user name, group list); a user's group lists are compared, not joined into keys. */
  private userId(user: RequestAttributes['user']): number {
    if (user === undefined) return -1;
    let known = this.users.get(user.name);
    if (known === undefined) this.users.set(user.name, (known = []));
    for (const entry of known) if (sameStrings(entry.groups, user.groups)) return entry.id;
    const id = this.userCount++;
    known.push({ groups: user.groups, id });
    return id;
  }

  private versionOf(agent: number): string | null {
    let version = this.agentVersions[agent];
    if (version === undefined) this.agentVersions[agent] = version = CONTROL_PLANE_AGENT.exec(this.agents.strings[agent]!)?.[1] ?? null;
    return version;
  }

  private bodyClassId(attrs: RequestAttributes, target: string): number {
    const key = `${attrs.resourceRequest ? attrs.apiGroup : '\u0003'}\u0000${target}\u0000${attrs.verb}`;
    let id = this.bodyClassIds.get(key);
    if (id === undefined) {
      id = this.bodyClasses.length;
      this.bodyClassIds.set(key, id);
      this.bodyClasses.push({ requestBytes: 0, requestCount: 0, responseBytes: 0, responseCount: 0 });
    }
    return id;
  }
}

/** The scanner's text columns a resource request's kind is made of: requestAttributesOf reads nothing else but the name. */
const KIND_COLUMNS = (['user', 'groups', 'verb', 'apiGroup', 'resource', 'subresource', 'namespace'] as const).map((column) => STRING_COLUMN_INDEX[column]);
const RESOURCE_COLUMN = STRING_COLUMN_INDEX.resource;

/**
 * A scanned event's kind as the dictionary ids of its fields (no strings read, no attributes built);
 * null when it has no resource (its kind is then read from its URI).
 */
function scannedKindKey(event: ScannedEvent): string | null {
  if (event.scanner.strings[RESOURCE_COLUMN]![event.id(RESOURCE_COLUMN)] === '') return null;
  let key = '';
  for (const column of KIND_COLUMNS) key += `${event.id(column)},`;
  return key;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const CONTROL_PLANE_AGENT = /^(?:kubelet|kube-controller-manager|kube-scheduler|kube-proxy|kube-apiserver)\/v(1\.\d+)/;

function sensitiveTarget(attrs: RequestAttributes): number {
  if (!attrs.resourceRequest) return -1;
  return SENSITIVE_TARGETS.findIndex((t) => t.apiGroup === attrs.apiGroup && t.resource === attrs.resource && t.subresource === attrs.subresource);
}

function bodyOf(event: NormalizedEvent, key: 'requestObject' | 'responseObject'): unknown {
  const body = event.event[key];
  return body === null ? undefined : body;
}

/** A body as the log writes it: `,"requestObject":{...}` (the key is part of what it adds to the line). */
function bodyBytes(key: string, body: unknown): number {
  return Buffer.byteLength(JSON.stringify(body) ?? '') + key.length + 4;
}

/**
 * The event's bytes without its bodies: what it costs at Metadata. The line's own length when the
 * reader measured it (JSON lines, legacy text), else the event written out as one JSON line. A line
 * the field scanner read is decoded only when it has a body (its size is that of the body
 * re-serialised, as JSON.parse reads it: the scanner does not measure it).
 */
function metadataBytes(event: NormalizedEvent): number {
  const total = event.recordBytes >= 0 ? event.recordBytes : Buffer.byteLength(JSON.stringify(event.event)) + 1;
  if (!mayHaveBodies(event)) return Math.max(0, total);
  let bodies = 0;
  const requestObject = bodyOf(event, 'requestObject');
  const responseObject = bodyOf(event, 'responseObject');
  if (requestObject !== undefined) bodies += bodyBytes('requestObject', requestObject);
  if (responseObject !== undefined) bodies += bodyBytes('responseObject', responseObject);
  return Math.max(0, total - bodies);
}
