// Runs a real VS Code for tests: code-server (the VS Code workbench in a browser, with a Node
// extension host) on loopback, driven by Playwright with Debian's Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { lastLines, runProgram, signalGroup } from './runProgram';

export { tempDir } from './tempDir';
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Installs code-server into the machine cache once (a minute or two the first time; its progress lines
 * go to stderr); returns the path of its entry.js. Aborting `signal` stops the install, npm and the
 * compilers under it included.
 */
export async function ensureCodeServer(signal?: AbortSignal): Promise<string> {
  const script = join(REPO_ROOT, 'test', 'harness', 'install-code-server.sh');
  const progress = (text: string) => {
    for (const line of text.split('\n')) if (line.startsWith('[install-code-server]')) console.error(line);
  };
  const stdout = await runProgram('bash', [script], { signal, ownProcessGroup: signal !== undefined, onStderr: progress });
  const entry = stdout.trim().split('\n').pop()!;
  if (!existsSync(entry)) throw new Error(`code-server install did not produce ${entry}`);
  return entry;
}

export interface CodeServerOptions {
  entry: string;
  /** Folder for user data, extensions and logs of this run. */
  dataDir: string;
  /** Environment added to code-server's (and so the extension host's) environment. */
  env?: Record<string, string>;
  port?: number;
  /** Listen on this address; loopback unless told otherwise. */
  host?: string;
  /** Ask for this password on a login page; no login when absent. */
  password?: string;
  /** Aborting it stops code-server, while it starts too. */
  signal?: AbortSignal;
  /**
   * Run code-server in a process group of its own: a Ctrl+C in the terminal then reaches only the
   * caller, which stops code-server in order (npm start), and stopping it stops every process under it.
   */
  ownProcessGroup?: boolean;
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  logFile: string;
  /** The last lines code-server printed (its log file may be gone with its data folder). */
  logTail(lines: number): string;
  /** Stops code-server and every process under it; resolves once they are gone. */
  stop(): Promise<void>;
}

const KEEP_OUTPUT_CHARS = 64 * 1024;

function paths(dataDir: string) {
  return { userData: join(dataDir, 'user-data'), extensions: join(dataDir, 'extensions'), config: join(dataDir, 'config.yaml') };
}

/** Installs a .vsix the way a user would (`code-server --install-extension`). */
export async function installVsix(entry: string, dataDir: string, vsix: string, signal?: AbortSignal): Promise<void> {
  const { userData, extensions } = paths(dataDir);
  await runProgram(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix, '--force'], { signal });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  options.signal?.throwIfAborted();
  const { userData, extensions, config } = paths(options.dataDir);
  mkdirSync(join(userData, 'User'), { recursive: true });
  // A JSON string is a valid YAML scalar, whatever the password holds.
  const auth = options.password === undefined ? 'auth: none' : `auth: password\npassword: ${JSON.stringify(options.password)}`;
  writeFileSync(config, `bind-addr: ${options.host ?? '127.0.0.1'}:${options.port ?? 0}\n${auth}\ncert: false\n`, { mode: 0o600 });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
      },
      null,
      2,
    ),
  );
  const logFile = join(options.dataDir, 'code-server.log');
  const args = [options.entry, '--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  args.push('--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override');
  // Its temporary files (IPC sockets of the extension host and of Git, TypeScript's folder) go into the
  // data folder, which its owner removes: killed processes leave their sockets behind. The data folder
  // itself, not a folder in it, keeps the socket paths under Linux's 107 characters.
  const env = { ...process.env, TMPDIR: options.dataDir, ...options.env };
  const child = spawn(process.execPath, args, { env, detached: options.ownProcessGroup, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  let output = '';
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 2 * KEEP_OUTPUT_CHARS) output = output.slice(-KEEP_OUTPUT_CHARS);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const stop = options.ownProcessGroup ? () => stopProcessGroup(child) : () => stopProcess(child);

  const url = await new Promise<string>((resolveUrl, reject) => {
    // Every way of not starting stops what did start before it rejects: nothing is left running.
    let settled = false;
    const fail = (reason: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(reason));
    };
    const onAbort = () => fail(new Error('code-server was stopped while it started'));
    const timer = setTimeout(() => fail(new Error(`code-server did not start within 60 s; the end of its output:\n${lastLines(output, 20)}`)), 60_000);
    const onListening = () => {
      const match = /HTTP server listening on (http:\/\/[^\s]+)/.exec(output);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout!.off('data', onListening);
      child.stderr!.off('data', onListening);
      options.signal?.removeEventListener('abort', onAbort);
      resolveUrl(match[1]!.replace(/\/$/, ''));
    };
    child.stdout!.on('data', onListening);
    child.stderr!.on('data', onListening);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.once('exit', (code, signal) => fail(new Error(`code-server exited (${code ?? signal}) before listening; the end of its output:\n${lastLines(output, 20)}`)));
  });

  return { url, process: child, logFile, logTail: (lines) => lastLines(output, lines), stop };
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. */
function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise<void>((done) => {
    if (exited(child)) return done();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Stops every process in the group `child` leads, including those left when `child` itself died
 * (the extension host, language servers): SIGTERM, then SIGKILL after 5 s. Resolves when none is left,
 * or after 7 s at most: an orphan nobody reaps stays in the group as a zombie, holding nothing.
 */
async function stopProcessGroup(child: ChildProcess): Promise<void> {
  const gone = exited(child) ? Promise.resolve() : once(child, 'exit').then(() => undefined);
  signalGroup(child, 'SIGTERM');
  for (let waited = 0; waited < 7000 && signalGroup(child, 0); waited += 100) {
    if (waited === 5000) signalGroup(child, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await gone;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Workbench URL for a folder, optionally with a launch payload (extension development/tests paths). */
export function workbenchUrl(server: RunningCodeServer, folder: string, payload?: [string, string][]): string {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** The vscode-remote URI for a path on the code-server machine. */
export function remoteUri(server: RunningCodeServer, path: string): string {
  return `vscode-remote://${new URL(server.url).host}${path}`;
}

/** Unpacks a .vsix (a zip) and returns the folder of the extension inside it. */
export async function unpackVsix(vsix: string, into: string): Promise<string> {
  await runProgram('unzip', ['-q', '-o', vsix, '-d', into]);
  return join(into, 'extension');
}

/** The demo/test workspace: our fixtures plus a generated audit log. */
export async function makeWorkspace(into: string, requests = 2000, signal?: AbortSignal): Promise<string> {
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), into, { recursive: true });
  const generator = join(REPO_ROOT, 'scripts', 'generate-audit-log.mjs');
  await runProgram(process.execPath, [generator, '--out', join(into, 'audit.log'), '--requests', String(requests)], { signal });
  return into;
}
