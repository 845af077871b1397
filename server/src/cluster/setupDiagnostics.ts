import type { Diagnostic } from 'vscode-languageserver-types';
import { kubernetesMinor } from '../policy/version';
import { backendDiagnostics } from './checks/backend';
import { flagValueDiagnostics } from './checks/flagValues';
import { mountDiagnostics } from './checks/mounts';
import { webhookDiagnostics } from './checks/webhook';
import { recogniseAksDiagnosticSettings } from './managed/aks';
import { recogniseCloudFormation } from './managed/cloudFormation';
import { recogniseEksctl } from './managed/eksctl';
import { recogniseGcpIamPolicy } from './managed/gke';
import type { SetupDocument, SetupFile } from './model';
import { recogniseK3sConfig } from './recognise/k3s';
import { recogniseKubeadm } from './recognise/kubeadm';
import { recogniseStaticPod } from './recognise/staticPod';
import { recogniseKubeconfig } from './recognise/webhookKubeconfig';
import { MAX_SETUP_CHARS, parseClusterSource } from './source';

export interface SetupCheckOptions {
  /** Kubernetes minor version such as "1.33"; undefined means the newest one known. */
  kubernetesVersion?: string;
  /** This kubeconfig is the audit webhook's (an apiserver flag points at it), whatever its name. */
  webhookKubeconfig?: boolean;
}

export interface AnalysedSetup {
  file: SetupFile;
  diagnostics: Diagnostic[];
}

/**
 * Texts that might be a setup file; anything else is ruled out without parsing (most YAML and JSON an
 * editor opens is none of these kinds, and stays with Red Hat YAML and the JSON service).
 */
const MARKERS = /kube-apiserver|ClusterConfiguration|\bkind["']?\s*:\s*["']?Config\b|eksctl\.io|AWS::EKS::Cluster|kube-audit|auditConfigs|"?bindings"?\s*:|audit-policy-file/;

/** A kubeconfig counts as the audit webhook's only when its file name says so (or the caller knows). */
const WEBHOOK_FILE_NAME = /(audit|webhook)[^/\\]*$/i;

/**
 * Recognises an audit-setup file by its content and checks it: kube-apiserver static pod manifests,
 * kubeadm ClusterConfiguration, k3s/RKE2 config.yaml, the audit webhook kubeconfig, eksctl ClusterConfig,
 * CloudFormation AWS::EKS::Cluster, AKS diagnostic settings and Google Cloud IAM policies. Undefined
 * when the text is none of these: then the file is left alone.
 */
export function analyseSetup(uri: string, text: string, options: SetupCheckOptions = {}): AnalysedSetup | undefined {
  if (text.length > MAX_SETUP_CHARS || !MARKERS.test(text)) return undefined;
  const source = parseClusterSource(uri, text);
  const minor = kubernetesMinor(options.kubernetesVersion);
  const documents: SetupDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  const webhookNamed = options.webhookKubeconfig === true || WEBHOOK_FILE_NAME.test(safeDecode(uri));

  for (const document of source.documents) {
    if (document.broken) continue;
    const root = document.root;
    const documentIndex = document.index;
    const apiServer = recogniseStaticPod(source, root) ?? recogniseKubeadm(source, root) ?? recogniseK3sConfig(source, root);
    if (apiServer) {
      documents.push({ kind: 'apiserver', documentIndex, config: apiServer });
      diagnostics.push(...flagValueDiagnostics(source, apiServer), ...backendDiagnostics(source, apiServer, minor), ...mountDiagnostics(source, apiServer));
      continue;
    }
    const kubeconfig = webhookNamed ? recogniseKubeconfig(source, root) : undefined;
    if (kubeconfig) {
      documents.push({ kind: 'webhook-kubeconfig', documentIndex, config: kubeconfig });
      diagnostics.push(...webhookDiagnostics(source, kubeconfig));
      continue;
    }
    const single = recogniseEksctl(source, root) ?? recogniseGcpIamPolicy(source, root);
    if (single && root) {
      documents.push({ kind: 'managed', documentIndex, config: single.logging, root });
      diagnostics.push(...single.diagnostics);
      continue;
    }
    const several = recogniseCloudFormation(source, root) ?? recogniseAksDiagnosticSettings(source, root);
    if (several && root) {
      for (const logging of several.logging) documents.push({ kind: 'managed', documentIndex, config: logging, root });
      diagnostics.push(...several.diagnostics);
    }
  }
  if (documents.length === 0) return undefined;
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { file: { source, documents }, diagnostics };
}

/** The diagnostics of a setup file, or undefined when the text is not one (stay silent then). */
export function setupDiagnostics(uri: string, text: string, options: SetupCheckOptions = {}): Diagnostic[] | undefined {
  return analyseSetup(uri, text, options)?.diagnostics;
}

function safeDecode(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}
