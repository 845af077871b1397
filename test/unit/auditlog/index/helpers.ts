// Shared by the log index tests: the streaming path's answers (readLogSet + requestPredicate +
// detectRequest) as the reference the index must reproduce exactly.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { compileDetectors, compileWindowDetectors, detectRequest, WindowScanner } from '../../../../server/src/auditlog/detectors';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import type { LogIndex } from '../../../../server/src/auditlog/index';
import { compileQuery, parseQuery, requestPredicate } from '../../../../server/src/auditlog/query';
import { readLogSet } from '../../../../server/src/auditlog/readLogSet';
import type { AuditRequest } from '../../../../server/src/auditlog/requests';
import { REPO_ROOT } from '../../helpers';

export const NOW = Date.parse('2026-02-22T12:00:00Z');

/** A request named by its primary stage's record: file, offset, auditID, stage (a line can hold several events). */
export function requestKey(file: number, offset: number, auditID: string, stage: string): string {
  return `${file}:${offset}:${auditID}:${stage}`;
}

export function indexKeys(index: LogIndex, rows: ArrayLike<number>): string[] {
  const keys: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    keys.push(requestKey(index.fileOf(row, 'primary'), index.number(row, 'primaryOffset'), index.auditID(row), index.text(row, 'stage')));
  }
  return keys.sort();
}

export async function streamingRequests(paths: string[]): Promise<AuditRequest[]> {
  const requests: AuditRequest[] = [];
  await readLogSet(paths, (request) => requests.push(request));
  return requests;
}

export function streamingKeys(requests: AuditRequest[], query: string): string[] {
  const matches = requestPredicate(compileQuery(parseQuery(query, { now: NOW })));
  return requests.filter(matches).map((r) => requestKey(r.primary.file, r.primary.offset, r.auditID, r.primary.stage)).sort();
}

/** Per request key, its detector findings as "id:outcome", sorted. */
export function streamingFindings(requests: AuditRequest[]): Map<string, string> {
  const detectors = compileDetectors();
  const windows = new WindowScanner(compileWindowDetectors());
  const found = new Map<string, string[]>();
  const keyOf = (e: NormalizedEvent) => requestKey(e.file, e.offset, e.auditID, e.stage);
  for (const r of requests) {
    found.set(keyOf(r.primary), detectRequest(r, detectors).map((f) => `${f.detector.id}:${f.outcome}`));
    windows.add(r);
  }
  // Window detectors (bursts), as `k8s-audit scan` finds them: the index must mark the same requests.
  for (const finding of windows.finish()) found.get(keyOf(finding.event))!.push(`${finding.detector.id}:${finding.outcome}`);
  return new Map([...found].map(([key, findings]) => [key, findings.sort().join(',')]));
}

export function generateLog(out: string, requests: number, seed = 7): void {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'generate-audit-log.mjs'), '--out', out, '--requests', String(requests), '--seed', String(seed)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
}

/** Queries that exercise every kind of term: index fields, wildcards, free text, numbers, time, bodies. */
export const QUERIES = [
  '',
  'verb:create resource:pods/exec',
  'verb:create resource:pods subresource:exec',
  'resource:pods',
  'resource:pods/*',
  'resource:*/status',
  'code:403',
  'code:2*',
  'code>=400',
  'code<300 -verb:get',
  'status:(201 101)',
  'user:system:*',
  '-user:system:* verb:(get list)',
  'group:sre',
  'groups:system:serviceaccounts*',
  'ns:prod OR ns:payments',
  'namespace:* -namespace:kube-*',
  '-namespace:*',
  'name:web-*',
  'userAgent:kubectl*',
  'ua:*Go-http*',
  'ip:10.0.1.*',
  'apiGroup:rbac.authorization.k8s.io',
  'level:Request',
  'stage:ResponseComplete',
  'decision:forbid',
  'reason:RBAC*',
  'command:*id*',
  'uri:/healthz',
  'auditID:a*',
  'id:*-4*',
  'alice',
  '"kube-controller"',
  'Secrets',
  '"-4"',
  'ab',
  'stage:ResponseComplete ab*',
  'latency>20',
  'latency<=5ms',
  'latency:3',
  'after:2026-02-22T10:00:05Z before:2026-02-22T10:00:15.5Z',
  'last:2h',
  'time>=2026-02-22T10:00:10Z',
  'requestObject.spec.containers[].securityContext.privileged:true',
  'podSpec.allContainers[].securityContext.privileged:true OR verb:delete',
  '-requestObject.kind:Pod resource:pods verb:create',
  'requestObject.metadata.name:debug-* OR user:bob*',
  'responseStatus.code>=400',
  'annotations["authorization.k8s.io/decision"]:allow verb:patch',
  'objectRef.apiVersion:v1 NOT verb:watch',
  'requestObject.rules[].resources[]:secrets',
  'all(requestObject.spec.containers[].image:busybox)',
  '-all(podSpec.allContainers[].image:nginx*) resource:pods',
  'verb:create NOT all(requestObject.spec.containers[].securityContext.privileged:false)',
  'all(responseStatus.code>=400)',
];
