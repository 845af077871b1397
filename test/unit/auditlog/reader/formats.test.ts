import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { NormalizedEvent } from '../../../../server/src/auditlog/normalizedEvent';
import { parseAuditText, readAuditLog } from '../../../../server/src/auditlog/reader/readAuditLog';
import { groupRequests } from '../../../../server/src/auditlog/requests';
import { FIXTURES, SHARED } from '../../helpers';
import { testTempDir } from '../../../harness/tempDir';

const FORMATS = join(FIXTURES, 'logs', 'formats');

async function read(path: string) {
  const events: NormalizedEvent[] = [];
  const summary = await readAuditLog(path, (event) => events.push(event));
  return { events, summary };
}

describe('audit log formats', () => {
  it('reads audit.k8s.io v1, v1beta1 and apiVersion-less JSON lines', async () => {
    const { events, summary } = await read(join(FORMATS, 'v1.jsonl'));
    assert.equal(summary.framing, 'lines');
    assert.deepEqual(summary.formats, { 'k8s-json': 4 });
    assert.equal(summary.skippedCount, 0);
    const [received, complete, beta, created] = events as [NormalizedEvent, NormalizedEvent, NormalizedEvent, NormalizedEvent];
    assert.equal(received.stage, 'RequestReceived');
    assert.equal(complete.user, 'dana@example.org');
    assert.deepEqual(complete.groups, ['oncall', 'system:authenticated']);
    assert.equal(complete.sourceIP, '203.0.113.7');
    assert.equal(complete.code, 200);
    assert.equal(complete.time, Date.parse('2026-03-01T08:15:00.250Z'));
    assert.equal(complete.latencyMs, 12);
    assert.equal(complete.line, 2);
    assert.equal(complete.offset, readFileSync(join(FORMATS, 'v1.jsonl'), 'utf8').indexOf('\n') + 1);
    assert.equal(beta.time, Date.parse('2026-03-01T08:16:00Z'), 'v1beta1 events without requestReceivedTimestamp use timestamp');
    assert.equal(beta.apiGroup, 'apps');
    assert.equal(created.name, 'tool-x7k2p', 'generateName creates take the name from the response');
    assert.equal(groupRequests(events).length, 3);
  });

  it('reads pretty-printed EventList documents, several in one file', async () => {
    const { events, summary } = await read(join(FORMATS, 'eventlist-pretty.json'));
    assert.equal(summary.framing, 'documents');
    assert.deepEqual(summary.formats, { 'k8s-eventlist': 3 });
    assert.deepEqual(events.map((e) => e.line), [1, 1, 32]);
    assert.equal(events[1]!.requestURI, '/api/v1/namespaces/kube-system/configmaps/note {braces} "quoted"');
  });

  it('reads a JSON array element by element and skips a malformed {"kind": 0}', async () => {
    const { events, summary } = await read(join(FORMATS, 'array.json'));
    assert.deepEqual(summary.formats, { 'json-array': 2 });
    assert.deepEqual(events.map((e) => e.line), [2, 3]);
    assert.deepEqual(summary.skipped.map((s) => [s.line, s.reason]), [[4, 'not an audit event: no auditID, verb, stage or requestURI']]);
  });

  it('reads the 1.8+ legacy text format with Go-quoted values', async () => {
    const { events } = await read(join(FORMATS, 'legacy-1.8.log'));
    const [first, second] = events as [NormalizedEvent, NormalizedEvent];
    assert.equal(first.format, 'legacy-text');
    assert.equal(first.verb, 'create');
    assert.equal(first.resource, 'pods');
    assert.equal(first.subresource, 'exec');
    assert.equal(first.namespace, 'team-a');
    assert.equal(first.name, 'app-0');
    assert.equal(first.userAgent, 'kubectl/v1.10.0 "quoted"');
    assert.deepEqual(first.groups, ['dev', 'system:authenticated']);
    assert.equal(first.code, null);
    assert.equal(first.time, Date.parse('2026-03-04T16:00:00.123Z'));
    assert.equal(second.code, 101);
    assert.equal(second.impersonatedUser, 'system:serviceaccount:team-a:builder');
  });

  it('pairs pre-1.8 legacy request and response lines by id', async () => {
    const { events } = await read(join(FORMATS, 'legacy-pre1.8.log'));
    const requests = groupRequests(events);
    assert.equal(requests.length, 2);
    const list = requests.find((r) => r.primary.resource === 'secrets')!;
    assert.equal(list.primary.verb, 'list');
    assert.equal(list.primary.code, 403);
    assert.equal(list.primary.user, 'ivy');
    assert.equal(list.stages.length, 2);
    assert.equal(requests.find((r) => r.primary.resource === 'pods')!.primary.verb, 'delete');
  });

  it('reads AKS records with properties.log as a string or an object, and explains the rest', async () => {
    const { events, summary } = await read(join(FORMATS, 'aks.jsonl'));
    assert.deepEqual(events.map((e) => [e.format, e.user, e.verb]), [
      ['aks', 'jack@contoso.example', 'list'],
      ['aks', 'aksService', 'patch'],
    ]);
    assert.deepEqual(summary.skipped.map((s) => s.line), [3, 4]);
    assert.match(summary.skipped[0]!.reason, /category "kube-apiserver" is not an audit event/);
    assert.match(summary.skipped[1]!.reason, /AKS properties.log is not JSON/);
  });

  it('reads GKE Cloud Audit entries and maps gRPC codes to HTTP', async () => {
    const { events } = await read(join(FORMATS, 'gke.json'));
    const [create, denied] = events as [NormalizedEvent, NormalizedEvent];
    assert.equal(create.format, 'gke');
    assert.equal(create.verb, 'create');
    assert.equal(create.code, 201);
    assert.equal(create.namespace, 'shop');
    assert.equal(create.name, 'cart-0');
    assert.equal(create.sourceIP, '35.1.2.3');
    assert.equal(create.level, 'Request');
    assert.equal((create.event.requestObject as { spec: { hostPID: boolean } }).spec.hostPID, true);
    assert.equal((create.event.annotations as Record<string, string>)['authorization.k8s.io/decision'], 'allow');
    assert.equal(denied.code, 403);
    assert.equal(denied.verb, 'list');
    assert.equal(denied.resource, 'secrets');
    assert.equal(denied.requestURI, '/api/v1/secrets');
  });

  it('reads the EKS CloudWatch shapes and reports [Truncated...] messages', async () => {
    const tail = await read(join(FORMATS, 'eks-tail.log'));
    assert.deepEqual(tail.events.map((e) => [e.format, e.name]), [['eks-tail', 'aws-auth']]);
    assert.deepEqual(tail.summary.skipped.map((s) => s.line), [2]);
    assert.match(tail.summary.skipped[0]!.reason, /Truncated/);

    const filter = await read(join(FORMATS, 'eks-filter-log-events.json'));
    assert.deepEqual(filter.events.map((e) => [e.format, e.subresource, e.code]), [['eks-filter-log-events', 'exec', 101]]);

    const subscription = await read(join(FORMATS, 'eks-subscription.json'));
    assert.deepEqual(subscription.events.map((e) => [e.format, e.resource, e.subresource]), [['eks-subscription', 'nodes', 'proxy']]);
    assert.equal(subscription.summary.skippedCount, 1);
    assert.match(subscription.summary.skipped[0]!.reason, /CloudWatch message truncated/);
  });

  it('reads a Logs Insights CSV export and Elastic copies', async () => {
    const csv = await read(join(FORMATS, 'eks-insights.csv'));
    assert.deepEqual(csv.events.map((e) => [e.format, e.line, e.user, e.subresource]), [['eks-insights-csv', 2, 'pat@example.org', 'exec']]);
    assert.equal(csv.summary.skippedCount, 0, 'the header line is not a skipped record');
    const elastic = await read(join(FORMATS, 'elastic.ndjson'));
    const [event] = elastic.events as [NormalizedEvent];
    assert.deepEqual([event.format, event.user, event.verb, event.resource], ['elastic', 'quinn@example.org', 'list', 'secrets']);
    assert.equal((event.event.annotations as Record<string, string>)['authorization.k8s.io/decision'], 'allow');
  });

  it('reads every sample of the shared corpus without skipping anything', { skip: !existsSync(join(SHARED, 'corpus', 'logs', 'formats')) && 'no ../shared corpus' }, async () => {
    const folder = join(SHARED, 'corpus', 'logs', 'formats');
    const expected: Record<string, [string, number]> = {
      'aks_kube-audit-admin_properties.log_as_object.json': ['aks', 1],
      'aks_kube-audit_properties.log_as_string.json': ['aks', 1],
      'eks_audit_event_as_ingested_by_panther.json': ['k8s-json', 1],
      'gke_cloud_audit_exec_panther_normalized.json': ['gke', 1],
      'gke_cloud_audit_protopayload_anonymous_forbidden.json': ['gke', 1],
      'gke_cloud_audit_protopayload_readyz.json': ['gke', 1],
      'json_v1beta1_two_stages.jsonl': ['k8s-json', 2],
      'legacy_audit-log-format-legacy.log': ['legacy-text', 2],
      'legacy_pre1.8_two_lines.log': ['legacy-text-pre1.8', 2],
      'webhook_eventlist.json': ['k8s-eventlist', 1],
    };
    for (const [file, [format, count]] of Object.entries(expected)) {
      const { summary } = await read(join(folder, file));
      assert.deepEqual(summary.formats, { [format]: count }, file);
      assert.equal(summary.skippedCount, 0, file);
    }
    const exec = (await read(join(folder, 'gke_cloud_audit_exec_panther_normalized.json'))).events[0]!;
    assert.deepEqual([exec.verb, exec.resource, exec.subresource, exec.code, exec.sourceIP], ['create', 'pods', 'exec', 101, '1.2.3.4']);
    const demo = await read(join(SHARED, 'corpus', 'logs', 'audit2rbac', 'demo.log'));
    assert.equal(demo.summary.events, 37);
    assert.equal(demo.summary.skippedCount, 0);
    assert.ok(demo.events.some((e) => e.impersonatedUser === 'bob'));
  });
});

