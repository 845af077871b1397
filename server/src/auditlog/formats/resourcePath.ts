// Legacy text lines and GKE entries carry no objectRef, only a URI or a resource name. This rebuilds
// the objectRef the apiserver would have logged, following its own path layout:
//   /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]
//   /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUBRESOURCE]]

export interface ObjectRefParts {
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
}

/** objectRef for an apiserver request URI; null for non-resource URLs such as /healthz. */
export function objectRefFromUri(uri: string): ObjectRefParts | null {
  const query = uri.indexOf('?');
  const path = query < 0 ? uri : uri.slice(0, query);
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'api' && segments.length >= 3) return objectRefFromSegments('', segments[1]!, segments.slice(2));
  if (segments[0] === 'apis' && segments.length >= 4) return objectRefFromSegments(segments[1]!, segments[2]!, segments.slice(3));
  return null;
}

/**
 * objectRef from the part after group and version. `namespaces/NS/...` scopes what follows, except
 * for the namespace object itself (`namespaces/NS` and its status/finalize subresources).
 */
export function objectRefFromSegments(apiGroup: string, apiVersion: string, rest: string[]): ObjectRefParts {
  let namespace = '';
  let tail = rest;
  if (rest[0] === 'namespaces' && rest.length >= 3 && !(rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize'))) {
    namespace = rest[1]!;
    tail = rest.slice(2);
  }
  return {
    apiGroup,
    apiVersion,
    namespace,
    resource: tail[0] ?? '',
    name: tail[1] ?? '',
    subresource: tail.slice(2).join('/'),
  };
}

/** The objectRef object as the apiserver writes it (empty fields left out). */
export function objectRefJson(parts: ObjectRefParts): Record<string, string> {
  const out: Record<string, string> = { resource: parts.resource };
  if (parts.namespace) out.namespace = parts.namespace;
  if (parts.name) out.name = parts.name;
  if (parts.apiGroup) out.apiGroup = parts.apiGroup;
  if (parts.apiVersion) out.apiVersion = parts.apiVersion;
  if (parts.subresource) out.subresource = parts.subresource;
  return out;
}

/** The request URI the apiserver would have seen for an objectRef (used where only a name exists). */
export function uriFromObjectRef(parts: ObjectRefParts): string {
  const prefix = parts.apiGroup ? `/apis/${parts.apiGroup}/${parts.apiVersion}` : `/api/${parts.apiVersion || 'v1'}`;
  const ns = parts.namespace ? `/namespaces/${parts.namespace}` : '';
  const name = parts.name ? `/${parts.name}` : '';
  const sub = parts.subresource ? `/${parts.subresource}` : '';
  return `${prefix}${ns}/${parts.resource}${name}${sub}`;
}
