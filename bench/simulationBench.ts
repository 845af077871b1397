// Policy simulation: `k8s-audit simulate` against jq on the same generated files in the same run, and
// re-simulation after an edit of a 100-rule policy on the sample of the largest log (CodeLens).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLED_CHILD_ENV, bundledChild } from './bundledChild';
import { ensureLog, measure } from './logBench';
import type { EditMeasurement } from './simulationEditBench';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const POLICY = join(ROOT, 'test', 'fixtures', 'workspace', 'audit-policy.yaml');
/** jq's cheapest useful pass over every event: read one field of each and count its values. */
const JQ = `jq -r '.verb' "$0" | sort | uniq -c | wc -l`;

export interface SimulationTables {
  cli: string[];
  edit: string[];
}

export function runSimulationBench(sizesMb: number[]): SimulationTables {
  const cli: string[] = [];
  for (const mb of sizesMb) {
    const file = ensureLog(mb);
    const bytes = statSync(file).size;
    const mbps = (seconds: number) => `${(bytes / 1048576 / seconds).toFixed(0)} MB/s`;
    console.log(`${mb} MB: jq one-field count...`);
    const jq = measure('bash', ['-c', JQ, file]);
    console.log(`${mb} MB: k8s-audit simulate...`);
    const simulate = measure(process.execPath, [CLI, 'simulate', POLICY, file, '--format', 'json']);
    const report = JSON.parse(simulate.stdout) as { totals: { requests: number; bytesPerDay: number } };
    cli.push(
      `| ${mb} MB, ${report.totals.requests.toLocaleString('en-US')} requests | ${jq.seconds.toFixed(2)} s (${mbps(jq.seconds)}) | ${simulate.seconds.toFixed(2)} s (${mbps(simulate.seconds)}), **${(jq.seconds / simulate.seconds).toFixed(1)}x jq**, ${simulate.peakMb.toFixed(0)} MB peak | 2x jq: ${jq.seconds / simulate.seconds >= 2 ? 'meets' : 'MISSES'} |`,
    );
  }
  const largest = Math.max(...sizesMb);
  console.log(`${largest} MB: re-simulation after edits of a 100-rule policy...`);
  const run = spawnSync(process.execPath, ['--expose-gc', bundledChild(join(__dirname, 'simulationEditBench.ts')), ensureLog(largest)], { encoding: 'utf8', cwd: ROOT, env: BUNDLED_CHILD_ENV, maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`simulationEditBench failed: ${run.stderr.slice(-500)}`);
  const edit = JSON.parse(run.stdout.trim().split('\n').pop()!) as EditMeasurement;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  return {
    cli,
    edit: [
      `| ${largest} MB log read into the sample once (${edit.requests.toLocaleString('en-US')} requests, ${edit.kinds.toLocaleString('en-US')} request kinds, ${edit.sampleMb.toFixed(0)} MB held: heap and typed arrays) | ${edit.readSeconds.toFixed(1)} s | |`,
      `| edit of a ${edit.rules}-rule policy to its CodeLens: parse, load checks, replay of every request, lens titles (median / p95 of 20 edits) | ${ms(edit.lensMs.median)} / ${ms(edit.lensMs.p95)} | < 300 ms: ${edit.lensMs.median < 300 ? 'meets' : 'MISSES'} |`,
      `| of which the replay itself (simulatePolicy) | ${ms(edit.simulateMs.median)} / ${ms(edit.simulateMs.p95)} | |`,
    ],
  };
}

export function simulationSection(tables: SimulationTables): string[] {
  return [
    '## Policy simulation',
    '',
    `\`k8s-audit simulate POLICY LOG --format json\` (${'`test/fixtures/workspace/audit-policy.yaml`'}) against \`${JQ.replace('"$0"', 'LOG')}\` on the same file in the same run. Ratios are jq time / our time.`,
    '',
    '| file | jq one-field count | k8s-audit simulate | target |',
    '|---|---|---|---|',
    ...tables.cli,
    '',
    'Re-simulation after an edit, as the language server does it for CodeLens: the sample is the server\'s cached read of the `k8sAudit.simulation.logs` files (not the viewer\'s index), the policy has 100 rules of every kind and a catch-all, each edit is a new text.',
    '',
    '| measure | value | target |',
    '|---|---|---|',
    ...tables.edit,
    '',
  ];
}
