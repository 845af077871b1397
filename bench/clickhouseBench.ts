// ClickHouse rows: `k8s-audit load` throughput, the viewer's questions on the loaded log against the
// same questions on the local index (same file, same run), and the webhook receiver under 8 posters.
// The server is Debian's clickhouse-server started on free loopback ports, as the tests start it.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ViewerSessions, type LogViewerSession } from '../server/src/auditlog/viewer/viewerSessions';
import { storeViewerOpener } from '../server/src/store/viewer/openStoreViewer';
import { ClickHouseCluster, clickhouseMissing } from '../test/harness/clickhouse';
import { batchesOf, closePosters, metric, postAll } from '../test/harness/webhookPoster';
import { ensureLog, measureOnce } from './logBench';
import { FACET_FIELDS } from '../server/src/protocol/viewerFields';

/** Measure the shipped worker bundle, not the source under tsx. */
process.env.K8S_AUDIT_INDEX_WORKER ??= join(__dirname, '..', 'dist', 'indexWorker.js');

const CLI = join(__dirname, '..', 'dist', 'cli.js');
/** Index-field queries (SQL decides them) and one with a JSON path term (SQL prefilters, our evaluator decides). */
const QUERIES = ['verb:create resource:pods/exec', 'code>=400', 'user:alice@example.com namespace:prod', 'latency>=30', 'requestObject.spec.containers[].securityContext.privileged:true'];
const FACETS = FACET_FIELDS;
const RUNS = 5;
const POSTERS = 8;
const RECEIVER_EVENTS = 100_000;
/** Events per batch: kube-apiserver's --audit-webhook-batch-max-size default is 400. */
const BATCH_EVENTS = 400;

async function median(work: () => Promise<unknown>, runs = RUNS): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const ratio = (index: number, store: number) => `${(store / Math.max(index, 0.01)).toFixed(1)}x`;

