import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import type { RequestAttributes } from '../policy/types';

/**
 * A logged request as the audit policy checker sees it (spec §4): the authenticated user (a request
 * without one failed authentication), verb, and either the resource target or the URL path without
 * its query. This is how a policy is replayed over a log.
 */
export function requestAttributesOf(event: NormalizedEvent): RequestAttributes {
  const attributes: RequestAttributes = { verb: event.verb, resourceRequest: event.resource !== '' };
  if (event.user !== '') attributes.user = { name: event.user, groups: [...event.groups] };
  if (attributes.resourceRequest) {
    attributes.apiGroup = event.apiGroup;
    attributes.resource = event.resource;
    attributes.subresource = event.subresource;
    attributes.namespace = event.namespace;
    // The checker sees no name on a create (the object does not exist yet), even when the log has one.
    attributes.name = event.verb === 'create' && event.subresource === '' ? '' : event.name;
  } else {
    const query = event.requestURI.indexOf('?');
    attributes.path = query < 0 ? event.requestURI : event.requestURI.slice(0, query);
  }
  return attributes;
}
