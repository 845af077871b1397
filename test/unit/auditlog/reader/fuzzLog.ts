// Fuzzed audit logs for the field scanner's equivalence tests: Events as kube-apiserver writes them,
// and the ways real and hostile files differ from that (escapes, \u sequences, reordered and duplicate
// keys, keys an Event does not have, user/verb keys nested inside bodies, values of other types,
// non-ASCII, unusual timestamps and numbers, CRLF, blank and broken lines, a truncated last line).
import fc from 'fast-check';

/** A JSON value whose objects keep member order and may repeat a key. */
export type Json = null | boolean | number | string | Json[] | { members: [string, Json][] };

const obj = (members: [string, Json][]): Json => ({ members });

// Most values are plain; some need escapes (the scanner decodes those); a few are not ASCII (JSON.parse reads those).
const PLAIN = ['get', 'create', 'pods', 'exec', 'system:node:ip-10-0-1-1', 'alice@example.com', '', 'constructor', '__proto__', 'kube-system', '/api/v1/pods?watch=1&limit=5', 'a/b'];
const ESCAPED = ['a"b', 'a\\b', 'line\nbreak', 'tab\t', '\u0000', '<script>&amp;'];
const FOREIGN = ['é', 'ÿ', '日本', '😀', '\u2028', '\ud800', 'x\udc00y'];
const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic', '', 'constructor', 'Foo'];
const AUDIT_IDS = ['5d855d9d-3e6b-445b-a875-bbf1f416a685', '0a1b2c3d-0000-4000-8000-000000000001', 'ABCDEF', '', 'ÄÖ', 'a"b', 'a\\u0062'];
const TIMES = [
  '2026-02-22T10:00:00.123456Z', '2026-02-22T10:00:00.999999Z', '2026-02-22T10:00:01.5Z', '2026-02-22T10:00:00Z', '2026-02-22T10:00:00.123456789Z', '2026-02-22T10:00:00.1234567891Z',
  '2026-02-22T10:00:00.Z', '2026-02-22T10:00:00+01:00', '2026-02-22 10:00:00Z', '2026-13-22T10:00:00Z', '2026-02-30T10:00:00Z', '2024-02-29T23:59:59.999Z', '1970-01-01T00:00:00Z',
  '0050-02-22T10:00:00Z', '2026-02-22T10:00:60Z', '2026-02-22T24:00:00Z', '', 'soon',
  // Enough digits for JavaScript's floating-point sum of the fraction to round up a millisecond.
  '2026-02-22T10:00:00.99999999999999999999Z', '2026-02-22T10:00:00.1239999999999999999Z',
];
const NUMBERS: Json[] = [200, 403, 101, 0, -0, 1e2, 200.5, -1, 404, 999999999999999, 12345678901234567, '200', null, true];

const text = fc.oneof({ weight: 16, arbitrary: fc.constantFrom(...PLAIN) }, { weight: 3, arbitrary: fc.constantFrom(...ESCAPED) }, { weight: 1, arbitrary: fc.constantFrom(...FOREIGN) });
/** A value of another type where a string is expected. */
const notText: fc.Arbitrary<Json> = fc.constantFrom<Json>(5, null, true, [], obj([]), ['x']);
const textish = fc.oneof({ weight: 20, arbitrary: text as fc.Arbitrary<Json> }, { weight: 1, arbitrary: notText });

const user = fc.oneof(
  { weight: 6, arbitrary: fc.record({ username: textish, groups: fc.array(fc.oneof(text, notText), { maxLength: 3 }) }).map(({ username, groups }) => obj([['username', username], ['groups', groups]])) },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, 'alice', ['alice'], obj([['username', 'a'], ['username', 'b']]), obj([['uid', '1'], ['extra', obj([['k', ['v']]])]])) },
);

const objectRef = fc.record({ resource: textish, namespace: textish, name: textish, subresource: fc.option(textish, { nil: undefined }), apiGroup: fc.option(textish, { nil: undefined }) }).map((ref) => {
  const members: [string, Json][] = [['resource', ref.resource], ['namespace', ref.namespace], ['name', ref.name], ['apiVersion', 'v1']];
  if (ref.apiGroup !== undefined) members.push(['apiGroup', ref.apiGroup]);
  if (ref.subresource !== undefined) members.push(['subresource', ref.subresource]);
  return obj(members);
});

