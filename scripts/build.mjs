// One esbuild script for every bundle the product ships, plus the integration-test bundle.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
//   node scripts/build.mjs            build once (production: minified, no sourcemaps)
//   node scripts/build.mjs --watch    rebuild on change (development: sourcemaps)
import asc from 'assemblyscript/asc';
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: !watch,
  sourcemap: watch ? 'inline' : false,
  logLevel: 'warning',
  legalComments: 'none',
  define: { __PACKAGE_VERSION__: JSON.stringify(pkg.version) },
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const executable = { banner: { js: '#!/usr/bin/env node' } };

/**
 * `import TEST_FILES from 'integration-test-files'` in the integration suite: one loader per
 * test/integration/*.test.ts, found when bundling, so a new test file runs without being listed.
 * @type {esbuild.Plugin}
 */
const integrationTestFiles = {
  name: 'integration-test-files',
  setup(build) {
    build.onResolve({ filter: /^integration-test-files$/ }, () => ({ path: 'integration-test-files', namespace: 'test-files' }));
    build.onLoad({ filter: /.*/, namespace: 'test-files' }, () => {
      const dir = join(root, 'test', 'integration');
      const files = readdirSync(dir).filter((name) => name.endsWith('.test.ts')).sort();
      const loaders = files.map((name) => `  [${JSON.stringify(name)}, () => require(${JSON.stringify(`./${name}`)})],`);
      return { contents: `module.exports = [\n${loaders.join('\n')}\n];\n`, resolveDir: dir, loader: 'js', watchDirs: [dir] };
    });
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  // Extension host: only VS Code glue. `vscode` is provided by the host at run time.
  { ...node, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // Language server: spoken to over IPC by the client, over --stdio by any other editor.
  { ...node, ...executable, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  // The CLI over the same engines.
  { ...node, ...executable, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js' },
  // Worker thread of the log index (server and CLI start it from dist/ when indexing big files).
  { ...node, entryPoints: ['server/src/auditlog/index/worker.ts'], outfile: 'dist/indexWorker.js' },
  // Worker thread of `k8s-audit scan` and `query`, which read one big file in two parts (auditlog/splitRead/).
  { ...node, entryPoints: ['server/src/cli/splitWorker.ts'], outfile: 'dist/splitWorker.js' },
  // Webview code runs in the browser sandbox of a webview (the same strict CSP for each): the log
  // viewer's custom editor, the compliance report and the simulation report panels.
  ...[
    ['client/webview/logViewer/main.ts', 'dist/webview/logViewer.js'],
    ['client/webview/compliance/main.ts', 'dist/webview/compliance.js'],
    ['client/webview/simulationReport/main.ts', 'dist/webview/simulationReport.js'],
  ].map(([entry, outfile]) => ({ ...common, platform: 'browser', format: 'iife', target: 'chrome120', entryPoints: [entry], outfile })),
  // The Mocha suite that runs inside VS Code. Kept out of dist/ so it never ships in the .vsix.
  {
    ...node,
    minify: false,
    entryPoints: ['test/integration/index.ts'],
    outfile: 'out/test/integration/index.js',
    external: ['vscode', 'mocha'],
    plugins: [integrationTestFiles],
  },
];

/**
 * The log reader's field scanner: AssemblyScript compiled to WebAssembly (dist/fieldScanner.wasm,
 * loaded by server/src/auditlog/reader/fieldScanner.ts). SIMD is in every Node the product supports.
 */
async function buildFieldScanner() {
  const { error, stderr } = await asc.main([
    join(root, 'server/src/auditlog/reader/assembly/fieldScanner.ts'),
    '--outFile', join(root, 'dist/fieldScanner.wasm'),
    '--runtime', 'stub',
    '--enable', 'simd',
    '--optimizeLevel', '3',
    '--shrinkLevel', '0',
    '--noAssert',
  ], { stdout: process.stdout, stderr: process.stderr });
  if (error) throw new Error(`field scanner: ${error.message}\n${stderr.toString()}`);
}

if (watch) {
  await buildFieldScanner();
  const contexts = await Promise.all(builds.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
  console.log('watching for changes...');
} else {
  const started = Date.now();
  await Promise.all([...builds.map((options) => esbuild.build(options)), buildFieldScanner()]);
  console.log(`built ${builds.length} bundles and the field scanner in ${Date.now() - started} ms`);
}
