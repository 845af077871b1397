// Runs the real CLI (dist/cli.js) two ways and holds them to the same output: the tests that prove a
// faster path of a command prints exactly what its reference path prints.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** dist/cli.js with `args`, the environment changed by `env`. */
export function runCli(args: string[], env: Record<string, string>): CliRun {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8', cwd: REPO_ROOT, env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same stdout, stderr and exit status byte for byte with `actual`'s environment as with `expected`'s; the actual run. */
export function assertSameCliOutput(args: string[], expected: Record<string, string>, actual: Record<string, string>): CliRun {
  const reference = runCli(args, expected);
  const result = runCli(args, actual);
  assert.equal(result.stderr, reference.stderr, `${args.join(' ')}: stderr`);
  assert.equal(result.status, reference.status, `${args.join(' ')}: exit status`);
  assert.ok(result.stdout === reference.stdout, `${args.join(' ')}: stdout differs`);
  return result;
}
