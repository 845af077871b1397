// `npm start`: builds and packages the extension, installs it into code-server (a real VS Code in the
// browser), opens a demo workspace with sample policies and a generated audit log, and prints the URL.
// It runs until stopped; every way it ends (Ctrl+C, SIGTERM, code-server dying, a failed step) stops
// code-server and removes the demo folder.
//   PORT=8080 HOST=127.0.0.1 PASSWORD=... DEMO_REQUESTS=20000 npm start
//   K8S_AUDIT_VSIX=path/to/extension.vsix npm start      (skips packaging; the tests pass theirs)
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  ensureCodeServer,
  installVsix,
  makeWorkspace,
  REPO_ROOT,
  startCodeServer,
  tempDir,
  workbenchUrl,
  type RunningCodeServer,
} from '../test/harness/codeServer';
import { runProgram } from '../test/harness/runProgram';

/** A mistake in the settings: exit 2, like the CLI's usage errors. */
class UsageError extends Error {}

interface DemoSettings {
  port: number;
  host: string;
  password: string | undefined;
  requests: number;
  vsix: string | undefined;
}

function readSettings(env: NodeJS.ProcessEnv): DemoSettings {
  const port = env.PORT || '8080';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new UsageError(`PORT must be a port number (0-65535), not "${port}"`);
  const requests = env.DEMO_REQUESTS || '20000';
  if (!/^[1-9]\d*$/.test(requests)) throw new UsageError(`DEMO_REQUESTS must be a number of requests (1 or more), not "${requests}"`);
  const vsix = env.K8S_AUDIT_VSIX || undefined;
  if (vsix && !existsSync(vsix)) throw new UsageError(`K8S_AUDIT_VSIX names ${vsix}, which does not exist`);
  return { port: Number(port), host: env.HOST || '127.0.0.1', password: env.PASSWORD || undefined, requests: Number(requests), vsix };
}

/** Fails with the real cause when code-server could not listen there (it would only say "exited with 1"). */
async function checkPortFree({ host, port }: DemoSettings): Promise<void> {
  if (port === 0) return; // code-server picks a free one
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, host, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new Error(`port ${port} on ${host} is in use (another npm start, or another server): stop that, or pick another port: PORT=${port + 1} npm start`);
    }
    if (code === 'EACCES') throw new Error(`port ${port} needs privileges this user does not have: pick one above 1023, e.g. PORT=8080 npm start`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UsageError(`HOST ${host} is not an address of this machine (try 127.0.0.1 or 0.0.0.0)`);
    throw error;
  } finally {
    if (probe.listening) await new Promise((resolve) => probe.close(resolve));
  }
}

async function packageExtension(signal: AbortSignal): Promise<string> {
  console.log('building and packaging the extension...');
  const stdout = await runProgram(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs')], { signal });
  return stdout.trim().split('\n').pop()!;
}

/** What this run has started and made, for `shutDown`. */
const stopping = new AbortController();
let demoFolder: string | undefined;
let server: RunningCodeServer | undefined;
let shuttingDown = false;

// The last word on the demo folder, on every exit (process.exit included): code-server has been
// stopped by then, so nothing writes into it any more.
process.on('exit', () => {
  if (demoFolder) rmSync(demoFolder, { recursive: true, force: true });
});

/** Stops whatever is running (a setup step's process, code-server), then exits; the folder goes on exit. */
async function shutDown(exitCode: number, setup: Promise<unknown>): Promise<never> {
  shuttingDown = true;
  stopping.abort();
  // A step being set up ends once its process has been stopped; bounded, so stopping cannot hang.
  await Promise.race([setup.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  await server?.stop();
  process.exit(exitCode);
}

async function setUp(settings: DemoSettings): Promise<void> {
  const { signal } = stopping;
  await checkPortFree(settings);
  const vsix = settings.vsix ?? (await packageExtension(signal));
  console.log('making sure code-server is installed (the first time takes about two minutes)...');
  const entry = await ensureCodeServer(signal);
  demoFolder = tempDir('k8s-audit-demo-');
  console.log('installing the extension into code-server...');
  await installVsix(entry, demoFolder, vsix, signal);
  console.log(`generating the demo workspace (an audit log of ${settings.requests} requests)...`);
  const workspace = await makeWorkspace(join(demoFolder, 'workspace'), settings.requests, signal);
  useLogForSimulation(workspace, 'audit.log');
  await checkPortFree(settings); // again: setting up took a while
  server = await startCodeServer({ entry, dataDir: demoFolder, port: settings.port, host: settings.host, password: settings.password, signal, ownProcessGroup: true });
  const running = server;
  running.process.once('exit', (code, killedBy) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Stop what it left (extension host, language server), so that its last words are all in.
    void running.stop().then(() => {
      console.error(`\ncode-server stopped unexpectedly (${code ?? killedBy}); the end of its log:\n${running.logTail(25)}`);
      process.exit(1);
    });
  });
  printRunning(settings, running, workspace);
}

/** The workbench URL to print: for a wildcard address (0.0.0.0, ::), the one that works on this machine. */
function printableUrl(running: RunningCodeServer, workspace: string): string {
  const url = new URL(workbenchUrl(running, workspace));
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
  return url.toString();
}

function printRunning(settings: DemoSettings, running: RunningCodeServer, workspace: string): void {
  const loopback = settings.host === '127.0.0.1' || settings.host === 'localhost' || settings.host === '::1';
  const where = loopback ? `on ${settings.host} only` : `on ${settings.host}, reachable from other machines at this machine's address`;
  const login = settings.password ? 'with the password from PASSWORD' : 'with no password';
  const files = readdirSync(workspace)
    .filter((file) => !file.startsWith('.'))
    .sort()
    .map((file) => (file === 'audit.log' ? `audit.log with ${settings.requests} requests` : file));
  console.log(`\nKubernetes Audit demo is running in VS Code (code-server), ${where}, ${login}:\n`);
  console.log(`  open ${printableUrl(running, workspace)}\n`);
  console.log(`workspace: ${workspace} (${files.length} files: ${files.join(', ')}; settings in .vscode/settings.json)`);
  if (!loopback && !settings.password) {
    console.log(`WARNING: anyone who reaches this machine on port ${new URL(running.url).port} gets this VS Code, terminal included: set PASSWORD`);
  }
  console.log(`stop it with Ctrl+C (or kill -INT ${process.pid}): that stops code-server and removes ${demoFolder}`);
  console.log('npm start keeps running until then: run the tests in another terminal');
}

function main(): void {
  let settings: DemoSettings;
  try {
    settings = readSettings(process.env);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  }
  const setup = setUp(settings);
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    console.log(`\n${signal === 'SIGINT' ? 'Ctrl+C' : signal}: stopping${demoFolder ? ` and removing ${demoFolder}` : ''}...`);
    void shutDown(0, setup);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
  setup.catch((error: unknown) => {
    if (shuttingDown) return; // stopped by a signal: the step's error is only the echo of that
    console.error(`npm start failed: ${error instanceof Error ? error.message : error}`);
    void shutDown(error instanceof UsageError ? 2 : 1, setup);
  });
}

main();

/** The demo's policies show what they would log over the demo log (CodeLens), as k8sAudit.simulation.logs asks. */
function useLogForSimulation(workspace: string, log: string): void {
  const file = join(workspace, '.vscode', 'settings.json');
  const workspaceSettings = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  workspaceSettings['k8sAudit.simulation.logs'] = [log];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(workspaceSettings, null, 2)}\n`);
}
