import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
export const SHARED = resolve(REPO_ROOT, '..', 'shared');

/** Runs the bundled CLI (dist/cli.js, as installed by `npm install`) and captures its output. */
export function runCli(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', input, cwd: REPO_ROOT, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under a folder, its subfolders included. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The log files of the shared corpus; null, and the test skipped with a message, when it is absent. */
export function corpusLogs(t: { skip(message: string): void }): string[] | null {
  const corpus = join(SHARED, 'corpus', 'logs');
  if (!existsSync(corpus)) {
    t.skip(`no corpus at ${corpus} (../shared is absent)`);
    return null;
  }
  return filesUnder(corpus).filter((path) => !/\.(txt|tsv|yaml)$/.test(path));
}

/** The log fixtures of this repository (every format the reader knows, hostile and secret-bearing logs). */
export function fixtureLogs(): string[] {
  return [...filesUnder(join(FIXTURES, 'logs')), join(FIXTURES, 'workspace', 'hostile.audit.log'), join(FIXTURES, 'workspace', 'secrets.audit.log')];
}