/** Bodies: created objects (whose metadata.name names the request), with keys that also name Event fields. */
const body: fc.Arbitrary<Json> = fc.oneof(
  fc.record({ name: textish, nested: fc.boolean() }).map(({ name, nested }) =>
    obj([
      ['kind', 'Pod'],
      ['metadata', obj([['name', name], ['namespace', 'app']])],
      ['spec', obj(nested ? [['user', obj([['username', 'root']])], ['verb', 'delete'], ['containers', [obj([['securityContext', obj([['privileged', true]])]])]]] : [['containers', []]])],
    ]),
  ),
  fc.constantFrom<Json>(null, 'not an object', [1, 2], obj([['metadata', 'x']]), obj([['metadata', obj([['name', 'a'], ['name', 'b']])]]), obj([['metadata', obj([])], ['metadata', obj([['name', 'x']])]])),
);

const annotations = fc.oneof(
  fc.record({ decision: textish, reason: textish, extra: fc.boolean() }).map(({ decision, reason, extra }) =>
    obj([['authorization.k8s.io/decision', decision], ['authorization.k8s.io/reason', reason], ...(extra ? ([['pod-security.kubernetes.io/audit-violations', 'privileged']] as [string, Json][]) : [])]),
  ),
  fc.constantFrom<Json>(null, [], 'x'),
);

const event = fc
  .record({
    auditID: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<Json>(...AUDIT_IDS) }, { weight: 1, arbitrary: notText }),
    stage: fc.oneof({ weight: 8, arbitrary: fc.constantFrom<Json>(...STAGES) }, { weight: 1, arbitrary: notText }),
    level: fc.constantFrom<Json>('Metadata', 'Request', 'RequestResponse', 'None', ''),
    verb: textish,
    requestURI: textish,
    user,
    impersonatedUser: fc.option(user, { nil: undefined }),
    sourceIPs: fc.oneof(fc.array(fc.oneof(text, notText), { maxLength: 2 }) as fc.Arbitrary<Json>, notText),
    userAgent: textish,
    objectRef: fc.option(objectRef, { nil: undefined }),
    code: fc.option(fc.constantFrom(...NUMBERS), { nil: undefined }),
    requestObject: fc.option(body, { nil: undefined }),
    responseObject: fc.option(body, { nil: undefined }),
    received: fc.option(fc.constantFrom<Json>(...TIMES), { nil: undefined }),
    stageTime: fc.option(fc.constantFrom<Json>(...TIMES), { nil: undefined }),
    timestamp: fc.option(fc.constantFrom<Json>(...TIMES), { nil: undefined }),
    annotations: fc.option(annotations, { nil: undefined }),
    kind: fc.constantFrom<Json>('Event', 'Event', 'EventList', 5),
  })
  .map((e): [string, Json][] => {
    const members: [string, Json][] = [['kind', e.kind], ['apiVersion', 'audit.k8s.io/v1'], ['level', e.level], ['auditID', e.auditID], ['stage', e.stage], ['requestURI', e.requestURI], ['verb', e.verb], ['user', e.user]];
    if (e.impersonatedUser !== undefined) members.push(['impersonatedUser', e.impersonatedUser]);
    members.push(['sourceIPs', e.sourceIPs], ['userAgent', e.userAgent]);
    if (e.objectRef !== undefined) members.push(['objectRef', e.objectRef]);
    if (e.code !== undefined) members.push(['responseStatus', obj([['metadata', obj([])], ['code', e.code]])]);
    if (e.requestObject !== undefined) members.push(['requestObject', e.requestObject]);
    if (e.responseObject !== undefined) members.push(['responseObject', e.responseObject]);
    if (e.received !== undefined) members.push(['requestReceivedTimestamp', e.received]);
    if (e.stageTime !== undefined) members.push(['stageTimestamp', e.stageTime]);
    if (e.timestamp !== undefined) members.push(['timestamp', e.timestamp]);
    if (e.annotations !== undefined) members.push(['annotations', e.annotations]);
    return members;
  });

/** What is done to an Event line: nothing (most often), or one of the deviations. */
const TWISTS = ['none', 'none', 'none', 'none', 'shuffle', 'duplicate', 'unknownKey', 'dropKeys', 'escapeKey', 'wrapGke'] as const;
type Twist = (typeof TWISTS)[number];

