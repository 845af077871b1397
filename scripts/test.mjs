// The project's test command: unit tests (plain Node), then integration tests (Mocha inside a real
// VS Code, against the packaged .vsix), then UI tests (Playwright driving the VS Code workbench).
//   node scripts/test.mjs [unit] [integration] [ui]      (no argument: all three)
// Ends with one line "N passed, N failed" over every stage; exits non-zero if anything failed.
// Each stage runs with a TMPDIR of its own and fails if it leaves anything there.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requested = process.argv.slice(2);
const stages = requested.length > 0 ? requested : ['unit', 'integration', 'ui'];

/** Runs a command, echoing its output, and returns its exit code and captured stdout. */
function runCommand(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...stageEnv }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(path));
    else if (entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found.sort();
}

/** Counts from node:test's spec reporter ("ℹ pass 12" / "ℹ fail 0") or our runners' summary line. */
function counts(output) {
  const pass = /^ℹ pass (\d+)$/m.exec(output);
  const fail = /^ℹ fail (\d+)$/m.exec(output);
  if (pass && fail) return { passed: Number(pass[1]), failed: Number(fail[1]) };
  const summary = [...output.matchAll(/^\w+: (\d+) passed, (\d+) failed$/gm)].pop();
  return summary ? { passed: Number(summary[1]), failed: Number(summary[2]) } : { passed: 0, failed: 0 };
}

async function nodeTests(dir) {
  const files = findTests(dir);
  if (files.length === 0) throw new Error(`no tests found under ${dir}`);
  return runCommand(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files]);
}

/** The browser and unzip the VS Code stages need, from Debian, when missing (as on a fresh machine). */
async function ensureBrowser() {
  const { code } = await runCommand('bash', [join(root, 'scripts', 'ensure-system-packages.sh'), 'chromium', 'unzip']);
  if (code !== 0) throw new Error('could not install chromium and unzip with apt-get');
}

async function packageExtension() {
  const { code, output } = await runCommand(process.execPath, [join(root, 'scripts', 'package.mjs')]);
  if (code !== 0) throw new Error('packaging the .vsix failed');
  return output.trim().split('\n').pop();
}

/** tsx's compile cache (os.tmpdir()/tsx-<uid>): shared with the stages through a link, so it stays warm. */
const TSX_CACHE = `tsx-${process.geteuid?.() ?? userInfo().username}`;

/**
 * A TMPDIR for one stage. Short (Unix socket paths of the code-server the stage starts live under it),
 * with a link to tsx's cache, the one entry a stage may leave.
 */
function stageTmpdir() {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-audit-test-'));
  mkdirSync(join(tmpdir(), TSX_CACHE), { recursive: true });
  symlinkSync(join(tmpdir(), TSX_CACHE), join(dir, TSX_CACHE));
  return dir;
}

/** What the stage's tests left in its TMPDIR: every test removes what it makes. */
function leftIn(dir) {
  return readdirSync(dir).filter((name) => name !== TSX_CACHE);
}

let stageEnv = {};
let vsix;
const STAGES = {
  unit: async () => {
    // Some unit tests run the bundled CLI and server (dist/), exactly as `npx` would.
    const build = await runCommand(process.execPath, [join(root, 'scripts', 'build.mjs')]);
    if (build.code !== 0) throw new Error('build failed');
    return nodeTests('test/unit');
  },
  integration: async () => {
    await ensureBrowser();
    vsix ??= await packageExtension();
    return runCommand(process.execPath, ['--import', 'tsx', 'test/harness/runIntegration.ts', relative(root, vsix)]);
  },
  ui: async () => {
    await ensureBrowser();
    vsix ??= await packageExtension();
    process.env.K8S_AUDIT_VSIX = vsix;
    return nodeTests('test/ui');
  },
};

mkdirSync(join(root, 'test-results'), { recursive: true });
let passed = 0;
let failed = 0;
let broken = false;
for (const stage of stages) {
  if (!STAGES[stage]) {
    console.error(`unknown test stage ${stage}; use unit, integration or ui`);
    process.exit(2);
  }
  const started = Date.now();
  console.log(`\n=== ${stage} tests ===`);
  const stageTmp = stageTmpdir();
  stageEnv = { TMPDIR: stageTmp };
  try {
    const { code, output } = await STAGES[stage]();
    const result = counts(output);
    passed += result.passed;
    failed += result.failed;
    // A stage that crashed, or that counted nothing, fails the run even if no test reported a failure.
    if (code !== 0 || result.passed + result.failed === 0) broken = true;
    console.log(`=== ${stage}: ${result.passed} passed, ${result.failed} failed, exit ${code}, ${((Date.now() - started) / 1000).toFixed(1)} s ===`);
  } catch (error) {
    broken = true;
    console.error(`=== ${stage} could not run: ${error instanceof Error ? error.message : error} ===`);
  } finally {
    const left = leftIn(stageTmp);
    if (left.length > 0) {
      broken = true;
      console.error(`=== ${stage} left ${left.length} entries in its temp directory (tests must remove what they make): ${left.join(', ')} ===`);
    }
    rmSync(stageTmp, { recursive: true, force: true });
  }
}
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 || broken ? 1 : 0);
