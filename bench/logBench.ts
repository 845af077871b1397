// Audit log engine against jq and lnav, on the same generated files, in the same run: the index build
// (what the viewer does: 2 worker threads), `k8s-audit query` and `k8s-audit scan` (both stream the
// file once through the same field scanner, no index; a big plain file in two halves, one worker each).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BUNDLED_CHILD_ENV, bundledChild } from './bundledChild';
import type { IndexMeasurement } from './indexBench';

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, 'data');
const CLI = join(ROOT, 'dist', 'cli.js');
/** The question every tool answers: how many requests exec'd into a pod (distinct auditIDs). */
const JQ_FILTER = 'select(.verb=="create" and .objectRef.resource=="pods" and .objectRef.subresource=="exec")';
const LNAV_SQL = `;SELECT count(DISTINCT auditID) AS n FROM k8s_audit WHERE verb = 'create' AND "objectRef/resource" = 'pods' AND "objectRef/subresource" = 'exec'`;
const QUERY = 'verb:create resource:pods/exec';
/** Each tool runs this many times; the table shows the run of median wall time (the machine may be shared). */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);

export interface Measured {
  seconds: number;
  /** User + system CPU seconds of the process and its threads. */
  cpu: number;
  stdout: string;
  peakMb: number;
}

/** Runs a command under GNU time (peak RSS, CPU); wall time measured here. */
export function measureOnce(command: string, args: string[], env?: NodeJS.ProcessEnv): Measured {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, ...(env ? { env } : {}) });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr.slice(-500)}`);
  const [kb, user, system] = result.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { seconds, cpu: user! + system!, stdout: result.stdout, peakMb: kb! / 1024 };
}

/** The run of median wall time of REPEAT runs (for commands that can run again on the same input). */
export function measure(command: string, args: string[], env?: NodeJS.ProcessEnv): Measured {
  const runs = Array.from({ length: REPEAT }, () => measureOnce(command, args, env)).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)]!;
}

export function ensureLog(mb: number): string {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `audit-${mb}m.log`);
  if (!existsSync(file) || statSync(file).size < mb * 1024 * 1024 * 0.99) {
    console.log(`generating ${mb} MB log...`);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'generate-audit-log.mjs'), '--out', file, '--mb', String(mb)], { stdio: 'inherit' });
  }
  return file;
}

function hasLnav(): boolean {
  return spawnSync('lnav', ['-V'], { encoding: 'utf8' }).status === 0;
}

export interface LogBenchTables {
  /** One row per file and tool. */
  tools: string[];
  queries: string[];
  /** What the machine was doing (load averages while measuring). */
  load: string;
}

export function runLogBench(sizesMb: number[]): LogBenchTables {
  const tools: string[] = [];
  const queryRows: string[] = [];
  const loads: number[] = [];
  const lnav = hasLnav();
  const indexBench = bundledChild(join(__dirname, 'indexBench.ts'));
  for (const mb of sizesMb) {
    const file = ensureLog(mb);
    const bytes = statSync(file).size;
    const mbps = (seconds: number) => `${(bytes / 1048576 / seconds).toFixed(0)} MB/s`;
    loads.push(loadavg()[0]!);
    console.log(`${mb} MB: jq...`);
    const jq = measure('bash', ['-c', `jq -r '${JQ_FILTER} | .auditID' "$0" | sort -u | wc -l`, file]);
    const jqCount = Number(jq.stdout.trim());
    const answer = (count: number) => (count === jqCount ? 'same' : `**DIFFER: ${count}**`);
    const row = (tool: string, m: { seconds: number; cpu: number; peakMb: number }, count: number, extra = '') =>
      `| ${mb} MB | ${tool} | ${m.seconds.toFixed(2)} s (${mbps(m.seconds)}) | ${m === jq ? '1.0x' : `**${(jq.seconds / m.seconds).toFixed(1)}x**`} | ${m.cpu.toFixed(2)} s | ${m.peakMb.toFixed(0)} MB | ${answer(count)}${extra} |`;
    tools.push(row('jq 1.6 (select, distinct auditIDs)', jq, jqCount));
    if (lnav) {
      console.log(`${mb} MB: lnav...`);
      const l = measure('lnav', ['-n', '-I', join(__dirname, 'lnav'), '-c', LNAV_SQL, file]);
      tools.push(row('lnav 0.11 (k8s_audit format, SQL count)', l, Number(l.stdout.trim().split('\n').pop())));
    }
    console.log(`${mb} MB: log index...`);
    const build = measure(process.execPath, [indexBench, file], BUNDLED_CHILD_ENV);
    const index = JSON.parse(build.stdout.trim().split('\n').pop()!) as IndexMeasurement;
    const lines = `; field scanner ${index.lines.scanned.toLocaleString('en-US')} lines, JSON.parse ${index.lines.fallback.toLocaleString('en-US')}`;
    tools.push(row('index build (viewer), detectors on, 2 workers', { seconds: index.buildSeconds, cpu: build.cpu, peakMb: build.peakMb }, index.execRequests, `; ${index.requests.toLocaleString('en-US')} requests, first rows ${index.firstRowsMs.toFixed(0)} ms${lines}`));
    console.log(`${mb} MB: k8s-audit query...`);
    const query = measure(process.execPath, [CLI, 'query', file, QUERY, '--format', 'count']);
    tools.push(row(`\`k8s-audit query '${QUERY}' --format count\``, query, Number(query.stdout.trim())));
    console.log(`${mb} MB: k8s-audit scan...`);
    const scan = measure(process.execPath, [CLI, 'scan', file, '--format', 'json']);
    const report = JSON.parse(scan.stdout) as { events: number; detections: unknown[]; summary: Record<string, number> };
    tools.push(row('`k8s-audit scan --format json` (all detectors)', scan, jqCount, `; ${report.detections.length.toLocaleString('en-US')} detections`));
    loads.push(loadavg()[0]!);
    for (const q of index.queries) queryRows.push(`| ${mb} MB | \`${q.query}\` | ${q.ms.toFixed(0)} ms | ${q.rows.toLocaleString('en-US')} |`);
    queryRows.push(`| ${mb} MB | 6 facets (user, verb, resource, namespace, user agent, code) over all rows | ${index.facetsMs.toFixed(0)} ms | |`);
  }
  return { tools, queries: queryRows, load: loads.map((l) => l.toFixed(1)).join(', ') };
}
