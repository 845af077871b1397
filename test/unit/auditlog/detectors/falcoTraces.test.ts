import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileDetectors, detectRequest } from '../../../../server/src/auditlog/detectors';
import { readAuditLog } from '../../../../server/src/auditlog/reader/readAuditLog';
import { RequestGrouper } from '../../../../server/src/auditlog/requests';
import { SHARED } from '../../helpers';

// Falco's own k8s_audit test traces and the rules its tests expect to fire (EXPECTED.tsv). Only rows
// with no extra rules file are checked: the others change Falco's lists and macros first.

const FOLDER = join(SHARED, 'corpus', 'logs', 'falco');
const PRESENT = existsSync(join(FOLDER, 'EXPECTED.tsv'));

/** EXPECTED.tsv comes from Falco's 2022 tests, which used combined rule names since split in two. */
const RENAMED: Record<string, string[]> = {
  'K8s Role/Clusterrolebinding Created': ['K8s RoleBinding Created', 'K8s ClusterRoleBinding Created'],
  'K8s Role/Clusterrolebinding Deleted': ['K8s RoleBinding Deleted', 'K8s ClusterRoleBinding Deleted'],
  'K8s Role/Clusterrole Created': ['K8s Role Created', 'K8s ClusterRole Created'],
  'K8s Role/Clusterrole Deleted': ['K8s Role Deleted', 'K8s ClusterRole Deleted'],
};

/**
 * Falco rules that also fire on a trace under Falco's default rules although its test does not list
 * them (its tests assert the listed rule, not the absence of others). Each was checked against the
 * rule conditions in spec §1.
 */
const ALSO_FIRES_IN_FALCO: Record<string, string[]> = {
  // namespace "foo" is not in allowed_namespaces, and every successful namespace create is recorded.
  'anonymous_creates_namespace_foo.json': ['Create Disallowed Namespace', 'K8s Namespace Created'],
  'create_cluster_role_wildcard_resources.json': ['K8s ClusterRole Created'],
  'create_cluster_role_write_privileges.json': ['K8s ClusterRole Created'],
  'create_serviceaccount_kube_system_namespace.json': ['K8s Serviceaccount Created'],
};

interface Row {
  trace: string;
  test: string;
  detect: boolean;
  counts: Map<string, number>;
}

function expectedRows(): Row[] {
  return readFileSync(join(FOLDER, 'EXPECTED.tsv'), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('trace_file'))
    .map((line) => line.split('\t'))
    .filter((cells) => cells[5] === '-')
    .map(([trace, test, detect, , counts]) => ({
      trace: trace!,
      test: test!,
      detect: detect === 'True',
      counts: new Map(
        counts === '-' ? [] : counts!.split(',').map((pair) => {
          const [rule, count] = pair.split('=');
          return [rule!, Number(count)] as [string, number];
        }),
      ),
    }));
}

/** Falco rule names that fire on a trace, with how often (one count per request). */
async function falcoRulesFired(trace: string): Promise<Map<string, number>> {
  const detectors = compileDetectors().filter((d) => d.definition.references.includes(`falco:${d.definition.title}`));
  const fired = new Map<string, number>();
  const grouper = new RequestGrouper((request) => {
    for (const finding of detectRequest(request, detectors)) {
      if (finding.outcome === 'hit') fired.set(finding.detector.title, (fired.get(finding.detector.title) ?? 0) + 1);
    }
  });
  const summary = await readAuditLog(join(FOLDER, trace), (event) => grouper.add(event));
  grouper.finish();
  assert.equal(summary.skippedCount, 0, `${trace}: ${JSON.stringify(summary.skipped)}`);
  return fired;
}

describe('Falco k8s_audit traces', { skip: !PRESENT && `no Falco corpus at ${FOLDER}` }, () => {
  const rows = PRESENT ? expectedRows() : [];
  it('finds rows to check', () => assert.ok(rows.length >= 20, `${rows.length} rows`));

  for (const row of rows) {
    it(`${row.test} (${row.trace}): ${row.detect ? [...row.counts].map(([r, n]) => `${r}=${n}`).join(', ') : 'no detection'}`, async () => {
      const fired = await falcoRulesFired(row.trace);
      const expected = new Map<string, number>();
      for (const [rule, count] of row.counts) {
        const names = RENAMED[rule] ?? [rule];
        const name = names.find((n) => fired.has(n)) ?? names[0]!;
        expected.set(name, count);
      }
      for (const rule of ALSO_FIRES_IN_FALCO[row.trace] ?? []) expected.set(rule, 1);
      assert.deepEqual(Object.fromEntries([...fired].sort()), Object.fromEntries([...expected].sort()));
    });
  }
});
