import { compileDetectors } from '../auditlog/detectors';
import type { ProgressStream } from '../auditlog/progressLine';
import { loadLogs } from '../store/load';
import { parseArgs, UsageError } from './args';
import { CLICKHOUSE_OPTIONS, clickhouseTarget } from './clickhouseOption';
import { readDetectorsOption } from './detectorSettingsOption';
import { EXIT_UNREADABLE, reportReadProblems } from './readProblems';

type Writable = { write(text: string): unknown };

/**
 * `k8s-audit load LOG... --clickhouse URL`: the logs into ClickHouse, one row per event. Exit 0; 2
 * when a file could not be read or ClickHouse refused (what was inserted stays; a rerun resumes); 3
 * when input was damaged (what could be read is loaded), with the same words on stderr as `query`.
 */
export async function runLoad(argv: string[], out: Writable, err: ProgressStream): Promise<number> {
  const { positionals, options } = parseArgs(argv, [...CLICKHOUSE_OPTIONS, 'batch', 'detectors'], ['progress', 'with-rotated', 'restart']);
  if (positionals.length === 0) throw new UsageError('load needs at least one LOG file');
  const store = clickhouseTarget(options);
  if (!store) throw new UsageError('load needs --clickhouse URL');
  const batch = options.get('batch');
  const batchEvents = batch === undefined ? undefined : Number(batch);
  if (batchEvents !== undefined && (!Number.isInteger(batchEvents) || batchEvents < 1)) throw new UsageError('--batch must be a whole number of events');
  const { catalogs, ids } = await readDetectorsOption(options.get('detectors'), err);
  const showProgress = options.has('progress') || err.isTTY === true;
  let lastShown = 0;
  try {
    const summary = await loadLogs(positionals, {
      client: store.client,
      nodes: store.nodes,
      target: store.target,
      withRotated: options.has('with-rotated'),
      restart: options.has('restart'),
      detectors: compileDetectors({ ...catalogs, ...(ids ? { ids } : {}) }),
      ...(batchEvents ? { batchEvents } : {}),
      onProgress: (p) => {
        const now = Date.now();
        if (!showProgress || now - lastShown < 500) return;
        lastShown = now;
        const percent = p.totalBytes > 0 ? Math.min(100, Math.floor((p.bytesRead / p.totalBytes) * 100)) : 0;
        err.write(`\r${p.file}: ${percent}%, ${p.inserted} event(s) inserted${p.resumed ? `, ${p.resumed} already loaded` : ''}   `);
      },
    });
    if (showProgress && lastShown > 0) err.write('\n');
    for (const error of summary.errors) err.write(`k8s-audit: cannot load ${error.file}: ${error.message}\n`);
    // Damaged and skipped records, as query and scan say them (files that failed are said above, as not loaded).
    const damage = reportReadProblems({ errors: [], summaries: summary.summaries }, err, { details: true });
    const seconds = summary.elapsedMs / 1000;
    err.write(
      `${summary.files.length} file(s): ${summary.events} event(s) read, ${summary.inserted} inserted into ${store.target.table}` +
        `${summary.resumed ? `, ${summary.resumed} skipped as already loaded` : ''} in ${seconds.toFixed(1)} s\n`,
    );
    out.write(`${JSON.stringify({ files: summary.files, events: summary.events, inserted: summary.inserted, resumed: summary.resumed, errors: summary.errors })}\n`);
    return summary.errors.length > 0 ? EXIT_UNREADABLE : damage;
  } finally {
    store.close();
  }
}