export async function runClickHouseBench(sizesMb: number[]): Promise<string[]> {
  const missing = clickhouseMissing();
  if (missing) return ['## ClickHouse', '', `Not measured: ${missing}.`, ''];
  const clickhouse = await ClickHouseCluster.start(1);
  const loads: string[] = [];
  const questions: string[] = [];
  try {
    for (const mb of sizesMb) {
      const file = ensureLog(mb);
      const table = `events_${mb}m`;
      console.log(`${mb} MB: k8s-audit load into ClickHouse...`);
      const load = measureOnce(process.execPath, [CLI, 'load', file, '--clickhouse', clickhouse.url, '--table', table]);
      const loaded = JSON.parse(load.stdout) as { events: number };
      loads.push(
        `| \`k8s-audit load\`, ${mb} MB, ${loaded.events.toLocaleString('en-US')} events | ${load.seconds.toFixed(1)} s: **${(statSync(file).size / 1048576 / load.seconds).toFixed(0)} MB/s, ${Math.round(loaded.events / load.seconds).toLocaleString('en-US')} events/s**, ${load.peakMb.toFixed(0)} MB peak (the loader) | load average ${loadavg()[0]!.toFixed(1)} |`,
      );
      console.log(`${mb} MB: the viewer's questions, local index vs ClickHouse...`);
      questions.push(...(await viewerQuestions(mb, file, clickhouse.url, table)));
    }

    console.log(`receiver: ${RECEIVER_EVENTS.toLocaleString('en-US')} events from ${POSTERS} posters...`);
    const lines = readFileSync(ensureLog(Math.min(...sizesMb)), 'utf8').split('\n', RECEIVER_EVENTS);
    const { bodies, events } = batchesOf(lines, BATCH_EVENTS);
    const out = mkdtempSync(join(tmpdir(), 'k8s-audit-bench-serve-'));
    try {
      for (const [sink, args] of [
        ['ClickHouse', ['--clickhouse', clickhouse.url, '--table', 'received']],
        ['fsynced JSON lines', ['--out', out]],
      ] as const) {
        const rate = await receiverRate([...args], bodies);
        loads.push(`| \`k8s-audit serve\` into ${sink}: ${events.toLocaleString('en-US')} events in ${bodies.length} batches of ${BATCH_EVENTS}, ${POSTERS} posters | ${rate.seconds.toFixed(1)} s: **${Math.round(events / rate.seconds).toLocaleString('en-US')} events/s** (${(bodies.length / rate.seconds).toFixed(0)} batches/s), ${rate.peakMb.toFixed(0)} MB peak RSS (the receiver) | load average ${loadavg()[0]!.toFixed(1)} |`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
      closePosters();
    }
    return clickhouseSection(loads, questions);
  } finally {
    await clickhouse.stop();
  }
}

/** The same questions to the file viewer's session (its index built first) and to the session on the loaded table. */
async function viewerQuestions(mb: number, file: string, url: string, table: string): Promise<string[]> {
  const rows: string[] = [];
  const sessions = new ViewerSessions();
  const indexStarted = performance.now();
  const onFile = await sessions.open(file);
  const fileSession = sessions.get(onFile.sessionId);
  while (fileSession.status().indexing) await new Promise((resolve) => setTimeout(resolve, 50));
  const indexSeconds = (performance.now() - indexStarted) / 1000;
  const storeStarted = performance.now();
  const onStore = await sessions.openWith(storeViewerOpener({ url, table }), 3_600_000);
  const openMs = performance.now() - storeStarted;
  const storeSession = sessions.get(onStore.sessionId);
  try {
    rows.push(`| ${mb} MB | open: the local index built (with detectors) / the table opened (reading plan, counts, detections, first page) | ${indexSeconds.toFixed(1)} s | ${ms(openMs)} | |`);
    const question = async (label: string, work: (session: LogViewerSession) => Promise<unknown>) => {
      const onIndex = await median(() => work(fileSession));
      const onClickHouse = await median(() => work(storeSession));
      rows.push(`| ${mb} MB | ${label} | ${ms(onIndex)} | ${ms(onClickHouse)} | ${ratio(onIndex, onClickHouse)} |`);
    };
    for (const query of QUERIES) {
      const [fromFile, fromStore] = [await fileSession.setQuery(query), await storeSession.setQuery(query)];
      const count = fromStore.ok ? fromStore.matchingRows.toLocaleString('en-US') : 'error';
      const same = fromFile.ok && fromStore.ok && fromFile.matchingRows === fromStore.matchingRows ? 'same count' : '**COUNTS DIFFER**';
      await question(`\`${query}\`: count (${count} requests, ${same}) and the first page of 100 rows`, async (session) => {
        await session.setQuery(query);
        await session.rowsWithPaths(0, 100);
      });
    }
    await fileSession.setQuery('');
    await storeSession.setQuery('');
    await question('6 facets (user, verb, resource, namespace, user agent, code) over all requests', (session) => Promise.resolve(session.facets(FACETS)));
    await question('the timeline (200 buckets) over all requests', (session) => Promise.resolve(session.timeline(200)));
    await fileSession.setQuery('verb:create');
    await storeSession.setQuery('verb:create');
    await question('6 facets over `verb:create`', (session) => Promise.resolve(session.facets(FACETS)));
    await question('a page of 100 rows at position 100,000 of all requests', async (session) => {
      await session.setQuery('');
      await session.rowsWithPaths(100_000, 100);
    });
  } finally {
    sessions.close(onFile.sessionId);
    sessions.close(onStore.sessionId);
  }
  return rows;
}

/** Starts the receiver, posts every batch from POSTERS posters, samples its memory; wall time of the posting. */
async function receiverRate(args: string[], bodies: string[]): Promise<{ seconds: number; peakMb: number }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--listen', '127.0.0.1:0', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stderr = '';
      child.stderr!.on('data', (chunk) => {
        stderr += chunk;
        const match = /listening on (\S+)/.exec(stderr);
        if (match) resolve(match[1]!);
      });
      void exited.then(() => reject(new Error(`serve exited: ${stderr}`)));
    });
    let peak = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await metric(url, 'process_resident_memory_bytes'));
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    })();
    const started = performance.now();
    await postAll(url, bodies, POSTERS, Date.now() + 600_000);
    const seconds = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    return { seconds, peakMb: peak / 1048576 };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

function clickhouseSection(loads: string[], questions: string[]): string[] {
  return [
    '## ClickHouse (Debian\'s clickhouse-server 18.16, one node on loopback, started by the bench)',
    '',
    'The generated logs. The machine is shared with other engineers (load average often 5–15, noted per row): read the ratios of the same run, not the absolute times.',
    '',
    '| measure | value | |',
    '|---|---|---|',
    ...loads,
    '',
    `The viewer's questions on the same log: the local index (built in the language server, in memory) against ClickHouse (the language server asks, nothing of the table in memory). Median of ${RUNS} after a warm-up; each count is compared. Ratio: ClickHouse time / index time.`,
    '',
    '| log | question | local index | ClickHouse | ClickHouse / index |',
    '|---|---|---|---|---|',
    ...questions,
    '',
  ];
}
