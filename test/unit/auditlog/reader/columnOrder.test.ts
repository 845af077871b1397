import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROUP_SEPARATOR, STRING_COLUMN_INDEX, STRING_COLUMNS, type StringColumn } from '../../../../server/src/auditlog/index/schema';
import { FieldScanner, fieldScannerUnavailable, KIND_EVENT, R_IDS, R_KIND } from '../../../../server/src/auditlog/reader/fieldScanner';
import { TABLE_FIELD_NAMES } from '../../../../server/src/protocol/requestFields';

// The field scanner's WebAssembly writes the text columns in an order of its own (C_* in
// reader/assembly/fieldScanner.ts); JavaScript derives it from the request field table
// (protocol/requestFields.ts). One line with a different value in every column tells where the
// WebAssembly put each: it must be where the table says.

/** What each text column holds for the line below. */
const EXPECTED: Record<StringColumn, string> = {
  user: 'the-user',
  impersonatedUser: 'the-impersonated',
  verb: 'the-verb',
  apiGroup: 'the-group.example.com',
  resource: 'the-resource',
  subresource: 'the-subresource',
  resourcePath: 'the-resource/the-subresource',
  namespace: 'the-namespace',
  name: 'the-name',
  requestURI: '/the/uri',
  sourceIP: '10.9.8.7',
  userAgent: 'the-agent',
  level: 'Request',
  stage: 'ResponseComplete',
  decision: 'the-decision',
  reason: 'the-reason',
  groups: `${GROUP_SEPARATOR}group-a${GROUP_SEPARATOR}group-b`,
};

const LINE = JSON.stringify({
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Request',
  auditID: 'column-order',
  stage: 'ResponseComplete',
  requestURI: '/the/uri',
  verb: 'the-verb',
  user: { username: 'the-user', groups: ['group-a', 'group-b'] },
  impersonatedUser: { username: 'the-impersonated' },
  sourceIPs: ['10.9.8.7', '10.0.0.1'],
  userAgent: 'the-agent',
  objectRef: { resource: 'the-resource', subresource: 'the-subresource', namespace: 'the-namespace', name: 'the-name', apiGroup: 'the-group.example.com' },
  responseStatus: { code: 201 },
  requestReceivedTimestamp: '2026-02-22T10:00:00.000000Z',
  stageTimestamp: '2026-02-22T10:00:00.250000Z',
  annotations: { 'authorization.k8s.io/decision': 'the-decision', 'authorization.k8s.io/reason': 'the-reason' },
});

describe('text columns: the WebAssembly scanner and the request field table agree', () => {
  it('the table names every column the scanner writes, each once', () => {
    assert.deepEqual([...STRING_COLUMNS].sort(), Object.keys(EXPECTED).sort());
    assert.equal(new Set(STRING_COLUMNS).size, STRING_COLUMNS.length);
    for (const column of STRING_COLUMNS) assert.ok(TABLE_FIELD_NAMES.includes(column), column);
  });

  it('each column holds, at the table position, the value of its field', () => {
    const scanner = FieldScanner.create(1 << 16, 16);
    assert.ok(scanner, fieldScannerUnavailable());
    scanner.write(Buffer.from(`${LINE}\n`), 0);
    assert.equal(scanner.scan(LINE.length + 1), 1);
    const record = scanner.output >>> 2;
    assert.equal(scanner.words[record + R_KIND], KIND_EVENT, 'the scanner read the line itself (not left to JSON.parse)');
    const found: Record<string, string> = {};
    for (const column of STRING_COLUMNS) {
      const c = STRING_COLUMN_INDEX[column];
      found[column] = scanner.strings[c]![scanner.words[record + R_IDS + c]!]!;
    }
    assert.deepEqual(found, EXPECTED);
  });
});
