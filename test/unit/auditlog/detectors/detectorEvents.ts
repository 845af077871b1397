// Builds small audit Events for detector tests: only what a case needs, sensible defaults for the rest.
import { normalizeEvent } from '../../../../server/src/auditlog/normalizedEvent';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';

export interface EventSpec {
  verb?: string;
  /** resource or resource/subresource */
  res?: string;
  ns?: string;
  name?: string;
  user?: string;
  groups?: string[];
  code?: number;
  uri?: string;
  ua?: string;
  ip?: string;
  apiGroup?: string;
  level?: string;
  req?: unknown;
  resp?: unknown;
  annotations?: Record<string, string>;
  as?: { username: string; groups?: string[] };
}

export function auditEvent(spec: EventSpec): Record<string, unknown> {
  const [resource, subresource] = (spec.res ?? 'pods').split('/');
  const verb = spec.verb ?? 'get';
  const prefix = spec.apiGroup ? `/apis/${spec.apiGroup}/v1` : '/api/v1';
  const uri = spec.uri ?? `${prefix}${spec.ns ? `/namespaces/${spec.ns}` : ''}/${resource}${spec.name ? `/${spec.name}` : ''}${subresource ? `/${subresource}` : ''}`;
  const event: Record<string, unknown> = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: spec.level ?? (spec.resp !== undefined ? 'RequestResponse' : spec.req !== undefined ? 'Request' : 'Metadata'),
    auditID: `id-${Math.random().toString(16).slice(2)}`,
    stage: 'ResponseComplete',
    requestURI: uri,
    verb,
    user: { username: spec.user ?? 'mallory@example.com', groups: spec.groups ?? ['system:authenticated'] },
    sourceIPs: [spec.ip ?? '10.0.0.9'],
    userAgent: spec.ua ?? 'kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef',
    objectRef: { resource, ...(subresource ? { subresource } : {}), ...(spec.ns ? { namespace: spec.ns } : {}), ...(spec.name ? { name: spec.name } : {}), ...(spec.apiGroup ? { apiGroup: spec.apiGroup } : {}), apiVersion: 'v1' },
    responseStatus: { code: spec.code ?? (verb === 'create' ? 201 : 200) },
    requestReceivedTimestamp: '2026-03-01T10:00:00.000000Z',
    stageTimestamp: '2026-03-01T10:00:00.005000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', ...spec.annotations },
  };
  if (spec.req !== undefined) event.requestObject = spec.req;
  if (spec.resp !== undefined) event.responseObject = spec.resp;
  if (spec.as) event.impersonatedUser = spec.as;
  return event;
}

export function requestOf(spec: EventSpec): AuditRequest {
  const event = normalizeEvent(auditEvent(spec), 'k8s-json', { file: 0, line: 1, offset: 0 });
  return { auditID: event.auditID, stages: [event], primary: event };
}

export const pod = (spec: Record<string, unknown>) => ({ kind: 'Pod', apiVersion: 'v1', spec });
export const deployment = (spec: Record<string, unknown>) => ({ kind: 'Deployment', apiVersion: 'apps/v1', spec: { replicas: 1, template: { spec } } });
export const cronJob = (spec: Record<string, unknown>) => ({ kind: 'CronJob', apiVersion: 'batch/v1', spec: { jobTemplate: { spec: { template: { spec } } } } });
export const role = (rules: Record<string, unknown>[]) => ({ kind: 'ClusterRole', rules });
export const execUri = (...command: string[]) =>
  `/api/v1/namespaces/app/pods/web-0/exec?${command.map((c) => `command=${encodeURIComponent(c)}`).join('&')}&container=web&stdin=true&tty=true`;