describe('format details', () => {
  it('unquotes Go %q escapes in legacy lines', () => {
    const events: NormalizedEvent[] = [];
    parseAuditText('2026-03-04T12:00:00Z AUDIT: id="x" stage="ResponseComplete" ip="1.2.3.4" method="get" user="a\\x41\\u00e9\\101\\tb" groups="" as="<self>" asgroups="<lookup>" namespace="<none>" uri="/version" response="200"\n', (e) => events.push(e));
    assert.equal(events[0]!.user, 'aAé\u0041\tb');
    assert.equal(events[0]!.resource, '');
    assert.equal(events[0]!.requestURI, '/version');
    assert.equal(events[0]!.code, 200);
  });

  it('reads Firehose objects: gzipped subscription records back to back, no newline', async () => {
    const record = (id: string) => JSON.stringify({ messageType: 'DATA_MESSAGE', logGroup: '/aws/eks/demo/cluster', logEvents: [{ id, timestamp: 1, message: JSON.stringify({ auditID: id, stage: 'ResponseComplete', verb: 'get', requestURI: '/api' }) }] });
    const folder = testTempDir('k8s-audit-firehose-');
    const file = join(folder, 'firehose-object.gz');
    writeFileSync(file, gzipSync(record('f1') + record('f2') + record('f3')));
    const { events, summary } = await read(file);
    assert.deepEqual(events.map((e) => [e.auditID, e.format]), [['f1', 'eks-subscription'], ['f2', 'eks-subscription'], ['f3', 'eks-subscription']]);
    assert.equal(summary.skippedCount, 0);
  });

  it('skips Cloud Audit entries of other Google services', () => {
    const skipped = parseAuditText(JSON.stringify({ protoPayload: { serviceName: 'compute.googleapis.com', methodName: 'v1.compute.instances.insert' } }), () => undefined).skipped;
    assert.deepEqual(skipped.map((s) => s.reason), ['Cloud Audit entry of another service than k8s.io']);
  });

  it('maps every gRPC status of GKE entries to an HTTP code', () => {
    const codes: [number, number][] = [[0, 200], [3, 400], [5, 404], [7, 403], [13, 500], [16, 401]];
    for (const [grpc, http] of codes) {
      const events: NormalizedEvent[] = [];
      const entry = { protoPayload: { methodName: 'io.k8s.core.v1.pods.get', resourceName: 'core/v1/namespaces/a/pods/b', status: { code: grpc } }, timestamp: '2026-01-01T00:00:00Z' };
      parseAuditText(JSON.stringify(entry), (e) => events.push(e));
      assert.equal(events[0]!.code, http, `gRPC ${grpc}`);
    }
  });
});
