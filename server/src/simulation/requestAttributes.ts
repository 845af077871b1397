import { objectRefFromUri } from '../auditlog/formats/resourcePath';
import { record, text, type NormalizedEvent } from '../auditlog/normalizedEvent';
import { mayHaveBodies } from '../auditlog/reader/scannedEvent';
import type { RequestAttributes } from '../policy/types';

/**
 * What kube-apiserver's audit checker saw of a logged request (spec §4, "Request attributes as the
 * matcher sees them"), rebuilt from its event. The log's objectRef is the apiserver's requestInfo,
 * with two exceptions handled here: a create in a collection has no name for the checker (the audit
 * code fills objectRef.name in from the object afterwards, and our reader from the response), and an
 * event without objectRef (a converted format) has only its URI.
 */
export function requestAttributesOf(event: NormalizedEvent): RequestAttributes {
  const attrs: RequestAttributes = { verb: event.verb, resourceRequest: false };
  // A failed authentication is audited with no user: it matches no users/userGroups rule.
  const groups = event.groups; // a scanned event splits its group list on every read
  if (event.user !== '' || groups.length > 0) attrs.user = { name: event.user, groups: groups as string[] };
  let resource = event.resource;
  let subresource = event.subresource;
  let apiGroup = event.apiGroup;
  let namespace = event.namespace;
  let name = objectRefName(event);
  if (resource === '') {
    const fromUri = objectRefFromUri(event.requestURI);
    if (fromUri === null || fromUri.resource === '') {
      attrs.path = pathOf(event.requestURI);
      return attrs;
    }
    ({ resource, subresource, apiGroup, namespace, name } = fromUri);
  }
  attrs.resourceRequest = true;
  attrs.apiGroup = apiGroup;
  attrs.resource = resource;
  attrs.subresource = subresource;
  attrs.namespace = namespace;
  attrs.name = checkerName(event.verb, subresource, name);
  return attrs;
}

/** The object name the checker sees: none for a create in a collection (see requestAttributesOf). */
export function checkerName(verb: string, subresource: string, name: string): string {
  return verb === 'create' && subresource === '' ? '' : name;
}

/**
 * The log's objectRef.name as written. The event's `name` is the same unless it was empty and filled
 * in from a body's metadata.name (creates with generateName): an event known to have no body (one
 * the field scanner read) is not decoded for it.
 */
export function objectRefName(event: NormalizedEvent): string {
  return mayHaveBodies(event) ? text(record(event.event.objectRef).name) : event.name;
}

/** The URL path the checker matches nonResourceURLs against: the request URI without its query. */
export function pathOf(uri: string): string {
  const query = uri.indexOf('?');
  return query < 0 ? uri : uri.slice(0, query);
}

/**
 * kube-apiserver's long-running check (BasicLongRunningRequestCheck): these requests get a
 * ResponseStarted stage when their response headers go out.
 */
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

export function isLongRunning(attrs: RequestAttributes): boolean {
  return attrs.resourceRequest && (LONG_RUNNING_VERBS.has(attrs.verb) || LONG_RUNNING_SUBRESOURCES.has(attrs.subresource ?? ''));
}

/** Reads carry no request body over HTTP (a GET has none), so their request body is known to be empty. */
const BODYLESS_VERBS = new Set(['get', 'list', 'watch']);
/** Connections (exec, attach, port-forward, proxy) stream their data: their events never hold a body. */
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);

export function hasNoRequestBody(attrs: RequestAttributes): boolean {
  return !attrs.resourceRequest || BODYLESS_VERBS.has(attrs.verb) || STREAMING_SUBRESOURCES.has(attrs.subresource ?? '');
}

export function hasNoResponseBody(attrs: RequestAttributes): boolean {
  return !attrs.resourceRequest || STREAMING_SUBRESOURCES.has(attrs.subresource ?? '');
}
