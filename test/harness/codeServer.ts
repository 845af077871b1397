// Runs a real VS Code for tests: code-server (the VS Code workbench in a browser, with a Node
// extension host) on loopback, driven by Playwright with Debian's Chromium.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';

const run = promisify(execFile);
export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Installs code-server into the machine cache once; returns the path of its entry.js. */
export async function ensureCodeServer(): Promise<string> {
  const script = join(REPO_ROOT, 'test', 'harness', 'install-code-server.sh');
  const { stdout } = await run('bash', [script], { maxBuffer: 64 * 1024 * 1024 });
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
}

export interface RunningCodeServer {
  url: string;
  process: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

function paths(dataDir: string) {
  return { userData: join(dataDir, 'user-data'), extensions: join(dataDir, 'extensions'), config: join(dataDir, 'config.yaml') };
}

/** Installs a .vsix the way a user would (`code-server --install-extension`). */
export async function installVsix(entry: string, dataDir: string, vsix: string): Promise<void> {
  const { userData, extensions } = paths(dataDir);
  await run(process.execPath, [entry, '--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix, '--force'], {
    maxBuffer: 16 * 1024 * 1024,
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const { userData, extensions, config } = paths(options.dataDir);
  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(config, `bind-addr: ${options.host ?? '127.0.0.1'}:${options.port ?? 0}\nauth: none\ncert: false\n`);
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
  const child = spawn(process.execPath, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);

  const url = await new Promise<string>((resolveUrl, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s; see ${logFile}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /HTTP server listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening; see ${logFile}`));
    });
  });

  return {
    url,
    process: child,
    logFile,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
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

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Unpacks a .vsix (a zip) and returns the folder of the extension inside it. */
export async function unpackVsix(vsix: string, into: string): Promise<string> {
  await run('unzip', ['-q', '-o', vsix, '-d', into]);
  return join(into, 'extension');
}

/** The demo/test workspace: our fixtures plus a generated audit log. */
export async function makeWorkspace(into: string, requests = 2000): Promise<string> {
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'workspace'), into, { recursive: true });
  await run(process.execPath, [join(REPO_ROOT, 'scripts', 'generate-audit-log.mjs'), '--out', join(into, 'audit.log'), '--requests', String(requests)]);
  return into;
}
