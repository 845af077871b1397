import * as assert from 'node:assert/strict';
import { runCli } from '../helpers';

/** `k8s-audit load ARGS...`, which must succeed; its JSON summary. */
export function load(args: string[]): { events: number; inserted: number; resumed: number } {
  const result = runCli(['load', ...args]);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { events: number; inserted: number; resumed: number };
}
