import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

/** Directories a `**` never walks into. */
const SKIPPED = new Set(['node_modules', '.git']);
/** Enough for any workspace's logs; a pattern that reaches more entries stops there. */
const MAX_ENTRIES = 20_000;

/**
 * The files that paths or globs name (the k8sAudit.simulation.logs setting): absolute, or relative to
 * each base directory (the workspace folders). Globs: `*` and `?` within one path segment, `**` for
 * any number of directories. Returns existing files, sorted, each once; and the patterns that matched nothing.
 */
export async function expandLogPatterns(patterns: readonly string[], baseDirs: readonly string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const roots = isAbsolute(pattern) ? [''] : baseDirs;
    const found = new Set<string>();
    for (const root of roots) {
      const full = root ? resolve(root, pattern) : resolve(pattern);
      if (!/[*?]/.test(full)) {
        if (await isFile(full)) found.add(full);
        continue;
      }
      for (const file of await glob(full)) found.add(file);
    }
    if (found.size === 0) unmatched.push(pattern);
    for (const file of found) files.add(file);
  }
  return { files: [...files].sort(), unmatched };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function segmentRegex(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/\\\\]*').replace(/\?/g, '[^/\\\\]');
  return new RegExp(`^${body}$`);
}

async function glob(pattern: string): Promise<string[]> {
  const parts = pattern.split(sep);
  // The fixed directory before the first segment with a wildcard.
  const first = parts.findIndex((part) => /[*?]/.test(part));
  const base = parts.slice(0, first).join(sep) || sep;
  const rest = parts.slice(first);
  const out: string[] = [];
  let budget = MAX_ENTRIES;
  const walk = async (dir: string, index: number): Promise<void> => {
    if (index >= rest.length || budget <= 0) return;
    const segment = rest[index]!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    budget -= entries.length;
    const last = index === rest.length - 1;
    if (segment === '**') {
      await walk(dir, index + 1);
      for (const entry of entries) if (entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(join(dir, entry.name), index);
      return;
    }
    const matches = segmentRegex(segment);
    for (const entry of entries) {
      if (!matches.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (last && entry.isFile()) out.push(path);
      else if (!last && entry.isDirectory() && !SKIPPED.has(entry.name)) await walk(path, index + 1);
    }
  };
  await walk(base, 0);
  return out;
}
