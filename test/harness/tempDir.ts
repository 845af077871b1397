// Temporary folders for tests and tools. Tests leave nothing in the temp directory: scripts/test.mjs
// runs each stage with a TMPDIR of its own and fails the stage if anything is left in it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh folder in the temp directory; the caller removes it. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A fresh folder in the temp directory, removed when the test or suite that asks for it ends (at the top
 * of a file: when the file's tests end), however they end. Ask in a test, a suite's body or at the top of
 * a file, not in a `before` hook: there it would be removed as soon as the hook ends.
 */
export function testTempDir(prefix: string): string {
  const dir = tempDir(prefix);
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
