// Runs `npm start` (scripts/start.ts) as a user does in a terminal, for tests of how it starts and
// stops: its output as it comes, a wait for a line, Ctrl+C, and its exit.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { after } from 'node:test';
import { REPO_ROOT } from './codeServer';
import { tempDir } from './tempDir';

export interface StartRun {
  /** The `npm start` process. */
  npm: ChildProcess;
  /** The script's TMPDIR (its demo folder goes there), removed when the test ends. */
  tmp: string;
  /** Everything printed so far, stdout and stderr interleaved as they arrived. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if npm start exits or the time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  /** Ctrl+C in the terminal: SIGINT to every process of the foreground process group. */
  pressCtrlC(): void;
  /** The processes scripts/start.ts is running now (code-server, or a setup step). */
  scriptChildren(): number[];
  /** Resolves with the exit code (or the signal that ended it); rejects after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | NodeJS.Signals>;
}

/**
 * Runs `npm start` with `env` added and a TMPDIR of its own, in a process group of its own as a
 * terminal's foreground job is. tsx's compile cache stays in memory, so that what is left in that
 * TMPDIR is the script's doing. When the test ends, a run still going gets SIGTERM (it cleans up),
 * then SIGKILL, and the TMPDIR is removed.
 */
export function runStart(env: Record<string, string>): StartRun {
  const tmp = tempDir('k8s-audit-start-');
  const npm = spawn('npm', ['start', '--silent'], {
    cwd: REPO_ROOT,
    env: { ...process.env, TSX_DISABLE_CACHE: '1', TMPDIR: tmp, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => npm.once('exit', (code, signal) => resolve(code ?? signal!)));
  after(async () => {
    if (npm.exitCode === null && npm.signalCode === null) {
      npm.kill('SIGTERM');
      const killer = setTimeout(() => npm.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  const within = <T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs / 1000} s; output so far:\n${output}`)), timeoutMs);
      promise.then(
        (value) => (clearTimeout(timer), resolve(value)),
        (error: unknown) => (clearTimeout(timer), reject(error)),
      );
    });

  return {
    npm,
    tmp,
    output: () => output,
    waitFor: (pattern, timeoutMs) =>
      within(
        new Promise<RegExpMatchArray>((resolve, reject) => {
          const check = () => {
            const match = pattern.exec(output);
            if (!match) return;
            npm.stdout!.off('data', check);
            npm.stderr!.off('data', check);
            resolve(match);
          };
          npm.stdout!.on('data', check);
          npm.stderr!.on('data', check);
          void exited.then((code) => reject(new Error(`npm start exited (${code}) before printing ${pattern}; output:\n${output}`)));
          check();
        }),
        timeoutMs,
        `npm start did not print ${pattern}`,
      ),
    pressCtrlC: () => process.kill(-npm.pid!, 'SIGINT'),
    scriptChildren: () => childPids(scriptPid(npm.pid!)),
    exit: (timeoutMs) => within(exited, timeoutMs, 'npm start did not exit'),
  };
}

/** The processes `pid` started (Linux: /proc). */
function childPids(pid: number): number[] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children ? children.split(/\s+/).map(Number) : [];
}

/** The node process running scripts/start.ts under npm (npm runs it through `sh -c exec ...`). */
function scriptPid(npmPid: number): number {
  const [script, ...more] = childPids(npmPid);
  if (script === undefined || more.length > 0) throw new Error(`npm start runs ${more.length + (script ? 1 : 0)} processes, expected 1`);
  return script;
}
