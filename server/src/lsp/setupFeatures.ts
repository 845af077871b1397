import { readFile, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { setupCodeActions } from '../cluster/actions';
import { setupHover } from '../cluster/hover';
import { linkedFileDiagnostics, linkedPaths, setupDocumentLinks, type ResolvedFile } from '../cluster/linked';
import { candidatePaths, type PathMappings } from '../cluster/pathMapping';
import { analyseSetup, type AnalysedSetup, type SetupCheckOptions } from '../cluster/setupDiagnostics';
import type { DocumentFeature } from './documentFeatures';
import { stringMap, type SettingsStore } from './settings';

/** Linked files larger than this are not read (no policy or kubeconfig comes near it). */
const MAX_LINKED_BYTES = 2_000_000;

/**
 * Audit-setup files (apiserver manifests, kubeadm/k3s config, the webhook kubeconfig, managed-cluster
 * settings), YAML or JSON: diagnostics, quick fixes, hover on the audit flags, and links from
 * --audit-policy-file / --audit-webhook-config-file to the files in the workspace, whose own errors are
 * reported at the flag. Files are found through open documents first, then on disk.
 */
export function setupFeature(settings: () => SettingsStore, documents: TextDocuments<TextDocument>, workspaceFolders: () => string[], onWebhookConfigsChanged: () => void): DocumentFeature {
  /** Per manifest, the kubeconfigs its --audit-webhook-config-file points at: judged as the webhook's whatever their names. */
  const webhookConfigsOf = new Map<string, Set<string>>();
  let webhookConfigs = new Set<string>();
  /** Open setup files that name other files (their findings change when those files do). */
  const linking = new Set<string>();

  const options = async (uri: string): Promise<SetupCheckOptions> => {
    const { kubernetesVersion } = await settings().get();
    return { ...(kubernetesVersion ? { kubernetesVersion } : {}), ...(webhookConfigs.has(uri) ? { webhookKubeconfig: true } : {}) };
  };

  const mappings = async (): Promise<PathMappings> => stringMap((await settings().get()).cluster?.pathMappings);

  const readLinked = async (candidate: string): Promise<ResolvedFile | undefined> => {
    const uri = pathToFileURL(candidate).href;
    const open = documents.get(uri);
    if (open) return { uri, text: open.getText() };
    try {
      const info = await stat(candidate);
      if (!info.isFile() || info.size > MAX_LINKED_BYTES) return undefined;
      return { uri, text: await readFile(candidate, 'utf8') };
    } catch {
      return undefined;
    }
  };

  const resolve = async (analysed: AnalysedSetup): Promise<Map<string, ResolvedFile>> => {
    const resolved = new Map<string, ResolvedFile>();
    const folders = workspaceFolders();
    const map = await mappings();
    for (const linked of linkedPaths(analysed)) {
      if (resolved.has(linked.path)) continue;
      for (const candidate of candidatePaths(linked.path, folders, map)) {
        const file = await readLinked(candidate);
        if (file) {
          resolved.set(linked.path, file);
          break;
        }
      }
    }
    return resolved;
  };

  const analyse = async (document: TextDocument) => {
    const analysed = analyseSetup(document.uri, document.getText(), await options(document.uri));
    return analysed ? { analysed, resolved: await resolve(analysed) } : undefined;
  };

  const noteWebhookConfigs = (manifest: string, analysed: AnalysedSetup, resolved: Map<string, ResolvedFile>) => {
    const mine = new Set<string>();
    for (const linked of linkedPaths(analysed)) {
      const file = resolved.get(linked.path);
      if (linked.flag === 'audit-webhook-config-file' && file) mine.add(file.uri);
    }
    webhookConfigsOf.set(manifest, mine);
    const next = new Set([...webhookConfigsOf.values()].flatMap((set) => [...set]));
    const changed = next.size !== webhookConfigs.size || [...next].some((uri) => !webhookConfigs.has(uri));
    webhookConfigs = next;
    if (changed) onWebhookConfigsChanged();
  };

  return {
    diagnostics: async (document) => {
      const result = await analyse(document);
      if (result && linkedPaths(result.analysed).length > 0) linking.add(document.uri);
      else linking.delete(document.uri);
      if (!result) return undefined;
      noteWebhookConfigs(document.uri, result.analysed, result.resolved);
      return [...result.analysed.diagnostics, ...linkedFileDiagnostics(result.analysed, result.resolved, await options(document.uri))];
    },
    hover: async (document, position) => {
      const result = await analyse(document);
      return result ? setupHover(document.uri, document.getText(), position, await options(document.uri), result.resolved) : undefined;
    },
    codeActions: async (document, _range, diagnostics) => setupCodeActions(document.uri, document.getText(), diagnostics, await options(document.uri)),
    dependents: () => [...linking].filter((uri) => documents.get(uri) !== undefined),
    links: async (document) => {
      const result = await analyse(document);
      return result ? setupDocumentLinks(result.analysed, result.resolved) : undefined;
    },
  };
}
