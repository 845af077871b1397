// Bench children (the index build, re-simulation) run as the product runs: bundled by esbuild like
// dist/server.js and started by plain node. Under `--import tsx` the loader's hooks ran inside the timed
// build, and every worker thread inherited `--import tsx` and loaded it again before reading a byte.
import { buildSync } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';

const ROOT = join(__dirname, '..');
const OUT = join(__dirname, 'data', 'bundles');

/** Bundles a bench script (bench/NAME.ts) to bench/data/bundles/NAME.js and returns its path. */
export function bundledChild(script: string): string {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, basename(script).replace(/\.ts$/, '.js'));
  buildSync({ entryPoints: [script], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', minify: true, logLevel: 'warning', legalComments: 'none' });
  return outfile;
}

/** What a bundled child finds beside dist/server.js in the product: the worker and the field scanner. */
export const BUNDLED_CHILD_ENV = {
  ...process.env,
  K8S_AUDIT_INDEX_WORKER: join(ROOT, 'dist', 'indexWorker.js'),
  K8S_AUDIT_FIELD_SCANNER: join(ROOT, 'dist', 'fieldScanner.wasm'),
};