function twisted(members: [string, Json][], twist: Twist, pick: number): Json {
  const m = [...members];
  switch (twist) {
    case 'shuffle':
      for (let i = m.length - 1; i > 0; i--) {
        const j = (pick * (i + 7)) % (i + 1);
        [m[i], m[j]] = [m[j]!, m[i]!];
      }
      break;
    case 'duplicate':
      m.push([m[pick % m.length]![0], 'duplicate']);
      break;
    case 'unknownKey':
      m.splice(pick % m.length, 0, [['items', 'protoPayload', 'foo', 'message', '__proto__'][pick % 5]!, pick % 2 === 0 ? [] : obj([['x', 1]])]);
      break;
    case 'dropKeys':
      return obj(m.filter((_, i) => (i * 7 + pick) % 3 !== 0));
    case 'escapeKey': {
      // A key written with a \u escape reads the same to JSON.parse: at the top, or inside user, objectRef...
      const at = pick % m.length;
      const [key, value] = m[at]!;
      if (pick % 2 === 0 && value !== null && typeof value === 'object' && !Array.isArray(value) && value.members.length > 0) {
        const inner = [...value.members];
        const i = pick % inner.length;
        inner[i] = [`\u0000ESCAPE:${inner[i]![0]}`, inner[i]![1]];
        m[at] = [key, obj(inner)];
      } else m[at] = [`\u0000ESCAPE:${key}`, value];
      break;
    }
    case 'wrapGke':
      return obj([['protoPayload', obj([['methodName', 'io.k8s.core.v1.pods.get']])], ['logName', 'x']]);
  }
  return obj(m);
}

/** Serialises a Json value; `style` picks escapes and spacing (0: as JSON.stringify would). */
export function render(value: Json, style: number): string {
  const space = ['', ' ', '\t', '\r', '  '][style % 5]!;
  const escapeAll = style % 7 === 3;
  const str = (s: string, key = false) => {
    let out = '"';
    let i = 0;
    if (s.startsWith('\u0000ESCAPE:')) {
      s = s.slice(8);
      out += `\\u${s.charCodeAt(0).toString(16).padStart(4, '0')}`;
      i = 1;
    }
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const lone = c >= 0xd800 && c <= 0xdfff && !(c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) && !(c >= 0xdc00 && (s.charCodeAt(i - 1) & 0xfc00) === 0xd800);
      if (s[i] === '"') out += '\\"';
      else if (s[i] === '\\') out += '\\\\';
      else if (c < 0x20 || lone || (escapeAll && !key && c !== 0x20)) {
        const hex = c.toString(16).padStart(4, '0');
        out += `\\u${style % 2 ? hex.toUpperCase() : hex}`;
      }
      else if (s[i] === '/' && style % 3 === 1 && !key) out += '\\/';
      else out += s[i];
    }
    return `${out}"`;
  };
  const go = (v: Json): string => {
    if (v === null || typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return Object.is(v, -0) ? '-0' : style % 11 === 5 && Number.isInteger(v) ? `${v}.0` : JSON.stringify(v);
    if (typeof v === 'string') return str(v);
    if (Array.isArray(v)) return `[${space}${v.map(go).join(`,${space}`)}${space}]`;
    return `{${space}${v.members.map(([k, x]) => `${str(k, true)}${space}:${space}${go(x)}`).join(`,${space}`)}${space}}`;
  };
  return go(value);
}

const GARBAGE = ['', '   ', '{"a":', 'not json', '[1,2]', '{}', '{"verb":"get"}{"verb":"list"}', '{"kind":"EventList","items":[{"auditID":"e1","verb":"get","stage":"ResponseComplete"}]}', '\t{"auditID":"t","verb":"get"} ', '{"auditID":"n","verb":"get"} x', '12 ab'];

const line = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(event, fc.constantFrom(...TWISTS), fc.nat(1000), fc.nat(1000)).map(([members, twist, pick, style]) => render(twisted(members, twist, pick), style % 4 === 0 ? 0 : style)) },
  { weight: 1, arbitrary: fc.constantFrom(...GARBAGE) },
);

/** A log of fuzzed lines: LF or CRLF, and sometimes a truncated last line or a very long one. */
export const fuzzLog = fc
  .record({ lines: fc.array(line, { minLength: 1, maxLength: 30 }), crlf: fc.boolean(), cut: fc.nat(40), long: fc.boolean(), invalidUtf8: fc.boolean() })
  .map(({ lines, crlf, cut, long, invalidUtf8 }) => {
    const all = long ? [...lines, render(obj([['auditID', 'long'], ['verb', 'get'], ['stage', 'ResponseComplete'], ['requestObject', obj([['data', 'x'.repeat(5000)]])]]), 0)] : lines;
    let text = all.join(crlf ? '\r\n' : '\n') + (crlf ? '\r\n' : '\n');
    if (cut > 30) text = text.slice(0, Math.max(0, text.length - cut + 20));
    const bytes = Buffer.from(text, 'utf8');
    if (!invalidUtf8) return bytes;
    // "ÿ" (C3 BF) becomes a lone FF byte: invalid UTF-8 inside strings.
    return Buffer.from(bytes.toString('latin1').replace(/\u00c3\u00bf/g, '\u00ff'), 'latin1');
  });
