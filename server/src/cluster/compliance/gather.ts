import { cannotRead } from '../../fileErrors';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { severityName } from '../../policy/checks/diagnostic';
import { loadPolicy, policyDiagnostics } from '../../policy/checks/policyDiagnostics';
import { linkedPaths } from '../linked';
import { candidatePaths, type PathMappings } from '../pathMapping';
import { analyseSetup } from '../setupDiagnostics';
import { collectLogEvidence } from './logEvidence';
import type { ComplianceInputs, PolicyInput, SetupInput } from './types';

export interface GatherOptions {
  /** The policy file; when absent, the one --audit-policy-file names is looked for. */
  policy?: string;
  manifests: readonly string[];
  /** Files that may be setup files (a workspace search): the others are skipped silently. */
  candidates?: readonly string[];
  logs: readonly string[];
  cardholderNamespaces?: readonly string[];
  phiNamespaces?: readonly string[];
  kubernetesVersion?: string;
  /** Where host paths (--audit-policy-file=/etc/...) are looked for: the current directory, workspace folders. */
  folders: readonly string[];
  mappings?: PathMappings;
  /** Reads a file's text (default: the disk); VS Code reads open documents first. */
  readText?: (path: string) => Promise<string>;
}

/** Files larger than this are not read as setup files or policies. */
const MAX_TEXT_BYTES = 2_000_000;

/**
 * Reads what the report judges: the setup files named, the policy (named, or found where
 * --audit-policy-file points), the webhook kubeconfig the apiserver names, and the logs. Files that
 * cannot be read or are not audit-setup files are listed as problems; the report is built from the rest.
 */
export async function gatherComplianceInputs(options: GatherOptions): Promise<{ inputs: ComplianceInputs; problems: { file: string; message: string }[] }> {
  // Files are named in the evidence as they were given (the CLI's arguments, VS Code's absolute paths).
  const display = (path: string) => path;
  const read = options.readText ?? readSmallFile;
  const problems: { file: string; message: string }[] = [];
  const setups: SetupInput[] = [];
  const version = options.kubernetesVersion ? { kubernetesVersion: options.kubernetesVersion } : {};

  const addSetup = async (path: string, required: boolean) => {
    let text: string;
    try {
      text = await read(path);
    } catch (error) {
      problems.push({ file: display(path), message: cannotRead(display(path), error) });
      return;
    }
    // The user named the file: a kubeconfig among them is the webhook's.
    const analysed = analyseSetup(pathToFileURL(resolve(path)).href, text, { ...version, webhookKubeconfig: true });
    if (analysed) setups.push({ file: display(path), analysed });
    else if (required) problems.push({ file: display(path), message: `${display(path)}: not an audit-setup file (kube-apiserver manifest, kubeadm or k3s config, webhook kubeconfig, eksctl, CloudFormation, AKS diagnostic settings, IAM policy)` });
  };
  for (const path of options.manifests) await addSetup(path, true);
  const named = new Set(options.manifests.map((m) => resolve(m)));
  for (const path of options.candidates ?? []) if (!named.has(resolve(path))) await addSetup(path, false);

  const findLinked = async (flag: 'audit-policy-file' | 'audit-webhook-config-file'): Promise<string | undefined> => {
    for (const setup of [...setups]) {
      for (const linked of linkedPaths(setup.analysed)) {
        if (linked.flag !== flag) continue;
        for (const candidate of candidatePaths(linked.path, options.folders, options.mappings ?? {})) if (await isFile(candidate)) return candidate;
      }
    }
    return undefined;
  };
  const webhookConfig = await findLinked('audit-webhook-config-file');
  if (webhookConfig && !setups.some((s) => s.analysed.file.source.uri === pathToFileURL(resolve(webhookConfig)).href)) await addSetup(webhookConfig, false);

  let policy: PolicyInput | undefined;
  const policyPath = options.policy ?? (await findLinked('audit-policy-file'));
  if (policyPath) {
    try {
      policy = { file: display(policyPath), uri: pathToFileURL(resolve(policyPath)).href, text: await read(policyPath) };
    } catch (error) {
      problems.push({ file: display(policyPath), message: cannotRead(display(policyPath), error) });
    }
  }

  const inputs: ComplianceInputs = { setups, cardholderNamespaces: [...(options.cardholderNamespaces ?? [])], phiNamespaces: [...(options.phiNamespaces ?? [])], ...version };
  if (policy) inputs.policy = policy;
  if (options.logs.length > 0) {
    const loads = policy && !(policyDiagnostics(policy.uri, policy.text, { ...version, assumePolicy: true }) ?? []).some((d) => severityName(d.severity) === 'error');
    const model = loads ? loadPolicy(policy!.uri, policy!.text, { ...version, assumePolicy: true })?.model : undefined;
    inputs.log = await collectLogEvidence(options.logs, { ...(model ? { policy: model.policy } : {}), namespaces: [...inputs.cardholderNamespaces, ...inputs.phiNamespaces] });
    for (const error of inputs.log.errors) problems.push({ file: display(error.file), message: cannotRead(display(error.file), error.message) });
  }
  return { inputs, problems };
}

async function readSmallFile(path: string): Promise<string> {
  const info = await stat(path);
  if (!info.isFile()) throw new Error('not a file');
  if (info.size > MAX_TEXT_BYTES) throw new Error(`larger than ${MAX_TEXT_BYTES / 1_000_000} MB`);
  return readFile(path, 'utf8');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
