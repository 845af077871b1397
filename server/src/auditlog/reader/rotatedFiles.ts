import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

// kube-apiserver rotates with lumberjack: audit.log -> audit-2026-02-22T10-00-00.000.log[.gz]
// (--audit-log-compress). logrotate-style setups give audit.log.1, audit.log.2.gz. Reading a rotated
// set means reading the backups oldest first, then the live file.

const LUMBERJACK_STAMP = /^-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(?:\.\d+)?)$/;
const NUMBERED = /^\.(\d+)$/;

/** The live file and its rotated backups in the same folder, oldest first, live file last. */
export async function rotatedFileSet(path: string): Promise<string[]> {
  const folder = dirname(path);
  const name = basename(path);
  const extension = extname(name);
  const stem = extension ? name.slice(0, -extension.length) : name;
  const numbered: { file: string; n: number }[] = [];
  const stamped: { file: string; stamp: string }[] = [];
  for (const entry of await readdir(folder)) {
    if (entry === name) continue;
    const plain = entry.endsWith('.gz') ? entry.slice(0, -3) : entry;
    if (plain.startsWith(name)) {
      const match = NUMBERED.exec(plain.slice(name.length));
      if (match) numbered.push({ file: join(folder, entry), n: Number(match[1]) });
      continue;
    }
    if (plain.startsWith(stem) && plain.endsWith(extension)) {
      const match = LUMBERJACK_STAMP.exec(plain.slice(stem.length, plain.length - extension.length));
      if (match) stamped.push({ file: join(folder, entry), stamp: match[1]! });
    }
  }
  numbered.sort((a, b) => b.n - a.n);
  stamped.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : 0));
  return [...numbered.map((f) => f.file), ...stamped.map((f) => f.file), path];
}
