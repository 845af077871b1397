// Audit log engine against jq, on the same generated file, in the same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { IndexMeasurement } from './indexBench';

const ROOT = join(__dirname, '..');
const DATA = join(__dirname, 'data');
const CLI = join(ROOT, 'dist', 'cli.js');
/** The question both tools answer: how many requests exec'd into a pod (distinct auditIDs). */
const JQ_FILTER = 'select(.verb=="create" and .objectRef.resource=="pods" and .objectRef.subresource=="exec")';
const QUERY = 'verb:create resource:pods/exec';

export interface LogBenchRow {
  mb: number;
  cells: string[];
}

export interface Measured {
  seconds: number;
  stdout: string;
  peakKb: number;
}

/** Runs a command under GNU time for its peak RSS; wall time measured here. */
export function measure(command: string, args: string[]): Measured {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command} failed: ${result.stderr.slice(-500)}`);
  const peakKb = Number(result.stderr.trim().split('\n').pop());
  return { seconds, stdout: result.stdout, peakKb };
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

export interface LogBenchTables {
  streaming: string[];
  index: string[];
  queries: string[];
}

export function runLogBench(sizesMb: number[]): LogBenchTables {
  const rows: string[] = [];
  const indexRows: string[] = [];
  const queryRows: string[] = [];
  for (const mb of sizesMb) {
    const file = ensureLog(mb);
    const bytes = statSync(file).size;
    const mbps = (seconds: number) => `${(bytes / 1048576 / seconds).toFixed(0)} MB/s`;
    console.log(`${mb} MB: jq...`);
    const jq = measure('bash', ['-c', `jq -r '${JQ_FILTER} | .auditID' "$0" | sort -u | wc -l`, file]);
    console.log(`${mb} MB: k8s-audit query...`);
    const query = measure(process.execPath, [CLI, 'query', file, QUERY, '--format', 'count']);
    console.log(`${mb} MB: k8s-audit scan...`);
    const scan = measure(process.execPath, [CLI, 'scan', file, '--format', 'json']);
    const report = JSON.parse(scan.stdout) as { events: number; requests: number; detections: unknown[] };
    const jqCount = Number(jq.stdout.trim());
    const queryCount = Number(query.stdout.trim());
    const agree = jqCount === queryCount ? 'same' : `**DIFFER: jq ${jqCount}, ours ${queryCount}**`;
    console.log(`${mb} MB: log index...`);
    const indexRun = measure(process.execPath, ['--import', 'tsx', join(__dirname, 'indexBench.ts'), file]);
    const index = JSON.parse(indexRun.stdout.trim().split('\n').pop()!) as IndexMeasurement;
    const indexAgree = index.execRequests === jqCount ? 'same' : `**DIFFER: jq ${jqCount}, index ${index.execRequests}**`;
    indexRows.push(
      `| ${mb} MB | ${jq.seconds.toFixed(2)} s | ${index.buildSeconds.toFixed(2)} s (${mbps(index.buildSeconds)}), **${(jq.seconds / index.buildSeconds).toFixed(1)}x jq** | ${index.firstRowsMs.toFixed(0)} ms | ${index.requests.toLocaleString('en-US')} requests / ${index.events.toLocaleString('en-US')} events | ${(indexRun.peakKb / 1024).toFixed(0)} MB peak RSS, index ${index.indexBytesPerEvent.toFixed(0)} B/event | ${indexAgree} |`,
    );
    for (const q of index.queries) queryRows.push(`| ${mb} MB | \`${q.query}\` | ${q.ms.toFixed(0)} ms | ${q.rows.toLocaleString('en-US')} |`);
    queryRows.push(`| ${mb} MB | 6 facets (user, verb, resource, namespace, user agent, code) over all rows | ${index.facetsMs.toFixed(0)} ms | |`);
    rows.push(
      `| ${mb} MB, ${report.events.toLocaleString('en-US')} events | jq select: ${jq.seconds.toFixed(2)} s (${mbps(jq.seconds)}) | query: ${query.seconds.toFixed(2)} s (${mbps(query.seconds)}), **${(jq.seconds / query.seconds).toFixed(1)}x jq**, ${(query.peakKb / 1024).toFixed(0)} MB peak | scan, ${report.detections.length.toLocaleString('en-US')} detections: ${scan.seconds.toFixed(2)} s (${mbps(scan.seconds)}), **${(jq.seconds / scan.seconds).toFixed(1)}x jq**, ${(scan.peakKb / 1024).toFixed(0)} MB peak, ${((scan.peakKb * 1024) / report.events).toFixed(0)} B/event | ${jqCount} requests, ${agree} |`,
    );
  }
  return { streaming: rows, index: indexRows, queries: queryRows };
}
