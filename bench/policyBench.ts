// Policy validation speed: a whole 2,000-rule policy, and a 50-rule policy re-validated per keystroke.
import { policyDiagnostics } from '../server/src/policy/policyDiagnostics';
import { ms, timeSync } from './stats';

const RESOURCES = ['pods', 'deployments', 'services', 'configmaps', 'secrets', 'nodes', 'leases', 'events', 'jobs', 'cronjobs'];
const GROUPS: Record<string, string> = { deployments: 'apps', leases: 'coordination.k8s.io', jobs: 'batch', cronjobs: 'batch' };
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** A realistic, valid policy of `count` rules: users, verbs, namespaces and resources vary per rule. */
export function generatePolicy(count: number): string {
  const lines = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: ["RequestReceived"]', 'rules:'];
  for (let i = 0; i < count - 1; i++) {
    const resource = RESOURCES[i % RESOURCES.length]!;
    lines.push(`  - level: ${resource === 'secrets' || resource === 'configmaps' ? 'Metadata' : LEVELS[i % 2]}`);
    lines.push(`    users: ["user-${i}@example.com"]`);
    lines.push(`    verbs: ["get", "list", "watch"]`);
    lines.push(`    namespaces: ["team-${i % 40}"]`);
    lines.push('    resources:');
    lines.push(`      - group: "${GROUPS[resource] ?? ''}"`);
    lines.push(`        resources: ["${resource}"]`);
  }
  lines.push('  - level: Metadata');
  return `${lines.join('\n')}\n`;
}

export interface PolicyBenchResult {
  rows: string[];
}

export function runPolicyBench(): PolicyBenchResult {
  const rows: string[] = [];
  for (const [rules, target, runs] of [
    [2000, 50, 21],
    [50, 5, 201],
  ] as const) {
    const text = generatePolicy(rules);
    let diagnosticsCount = 0;
    const timing = timeSync(() => {
      diagnosticsCount = policyDiagnostics('file:///bench/audit-policy.yaml', text)?.length ?? -1;
    }, runs);
    const verdict = timing.medianMs < target ? 'meets' : 'MISSES';
    rows.push(
      `| full validation, ${rules}-rule policy (${(text.length / 1024).toFixed(0)} KB, ${diagnosticsCount} diagnostics) | ${ms(timing.medianMs)} ms | ${ms(timing.p95Ms)} ms | < ${target} ms: ${verdict} |`,
    );
  }
  return { rows };
}
