import { isAbsolute, join, normalize } from 'node:path';

/**
 * Where a path on a control-plane host (the value of --audit-policy-file) may be in the workspace: a
 * mapping setting first (`{"/etc/kubernetes": "${workspaceFolder}/cluster/etc"}`, longest host prefix
 * first), then the same path under each workspace folder (a repository that mirrors the host's tree),
 * then the path itself (the editor runs on the control-plane node). The caller takes the first that
 * exists; this module only computes candidates.
 */
export type PathMappings = Record<string, string>;

export function candidatePaths(hostPath: string, workspaceFolders: readonly string[], mappings: PathMappings = {}): string[] {
  if (!hostPath.startsWith('/')) return workspaceFolders.map((folder) => join(folder, hostPath));
  const candidates: string[] = [];
  const prefixes = Object.keys(mappings)
    .filter((prefix) => prefix !== '')
    .sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    const host = prefix.length > 1 ? prefix.replace(/\/+$/, '') : prefix;
    if (hostPath !== host && !hostPath.startsWith(host === '/' ? '/' : `${host}/`)) continue;
    const target = expandFolder(mappings[prefix]!, workspaceFolders[0]);
    if (target === undefined) continue;
    candidates.push(normalize(join(target, hostPath.slice(host.length))));
  }
  for (const folder of workspaceFolders) candidates.push(join(folder, hostPath));
  candidates.push(hostPath);
  return [...new Set(candidates)];
}

/** `${workspaceFolder}` and relative targets are taken from the first workspace folder. */
function expandFolder(target: string, folder: string | undefined): string | undefined {
  const expanded = target.replace(/\$\{workspaceFolder\}/g, folder ?? '');
  if (isAbsolute(expanded)) return expanded;
  return folder === undefined ? undefined : join(folder, expanded);
}
