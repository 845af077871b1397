// Policy validation speed: a whole 2,000-rule policy, and a 50-rule policy re-validated per keystroke.
import { policyCompletions } from '../server/src/policy/features/complete';
import { policyDiagnostics } from '../server/src/policy/checks/policyDiagnostics';
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
  // The third case has an error in its header (v1beta1): the rules are analysed all the same.
  for (const [rules, target, runs, header] of [
    [2000, 50, 21, ''],
    [50, 5, 201, ''],
    [2000, 50, 21, 'audit.k8s.io/v1beta1'],
  ] as const) {
    const base = header ? generatePolicy(rules).replace('audit.k8s.io/v1', header) : generatePolicy(rules);
    let diagnosticsCount = 0;
    let version = 0;
    // A new text version each run, as after a keystroke: the parse cache must not hide the work.
    const timing = timeSync(() => {
      version++;
      diagnosticsCount = policyDiagnostics('file:///bench/audit-policy.yaml', `${base}# edit ${version}\n`)?.length ?? -1;
    }, runs);
    const text = base;
    const verdict = timing.medianMs < target ? 'meets' : 'MISSES';
    rows.push(
      `| full validation, ${rules}-rule policy${header ? ` with apiVersion ${header} (an error)` : ''} (${(text.length / 1024).toFixed(0)} KB, ${diagnosticsCount} diagnostics) | ${ms(timing.medianMs)} ms | ${ms(timing.p95Ms)} ms | < ${target} ms: ${verdict} |`,
    );
  }
  // Completion on a 500-rule policy: at a new rule's `level: `, each time on a new text version (as
  // after a keystroke, so the parse is included), target under 20 ms.
  const base = generatePolicy(500);
  let version = 0;
  let items = 0;
  const completion = timeSync(() => {
    version++;
    const text = `${base}  - level: \n# edit ${version}\n`;
    const line = text.split('\n').length - 3;
    items = policyCompletions('file:///bench/audit-policy.yaml', text, { line, character: 11 })?.items.length ?? -1;
  }, 101);
  rows.push(
    `| completion at a new rule's level, 500-rule policy, new text version each time (${items} items) | ${ms(completion.medianMs)} ms | ${ms(completion.p95Ms)} ms | < 20 ms: ${completion.medianMs < 20 ? 'meets' : 'MISSES'} |`,
  );
  return { rows };
}
