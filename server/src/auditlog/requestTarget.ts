// How a request's target is written everywhere (table cells, CLI output, descriptions): one place.
import { record, text } from './normalizedEvent';

/** "pods/exec", "pods", or "" for a non-resource request. */
export function resourcePath(request: { resource: string; subresource: string }): string {
  return request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
}

/** What a request was about, for people: its resource path, or the URL of a non-resource request (/healthz). */
export function requestTarget(request: { resource: string; subresource: string; requestURI: string }): string {
  return request.resource ? resourcePath(request) : request.requestURI;
}

/**
 * The object that controls the one in a request's body ("ReplicaSet web-7998647bdf" for a pod the
 * replicaset controller creates), from metadata.ownerReferences; "" when there is none. It names the
 * workload a person created when the request itself is a controller's.
 */
export function controllingOwner(event: Record<string, unknown>): string {
  for (const body of [event.requestObject, event.responseObject]) {
    const references = record(record(body).metadata).ownerReferences;
    if (!Array.isArray(references)) continue;
    const owner = references.map(record).find((reference) => reference.controller === true) ?? record(references[0]);
    const kind = text(owner.kind);
    const name = text(owner.name);
    if (kind || name) return [kind, name].filter(Boolean).join(' ');
  }
  return '';
}
