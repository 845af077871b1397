// How a request's target is written everywhere (table cells, CLI output, descriptions): one place.

/** "pods/exec", "pods", or "" for a non-resource request. */
export function resourcePath(request: { resource: string; subresource: string }): string {
  return request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
}

/** What a request was about, for people: its resource path, or the URL of a non-resource request (/healthz). */
export function requestTarget(request: { resource: string; subresource: string; requestURI: string }): string {
  return request.resource ? resourcePath(request) : request.requestURI;
}
