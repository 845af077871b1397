import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** File name of the bundled worker, next to the bundle that starts it (dist/server.js, dist/cli.js). */
export const BUNDLED_WORKER_FILE = 'indexWorker.js';
const TSX_REQUIRE_HOOK = ['tsx', 'cjs'].join('/');
// A worker allocates one short-lived object tree per record, and V8 lets a heap full of such garbage
// grow far before collecting it. Capping the generations keeps the process's peak RSS down (measured
// on 1 GB: 405-425 MB without caps, 330-360 MB with them, same MB/s). What a worker must keep (its
// segment's string dictionaries, requests in flight) grows with the segment, so the old-generation
// cap does too: 128 MB plus 64 MB per GB of (uncompressed) segment. The young generation is 16 MB, not
// 8: at 8 MB scavenges took ~15% of a worker's time, and 16 MB cut the CPU time of a 1 GB build by
// ~7-9% for no measurable peak RSS change (both 340-390 MB); 32 MB went to ~440 MB.
const YOUNG_GENERATION_MB = 16;

function oldGenerationMb(segmentBytes: number): number {
  return Math.ceil(128 + (64 * segmentBytes) / 1e9);
}

/**
 * Starts the index worker. Bundled (esbuild inlines this module into dist/server.js or dist/cli.js,
 * so __dirname is dist/), the worker is dist/indexWorker.js. From source (tests under tsx), Node
 * cannot start a .ts worker itself, so a one-line bootstrap registers tsx's require hook and loads
 * worker.ts. K8S_AUDIT_INDEX_WORKER overrides both (an unusual layout).
 */
export function startIndexWorker(workerData: unknown, segmentBytes: number): Worker {
  const override = process.env.K8S_AUDIT_INDEX_WORKER;
  return startWorkerScript(override ? { bundled: override, source: override } : { bundled: join(__dirname, BUNDLED_WORKER_FILE), source: join(__dirname, 'worker.ts') }, workerData, segmentBytes);
}

/** Whether startWorkerScript has a file to start (a bundle shipped without its worker file has none). */
export function workerScriptFound(script: { bundled: string; source: string }): boolean {
  return (!__filename.endsWith('.ts') && existsSync(script.bundled)) || existsSync(script.source);
}

/**
 * Starts a worker thread with the index worker's heap caps: `bundled` (a .js file next to the bundle)
 * when this code runs bundled and it exists, else `source` (a .ts file, through tsx's require hook).
 */
export function startWorkerScript(script: { bundled: string; source: string }, workerData: unknown, segmentBytes: number): Worker {
  const options = { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB, maxOldGenerationSizeMb: oldGenerationMb(segmentBytes) } };
  if (script.source === script.bundled || (!__filename.endsWith('.ts') && existsSync(script.bundled))) return new Worker(script.bundled, options);
  if (!existsSync(script.source)) throw new Error(`worker not found: neither ${script.bundled} nor ${script.source} exists`);
  // Not a literal: bundlers must not try to resolve (or warn about) a development-only dependency.
  const tsx = require.resolve(TSX_REQUIRE_HOOK);
  const bootstrap = `require(${JSON.stringify(tsx)}); require(${JSON.stringify(script.source)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}
