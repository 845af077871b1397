import type { Diagnostic } from 'vscode-languageserver-types';
import { isAuditPolicy } from './detect';
import { parseYaml } from './parse';
import { readerDiagnostics } from './readerChecks';

export interface PolicyCheckOptions {
  /** Kubernetes minor version such as "1.33"; undefined means the newest one known. */
  kubernetesVersion?: string;
  /** Check the file even if it does not look like a policy (the CLI: the user named the file). */
  assumePolicy?: boolean;
}

/**
 * Everything kube-apiserver would say about a policy file, or `undefined` when the file is not an
 * audit policy (then we stay silent and leave it to other YAML tooling).
 */
export function policyDiagnostics(uri: string, text: string, options: PolicyCheckOptions = {}): Diagnostic[] | undefined {
  const parsed = parseYaml(text);
  if (!options.assumePolicy && !isAuditPolicy(uri, parsed)) return undefined;
  return readerDiagnostics(parsed);
}
