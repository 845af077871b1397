import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeEvent } from '../../../server/src/auditlog/normalizedEvent';
import { COLUMNS, createStatements, eventRow, storeTable } from '../../../server/src/store/schema';

// The events table's columns are derived from the request field table (protocol/requestFields.ts);
// a row must fill exactly those columns, each with a value of its type.
const EVENT = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Request',
  auditID: 'a-1',
  stage: 'ResponseComplete',
  requestURI: '/api/v1/namespaces/prod/pods/web/exec?command=sh&command=-c',
  verb: 'create',
  user: { username: 'alice', groups: ['dev', 'system:authenticated'] },
  sourceIPs: ['10.0.0.7'],
  userAgent: 'kubectl/v1.31',
  objectRef: { resource: 'pods', subresource: 'exec', namespace: 'prod', name: 'web' },
  responseStatus: { code: 101 },
  requestReceivedTimestamp: '2026-02-22T10:00:00.000000Z',
  stageTimestamp: '2026-02-22T10:00:00.250000Z',
  annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed' },
};

describe('ClickHouse events table', () => {
  it('a row fills exactly the columns of the table', () => {
    const row = eventRow(normalizeEvent(EVENT, 'k8s-json', { file: 0, line: 1, offset: 0 }), 'audit.log', { hits: ['exec'], unknown: [] });
    assert.deepEqual(Object.keys(row).sort(), COLUMNS.map(([name]) => name).sort());
  });

  it('each request field is a column of the type its field type maps to, with the value the query language reads', () => {
    const types = new Map(COLUMNS);
    const row = eventRow(normalizeEvent(EVENT, 'k8s-json', { file: 0, line: 1, offset: 0 }), 'audit.log');
    const expected: [column: string, type: string, value: unknown][] = [
      ['user', 'String', 'alice'],
      ['groups', 'Array(String)', ['dev', 'system:authenticated']],
      ['resource', 'String', 'pods'],
      ['subresource', 'String', 'exec'],
      ['auditID', 'String', 'a-1'],
      ['latencyMs', 'Nullable(Int64)', 250],
      ['code', 'Nullable(Float64)', 101],
      ['decision', 'String', 'allow'],
      ['reason', 'String', 'RBAC: allowed'],
      ['command', 'String', 'sh -c'],
    ];
    for (const [column, type, value] of expected) {
      assert.equal(types.get(column), type, column);
      assert.deepEqual(row[column], value, column);
    }
    assert.equal(types.has('resourcePath'), false, 'the index-only column is not stored');
  });

  it('the CREATE TABLE names every column once', () => {
    const [create] = createStatements(storeTable('events'));
    for (const [name, type] of COLUMNS) assert.equal(create!.split(`\n  ${name} ${type}`).length, 2, name);
  });
});
