// Re-simulation after an edit, as the language server does it for CodeLens: the sample of a big log
// read once (the server's cached read of k8sAudit.simulation.logs), then a 100-rule policy edited
// and its lenses computed again (parse, load checks, replay over every request, lens titles).
//   bundled by bench/bundledChild.ts, then: node --expose-gc simulationEditBench.js LOG   -> one JSON line
import { performance } from 'node:perf_hooks';
import { simulationLenses } from '../server/src/simulation/codeLenses';
import { readSample } from '../server/src/simulation/readSample';
import { simulatePolicy } from '../server/src/simulation/simulate';
import { simulationPolicy } from '../server/src/simulation/simulationPolicy';

export interface EditMeasurement {
  readSeconds: number;
  requests: number;
  kinds: number;
  sampleMb: number;
  rules: number;
  lensMs: { median: number; p95: number };
  simulateMs: { median: number; p95: number };
}

const NAMESPACES = ['default', 'kube-system', 'prod', 'staging', 'monitoring', 'payments'];
const RESOURCES: [string, string][] = [['', 'pods'], ['', 'services'], ['', 'endpoints'], ['', 'configmaps'], ['', 'secrets'], ['apps', 'deployments'], ['apps', 'replicasets'], ['batch', 'jobs'], ['coordination.k8s.io', 'leases'], ['rbac.authorization.k8s.io', 'roles']];
const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** A 100-rule policy using every kind of condition, ending in a catch-all; `edit` varies one rule. */
export function hundredRulePolicy(edit: number): string {
  const lines = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'omitStages: [RequestReceived]', 'rules:'];
  for (let i = 0; i < 99; i++) {
    const [group, resource] = RESOURCES[i % RESOURCES.length]!;
    const level = LEVELS[(i + (i === edit % 99 ? 1 + (edit % 3) : 0)) % 4]!;
    lines.push(`  - level: ${level === 'Request' && resource === 'secrets' ? 'Metadata' : level}`);
    switch (i % 5) {
      case 0:
        lines.push(`    users: ["system:serviceaccount:team-${i}:deployer"]`);
        break;
      case 1:
        lines.push(`    userGroups: ["team-${i}"]`);
        break;
      case 2:
        lines.push(`    namespaces: [${NAMESPACES[i % NAMESPACES.length]}]`);
        break;
      case 3:
        lines.push('    verbs: [delete, deletecollection]');
        break;
      default:
        lines.push(`    nonResourceURLs: ["/custom-${i}*"]`);
        continue;
    }
    lines.push('    resources:', `      - group: "${group}"`, `        resources: [${resource}${i % 7 === 0 ? `, ${resource}/status` : ''}]`);
    if (i % 11 === 0) lines.push(`        resourceNames: [leader-${i}]`);
  }
  lines.push('  - level: Metadata');
  return `${lines.join('\n')}\n`;
}

function summary(values: number[]): { median: number; p95: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]! };
}

async function main(file: string): Promise<void> {
  // Typed arrays live outside the JS heap: count both.
  const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  global.gc?.();
  const heapBefore = memory();
  const started = performance.now();
  const { sample, read } = await readSample([file]);
  const readSeconds = (performance.now() - started) / 1000;
  const loaded = { files: [file], sample, read };
  global.gc?.();
  const heapAfter = memory();
  const lensMs: number[] = [];
  const simulateMs: number[] = [];
  // A few warm-up edits, then the measured ones: each a new text, as typing makes.
  for (let edit = 0; edit < 25; edit++) {
    const text = hundredRulePolicy(edit);
    const t = performance.now();
    const lenses = simulationLenses('file:///bench/audit-policy.yaml', text, loaded, 3);
    const ms = performance.now() - t;
    if (lenses.length !== 101) throw new Error(`expected 101 lenses, got ${lenses.length}`);
    const policy = simulationPolicy(text)!.policy;
    const s = performance.now();
    simulatePolicy(sample, policy);
    const sms = performance.now() - s;
    if (edit >= 5) {
      lensMs.push(ms);
      simulateMs.push(sms);
    }
  }
  const measurement: EditMeasurement = {
    readSeconds,
    requests: sample.rows,
    kinds: sample.kinds.length,
    sampleMb: (heapAfter - heapBefore) / 1048576,
    rules: 100,
    lensMs: summary(lensMs),
    simulateMs: summary(simulateMs),
  };
  console.log(JSON.stringify(measurement));
}

if (require.main === module) {
  main(process.argv[2]!).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
