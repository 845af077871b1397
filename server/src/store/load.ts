import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { compileDetectors, type CompiledDetector } from '../auditlog/detectors';
import type { NormalizedEvent } from '../auditlog/normalizedEvent';
import { readAuditLog, type FileReadSummary } from '../auditlog/reader/readAuditLog';
import { logFiles } from '../auditlog/readLogSet';
import type { ClickHouseClient } from './clickhouseClient';
import { eventRowDetections } from './eventDetections';
import { eventRow, progressTable, type StoreTable } from './schema';
import { sqlNumber, sqlString } from './sqlText';
import { ensureSchema, insertSettings } from './tables';

export interface LoadOptions {
  /** The node inserts and progress go to (the first of a cluster's). */
  client: ClickHouseClient;
  /** Every node the tables are created on (default: just `client`). */
  nodes?: readonly ClickHouseClient[];
  target: StoreTable;
  withRotated?: boolean;
  /** Start over instead of skipping what an earlier run of this file recorded as loaded. */
  restart?: boolean;
  detectors?: readonly CompiledDetector[];
  /** Events per INSERT (and bytes, whichever comes first). */
  batchEvents?: number;
  batchBytes?: number;
  onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  file: string;
  bytesRead: number;
  totalBytes: number;
  /** Events inserted so far (this run, all files). */
  inserted: number;
  /** Events skipped because an earlier run had loaded them. */
  resumed: number;
}

export interface LoadSummary {
  files: string[];
  summaries: FileReadSummary[];
  errors: { file: string; message: string }[];
  events: number;
  inserted: number;
  resumed: number;
  elapsedMs: number;
}

const DEFAULT_BATCH_EVENTS = 20_000;
const DEFAULT_BATCH_BYTES = 32 * 1024 * 1024;
const IDENTITY_BYTES = 64 * 1024;

/**
 * `k8s-audit load`: reads logs with the product's reader (every format, gzip, rotated sets) and
 * inserts one row per event in batches. After each batch it records how many events of the file are
 * in, so an interrupted load resumes after them; a reload of the same events is absorbed by the
 * table's dedup on (time, request, stage) anyway, so nothing is ever counted twice.
 */
export async function loadLogs(paths: readonly string[], options: LoadOptions): Promise<LoadSummary> {
  const started = Date.now();
  const { client, target } = options;
  await ensureSchema(options.nodes ?? [client], target);
  const detectors = options.detectors ?? compileDetectors();
  const batchEvents = options.batchEvents ?? DEFAULT_BATCH_EVENTS;
  const batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
  const summary: LoadSummary = { files: [], summaries: [], errors: [], events: 0, inserted: 0, resumed: 0, elapsedMs: 0 };

  for (const path of paths) {
    for (const file of await logFiles(path, options.withRotated === true, summary.errors)) {
      const source = resolve(file);
      summary.files.push(source);
      try {
        const fileKey = await fileIdentity(source);
        const done = options.restart ? 0 : await loadedEvents(client, target, source, fileKey);
        let seen = 0;
        let lines: string[] = [];
        let bytes = 0;
        let fileInserted = done;
        // One batch is inserted while the next is read (ClickHouse and our parsing each keep a core
        // busy); batches go in one after another, so the progress recorded is always a prefix of the file.
        let inserting: Promise<void> = Promise.resolve();
        const flush = async () => {
          if (lines.length === 0) return;
          const batch = lines;
          lines = [];
          bytes = 0;
          await inserting;
          inserting = (async () => {
            await client.insert(target.table, `${batch.join('\n')}\n`, insertSettings(target));
            fileInserted += batch.length;
            summary.inserted += batch.length;
            await recordProgress(client, target, source, fileKey, fileInserted);
          })();
          // Handled here so that a failure while the next batch is read is not an unhandled rejection; awaited (and thrown) at the next flush or the end.
          inserting.catch(() => undefined);
        };
        const read = await readAuditLog(
          source,
          (event: NormalizedEvent) => {
            seen++;
            if (seen <= done) {
              summary.resumed++;
              return;
            }
            const line = JSON.stringify(eventRow(event, source, eventRowDetections(event, detectors)));
            lines.push(line);
            bytes += line.length;
          },
          {
            file: summary.files.length - 1,
            onProgress: (bytesRead, totalBytes) => options.onProgress?.({ file: source, bytesRead, totalBytes, inserted: summary.inserted + lines.length, resumed: summary.resumed }),
            afterChunk: () => (lines.length >= batchEvents || bytes >= batchBytes ? flush() : undefined),
          },
        );
        await flush();
        await inserting;
        summary.summaries.push(read);
        summary.events += read.events;
      } catch (error) {
        summary.errors.push({ file: source, message: (error as Error).message });
      }
    }
  }
  summary.elapsedMs = Date.now() - started;
  return summary;
}

/** A file is known by its path and its first bytes: a rotated-in new file at the same path starts over. */
async function fileIdentity(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(IDENTITY_BYTES);
    const { bytesRead } = await handle.read(head, 0, IDENTITY_BYTES, 0);
    return createHash('sha1').update(head.subarray(0, bytesRead)).digest('hex');
  } finally {
    await handle.close();
  }
}

async function loadedEvents(client: ClickHouseClient, target: StoreTable, source: string, fileKey: string): Promise<number> {
  const rows = await client.rows<{ loaded: number }>(`SELECT max(events) AS loaded FROM ${progressTable(target.local)} WHERE source = ${sqlString(source)} AND fileKey = ${sqlString(fileKey)}`);
  return Number(rows[0]?.loaded ?? 0);
}

async function recordProgress(client: ClickHouseClient, target: StoreTable, source: string, fileKey: string, events: number): Promise<void> {
  await client.query(`INSERT INTO ${progressTable(target.local)} (source, fileKey, events, updated) VALUES (${sqlString(source)}, ${sqlString(fileKey)}, ${sqlNumber(events)}, now())`);
}
