import { readFile, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { linkedFileDiagnostics, linkedPaths, type ResolvedFile } from '../cluster/linked';
import { candidatePaths } from '../cluster/pathMapping';
import { analyseSetup } from '../cluster/setupDiagnostics';

/**
 * `k8s-audit lint` on an audit-setup file (the file kind is recognised by content): its diagnostics,
 * plus the errors of the policy and webhook kubeconfig its flags name, when those files exist at the
 * same path or under the current directory. Undefined for any other file (linted as a policy).
 */
export async function lintSetupFile(uri: string, text: string, kubernetesVersion: string | undefined): Promise<Diagnostic[] | undefined> {
  const options = { ...(kubernetesVersion ? { kubernetesVersion } : {}), webhookKubeconfig: true };
  const analysed = analyseSetup(uri, text, options);
  if (!analysed) return undefined;
  const resolved = new Map<string, ResolvedFile>();
  for (const linked of linkedPaths(analysed)) {
    for (const candidate of candidatePaths(linked.path, [process.cwd()])) {
      const file = await readIfFile(candidate);
      if (file !== undefined) {
        resolved.set(linked.path, { uri: pathToFileURL(candidate).href, text: file });
        break;
      }
    }
  }
  return [...analysed.diagnostics, ...linkedFileDiagnostics(analysed, resolved, options)];
}

async function readIfFile(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() && info.size < 2_000_000 ? await readFile(path, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
