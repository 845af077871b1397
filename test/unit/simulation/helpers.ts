import { parseAuditText } from '../../../server/src/auditlog/reader/readAuditLog';
import { groupRequests } from '../../../server/src/auditlog/requests';
import { loadPolicy } from '../../../server/src/policy/checks/policyDiagnostics';
import type { Policy } from '../../../server/src/policy/types';
import { TrafficSample } from '../../../server/src/simulation/trafficSample';

/** One request as a test writes it: the fields the checker reads, and the stages the log shows. */
export interface RequestSpec {
  id: string;
  user?: string;
  groups?: string[];
  verb: string;
  /** Resource requests: objectRef; non-resource requests: leave out and give uri. */
  resource?: string;
  subresource?: string;
  apiGroup?: string;
  namespace?: string;
  name?: string;
  uri?: string;
  level?: string;
  stages?: string[];
  /** Seconds after 2026-02-22T10:00:00Z. */
  at?: number;
  requestObject?: unknown;
  responseObject?: unknown;
}

/** The log lines of a request, one per stage; bodies only on the final stage, as kube-apiserver writes them. */
export function linesOf(spec: RequestSpec): string[] {
  const time = new Date(Date.parse('2026-02-22T10:00:00Z') + (spec.at ?? 0) * 1000).toISOString().replace('Z', '000Z');
  return (spec.stages ?? ['RequestReceived', 'ResponseComplete']).map((stage) => {
    const event: Record<string, unknown> = { kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: spec.level ?? 'Metadata', auditID: spec.id, stage };
    event.requestURI = spec.uri ?? `/api/v1/${spec.resource ?? ''}`;
    event.verb = spec.verb;
    if (spec.user !== undefined) event.user = { username: spec.user, groups: spec.groups ?? ['system:authenticated'] };
    if (spec.resource !== undefined) {
      const objectRef: Record<string, string> = { resource: spec.resource, apiVersion: 'v1' };
      if (spec.namespace) objectRef.namespace = spec.namespace;
      if (spec.name) objectRef.name = spec.name;
      if (spec.apiGroup) objectRef.apiGroup = spec.apiGroup;
      if (spec.subresource) objectRef.subresource = spec.subresource;
      event.objectRef = objectRef;
    }
    event.requestReceivedTimestamp = time;
    event.stageTimestamp = time;
    if (stage === 'ResponseComplete' && spec.requestObject !== undefined) event.requestObject = spec.requestObject;
    if (stage === 'ResponseComplete' && spec.responseObject !== undefined) event.responseObject = spec.responseObject;
    return JSON.stringify(event);
  });
}

/** Bytes a line takes in the file (with its line break). */
export function bytesOf(line: string): number {
  return Buffer.byteLength(line) + 1;
}

export function sampleOf(specs: RequestSpec[]): TrafficSample {
  const sample = new TrafficSample();
  const events: Parameters<typeof groupRequests>[0] extends Iterable<infer E> ? E[] : never = [];
  parseAuditText(specs.flatMap(linesOf).join('\n') + '\n', (event) => events.push(event));
  for (const request of groupRequests(events)) sample.add(request);
  return sample;
}

export function policyOf(text: string): Policy {
  const loaded = loadPolicy('', text, { assumePolicy: true });
  if (!loaded) throw new Error('not a policy');
  return loaded.model.policy;
}
