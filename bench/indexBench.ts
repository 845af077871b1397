// The log index on the same file as jq: build throughput with detectors on, time to first rows,
// queries and facets on the built index, peak memory.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildLogIndex, facet, queryIndex, type LogIndex } from '../server/src/auditlog/index';
import { FACET_FIELDS } from '../server/src/protocol/viewerFields';

/** Measure the shipped worker bundle, not the source under tsx. */
process.env.K8S_AUDIT_INDEX_WORKER ??= join(__dirname, '..', 'dist', 'indexWorker.js');

const QUERIES = ['verb:create resource:pods/exec', 'code>=400', 'user:alice@example.com namespace:prod', 'latency>=30', 'alice', 'requestObject.spec.containers[].securityContext.privileged:true'];
const FACETS = FACET_FIELDS;

export interface IndexMeasurement {
  buildSeconds: number;
  firstRowsMs: number;
  requests: number;
  events: number;
  queries: { query: string; ms: number; rows: number }[];
  facetsMs: number;
  peakRssMb: number;
  indexBytesPerEvent: number;
  execRequests: number;
  /** Lines the field scanner read, and lines that took the JSON.parse path. */
  lines: { scanned: number; fallback: number };
}

export async function measureIndex(file: string): Promise<IndexMeasurement> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const started = performance.now();
  let firstRowsMs = -1;
  const build = buildLogIndex([file], {
    threads: 'auto',
    onProgress: (progress) => {
      if (firstRowsMs < 0 && progress.rows > 0) firstRowsMs = performance.now() - started;
    },
  });
  const report = await build.done;
  const buildSeconds = (performance.now() - started) / 1000;
  const index: LogIndex = report.index;
  await queryIndex(index, ''); // the first query sorts rows by time once; measured queries come after
  const queries: IndexMeasurement['queries'] = [];
  for (const query of QUERIES) {
    const t = performance.now();
    const result = await queryIndex(index, query);
    queries.push({ query, ms: performance.now() - t, rows: result.rows.length });
  }
  const t = performance.now();
  for (const field of FACETS) facet(index, field);
  const facetsMs = performance.now() - t;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return {
    buildSeconds,
    firstRowsMs,
    requests: report.requests,
    events: report.events,
    queries,
    facetsMs,
    peakRssMb: peakRss / 1048576,
    indexBytesPerEvent: index.memoryBytes() / report.events,
    execRequests: queries[0]!.rows,
    lines: index.files.reduce((sum, f) => ({ scanned: sum.scanned + (f.lines?.scanned ?? 0), fallback: sum.fallback + (f.lines?.fallback ?? 0) }), { scanned: 0, fallback: 0 }),
  };
}

// Run as a child process (bundled: bench/bundledChild.ts) so that each measurement
// starts from a clean heap and its peak RSS is its own.
if (require.main === module) {
  measureIndex(process.argv[2]!).then(
    (measurement) => {
      process.stdout.write(`${JSON.stringify(measurement)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
