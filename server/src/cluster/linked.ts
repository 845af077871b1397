import type { Diagnostic, DocumentLink } from 'vscode-languageserver-types';
import { severityName } from '../policy/checks/diagnostic';
import { policyDiagnostics } from '../policy/checks/policyDiagnostics';
import { effectiveFlags } from './effectiveFlags';
import { finding } from './finding';
import { setupDiagnostics, type AnalysedSetup, type SetupCheckOptions } from './setupDiagnostics';
import { spanRange, type Span } from './source';

/** Flags whose value is a file kube-apiserver reads at startup: the policy and the webhook kubeconfig. */
export type LinkedFlag = 'audit-policy-file' | 'audit-webhook-config-file';

export interface LinkedPath {
  flag: LinkedFlag;
  /** The path as kube-apiserver sees it (on the control-plane host, inside its pod). */
  path: string;
  span: Span;
}

/** The file as found in the workspace: its URI and text. */
export interface ResolvedFile {
  uri: string;
  text: string;
}

/** The files a setup file points at (the flags in effect, with a path value). */
export function linkedPaths(analysed: AnalysedSetup): LinkedPath[] {
  const out: LinkedPath[] = [];
  for (const document of analysed.file.documents) {
    if (document.kind !== 'apiserver') continue;
    const flags = effectiveFlags(document.config);
    for (const flag of ['audit-policy-file', 'audit-webhook-config-file'] as const) {
      const arg = flags.get(flag);
      if (arg?.value) out.push({ flag, path: arg.value, span: arg.valueSpan ?? arg.span });
    }
  }
  return out;
}

/** A link from each flag value to the file it names, where that file was found. */
export function setupDocumentLinks(analysed: AnalysedSetup, resolved: ReadonlyMap<string, ResolvedFile>): DocumentLink[] {
  return linkedPaths(analysed).flatMap((linked) => {
    const file = resolved.get(linked.path);
    return file ? [{ range: spanRange(analysed.file.source, linked.span), target: file.uri, tooltip: `Open the ${linked.flag === 'audit-policy-file' ? 'audit policy' : 'audit webhook kubeconfig'} (${file.uri})` }] : [];
  });
}

/** At most this many of the linked file's errors are listed with the finding. */
const LISTED_ERRORS = 5;

/**
 * The linked files' own errors, reported at the flag: a policy that does not load (or a webhook
 * kubeconfig with no usable server) stops kube-apiserver at startup, so the manifest is what breaks.
 */
export function linkedFileDiagnostics(analysed: AnalysedSetup, resolved: ReadonlyMap<string, ResolvedFile>, options: SetupCheckOptions = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const linked of linkedPaths(analysed)) {
    const file = resolved.get(linked.path);
    if (!file) continue;
    const diagnostics =
      linked.flag === 'audit-policy-file'
        ? (policyDiagnostics(file.uri, file.text, { ...(options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {}), assumePolicy: true }) ?? [])
        : (setupDiagnostics(file.uri, file.text, { ...options, webhookKubeconfig: true }) ?? []);
    const errors = diagnostics.filter((d) => severityName(d.severity) === 'error');
    if (errors.length === 0) continue;
    const first = errors[0]!;
    const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
    const what = linked.flag === 'audit-policy-file' ? 'audit policy' : 'audit webhook kubeconfig';
    out.push(
      finding(
        analysed.file.source,
        linked.flag === 'audit-policy-file' ? 'audit-policy-file-invalid' : 'audit-webhook-config-invalid',
        'error',
        linked.span,
        `kube-apiserver will not start: the ${what} ${linked.path} has ${errors.length} error${errors.length === 1 ? '' : 's'} (line ${first.range.start.line + 1}: ${text(first)})`,
        { flag: linked.flag, related: errors.slice(0, LISTED_ERRORS).map((d) => ({ location: { uri: file.uri, range: d.range }, message: text(d) })) },
      ),
    );
  }
  return out;
}
