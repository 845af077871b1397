import type { RecordLocation } from '../normalizedEvent';
import { objectRefFromUri, objectRefJson } from './resourcePath';
import type { RecordSink } from './recordSink';

// The legacy one-line text format (kubernetes/apiserver pkg/audit/format.go EventString), two
// generations:
//   1.8+:    <ts> AUDIT: id="…" stage="…" ip="…" method="<verb>" user="…" groups="…" as="…" asgroups="…"
//            user-agent="…" namespace="…" uri="…" response="<code>|<deferred>"
//   pre-1.8: <ts> AUDIT: id="…" ip="…" method="GET" user="…" … uri="…"   then   <ts> AUDIT: id="…" response="200"
// Values are Go %q strings. There are no bodies and no objectRef; the URI gives the resource.

export const LEGACY_MARKER = ' AUDIT: ';

const HTTP_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** Converts legacy lines to Events; keeps pre-1.8 requests until their response line arrives. */
export class LegacyTextConverter {
  private readonly pendingPre18 = new Map<string, Record<string, unknown>>();

  convert(line: string, at: RecordLocation, sink: RecordSink): void {
    const marker = line.indexOf(LEGACY_MARKER);
    const fields = parseGoQuotedPairs(line, marker + LEGACY_MARKER.length);
    if (fields === null) {
      sink.skip(at, 'legacy audit line with a malformed key="value" list');
      return;
    }
    const timestamp = line.slice(0, marker).trim();
    const id = fields.get('id') ?? '';
    if (fields.has('stage')) {
      sink.event(this.eventFromFields(fields, timestamp, fields.get('stage')!), 'legacy-text', at);
      return;
    }
    if (!fields.has('method') && fields.has('response')) {
      // pre-1.8 response line: complete the request seen earlier with the same id.
      const request = this.pendingPre18.get(id);
      this.pendingPre18.delete(id);
      const complete: Record<string, unknown> = request ? { ...request } : { auditID: id };
      complete.stage = 'ResponseComplete';
      complete.stageTimestamp = timestamp;
      const code = Number(fields.get('response'));
      if (Number.isInteger(code)) complete.responseStatus = { code };
      sink.event(complete, 'legacy-text-pre1.8', at);
      return;
    }
    const received = this.eventFromFields(fields, timestamp, 'RequestReceived');
    if (id !== '') this.pendingPre18.set(id, received);
    sink.event(received, 'legacy-text-pre1.8', at);
  }

  private eventFromFields(fields: Map<string, string>, timestamp: string, stage: string): Record<string, unknown> {
    const uri = fields.get('uri') ?? '';
    const objectRef = objectRefFromUri(uri);
    const method = fields.get('method') ?? '';
    const event: Record<string, unknown> = {
      kind: 'Event',
      level: 'Metadata',
      auditID: fields.get('id') ?? '',
      stage,
      requestURI: uri,
      verb: verbFromMethod(method, uri, objectRef?.name ?? ''),
      user: { username: fields.get('user') ?? '', groups: splitGroups(fields.get('groups') ?? '') },
      sourceIPs: fields.has('ip') ? [fields.get('ip')] : [],
      requestReceivedTimestamp: timestamp,
      stageTimestamp: timestamp,
    };
    const as = fields.get('as');
    if (as !== undefined && as !== '<self>') event.impersonatedUser = { username: as, groups: splitGroups(fields.get('asgroups') ?? '') };
    const userAgent = fields.get('user-agent');
    if (userAgent !== undefined) event.userAgent = userAgent;
    if (objectRef) {
      // The namespace field is more reliable than the URI for cluster-scoped paths like /api/v1/pods.
      const namespace = fields.get('namespace');
      if (namespace && namespace !== '<none>' && !objectRef.namespace) objectRef.namespace = namespace;
      event.objectRef = objectRefJson(objectRef);
    }
    const code = Number(fields.get('response'));
    if (fields.has('response') && Number.isInteger(code)) event.responseStatus = { code };
    return event;
  }
}

/** pre-1.8 logged the HTTP method; later versions log the audit verb already. */
function verbFromMethod(method: string, uri: string, name: string): string {
  if (method !== method.toUpperCase()) return method;
  if (HTTP_VERBS[method]) return HTTP_VERBS[method]!;
  if (method === 'DELETE') return name ? 'delete' : 'deletecollection';
  if (method === 'GET') {
    if (/[?&]watch=(true|1)/.test(uri)) return 'watch';
    return name || objectRefFromUri(uri) === null ? 'get' : 'list';
  }
  return method.toLowerCase();
}

/** `"system:masters","system:authenticated"` (a %q list inside a %q string) -> names. */
function splitGroups(value: string): string[] {
  if (value === '' || value === '<lookup>') return [];
  const groups = parseGoQuotedList(value);
  return groups ?? value.split(',');
}

function parseGoQuotedList(value: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  while (i < value.length) {
    const parsed = readGoQuoted(value, i);
    if (parsed === null) return null;
    out.push(parsed.value);
    i = parsed.end;
    if (i < value.length && value[i] !== ',') return null;
    i++;
  }
  return out;
}

/** Parses `key="value" key2="value2"` from `start`; null when the syntax breaks. */
export function parseGoQuotedPairs(line: string, start: number): Map<string, string> | null {
  const fields = new Map<string, string>();
  let i = start;
  while (i < line.length) {
    while (line.charCodeAt(i) === 32) i++;
    if (i >= line.length) break;
    const equals = line.indexOf('=', i);
    if (equals < 0) return null;
    const key = line.slice(i, equals);
    const parsed = readGoQuoted(line, equals + 1);
    if (parsed === null) return null;
    fields.set(key, parsed.value);
    i = parsed.end;
  }
  return fields;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** Reads one Go %q string starting at the opening quote. */
function readGoQuoted(s: string, start: number): { value: string; end: number } | null {
  if (s[start] !== '"') return null;
  let out = '';
  let i = start + 1;
  let plainFrom = i;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '"') return { value: out + s.slice(plainFrom, i), end: i + 1 };
    if (c !== '\\') {
      i++;
      continue;
    }
    out += s.slice(plainFrom, i);
    const e = s[i + 1] ?? '';
    if (SIMPLE_ESCAPES[e] !== undefined) {
      out += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const code = parseInt(s.slice(i + 2, i + 2 + width), 16);
      if (Number.isNaN(code)) return null;
      out += e === 'x' ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += 2 + width;
    } else if (e >= '0' && e <= '7') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 4), 8));
      i += 4;
    } else {
      return null;
    }
    plainFrom = i;
  }
  return null;
}
