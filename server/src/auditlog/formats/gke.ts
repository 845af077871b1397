import { record, text } from '../normalizedEvent';
import { objectRefFromSegments, objectRefJson, uriFromObjectRef } from './resourcePath';

// GKE Cloud Audit Logs: a LogEntry whose protoPayload is a google.cloud.audit.AuditLog. Mapping as in
// Falco's k8saudit-gke converter and Panther's GCP data model (spec §6.6).

/** gRPC status code -> the HTTP code the apiserver would have logged. */
const GRPC_TO_HTTP: readonly number[] = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

export function isGkeEntry(value: Record<string, unknown>): boolean {
  return value.protoPayload !== null && typeof value.protoPayload === 'object';
}

export function isKubernetesAuditEntry(entry: Record<string, unknown>): boolean {
  const payload = record(entry.protoPayload);
  const service = text(payload.serviceName);
  return service === 'k8s.io' || (service === '' && text(payload.methodName).startsWith('io.k8s.'));
}

export function gkeEntryToEvent(entry: Record<string, unknown>): Record<string, unknown> {
  const payload = record(entry.protoPayload);
  const metadata = record(payload.requestMetadata);
  const auth = record(payload.authenticationInfo);
  const method = text(payload.methodName);
  const verb = method.slice(method.lastIndexOf('.') + 1);
  const resourceName = text(payload.resourceName);
  const segments = resourceName.split('/').filter((s) => s !== '');
  const event: Record<string, unknown> = {
    kind: 'Event',
    auditID: text(record(entry.operation).id) || text(entry.insertId),
    stage: 'ResponseComplete',
    verb,
    user: { username: text(auth.principalEmail) || text(auth.authoritySelector) },
    sourceIPs: [text(metadata.callerIp) || text(metadata.callerIP)].filter((ip) => ip !== ''),
    userAgent: text(metadata.callerSuppliedUserAgent),
    requestReceivedTimestamp: text(entry.timestamp) || text(entry.receiveTimestamp),
    stageTimestamp: text(entry.timestamp) || text(entry.receiveTimestamp),
  };
  let subresource = '';
  if (segments.length >= 3) {
    // core/v1/namespaces/NS/pods/NAME/exec; "core" is the legacy group, spelled "" in objectRef.
    const parts = objectRefFromSegments(segments[0] === 'core' ? '' : segments[0]!, segments[1]!, segments.slice(2));
    event.objectRef = objectRefJson(parts);
    event.requestURI = uriFromObjectRef(parts);
    subresource = parts.subresource;
  } else {
    event.requestURI = `/${resourceName}`;
  }
  const status = record(payload.status);
  const grpc = typeof status.code === 'number' ? status.code : 0;
  event.responseStatus = { code: httpCode(grpc, verb, subresource) };
  if (payload.request !== undefined) event.requestObject = payload.request;
  if (payload.response !== undefined) event.responseObject = payload.response;
  event.level = payload.response !== undefined ? 'RequestResponse' : payload.request !== undefined ? 'Request' : 'Metadata';
  const labels = record(entry.labels);
  if (Object.keys(labels).length > 0) event.annotations = labels;
  return event;
}

/** Success is inferred per verb as Falco's converter does: 201 for create, 101 for streaming. */
function httpCode(grpc: number, verb: string, subresource: string): number {
  if (grpc !== 0) return GRPC_TO_HTTP[grpc] ?? 500;
  if (STREAMING_SUBRESOURCES.has(subresource)) return 101;
  return verb === 'create' ? 201 : 200;
}
