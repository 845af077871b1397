// Runs a helper program (an installer, a packager, a generator) so that it can be stopped cleanly: the
// promise settles only once the program has exited, so a caller that is shutting down leaves nothing
// running behind it (orphans are not always reaped, and would keep files open).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** The last `count` lines of a program's output, for an error message. */
export function lastLines(text: string, count: number): string {
  return text.trimEnd().split('\n').slice(-count).join('\n');
}

/** Sends a signal to every process of the group `child` leads; false when none is left. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-child.pid!, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is empty
  }
}

export interface ProgramOptions {
  /** Aborting it stops the program (SIGTERM); the promise then rejects once the program has exited. */
  signal?: AbortSignal;
  /** Run it in a process group of its own and stop the whole group: for programs that start others (npm). */
  ownProcessGroup?: boolean;
  /** Each chunk of its stderr as it comes (progress). */
  onStderr?: (text: string) => void;
}

/** Runs `command` to its end and resolves with its stdout; rejects with the end of its stderr when it fails. */
export async function runProgram(command: string, args: string[], options: ProgramOptions = {}): Promise<string> {
  const { signal } = options;
  signal?.throwIfAborted();
  const child = spawn(command, args, { detached: options.ownProcessGroup, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    options.onStderr?.(chunk.toString());
  });
  const stop = () => (options.ownProcessGroup ? signalGroup(child, 'SIGTERM') : child.kill('SIGTERM'));
  signal?.addEventListener('abort', stop, { once: true });
  try {
    const [code, killedBy] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    signal?.throwIfAborted();
    if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code ?? killedBy}); the end of its output:\n${lastLines(stderr, 30)}`);
    return stdout;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
