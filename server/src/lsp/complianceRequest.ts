import { readFile, stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { gatherComplianceInputs } from '../cluster/compliance/gather';
import { buildComplianceReport } from '../cluster/compliance/report';
import type { EditorHandlers } from './editorRequests';
import { stringList, stringMap, type SettingsStore } from './settings';

/** Setup files and policies larger than this are not read. */
const MAX_TEXT_BYTES = 2_000_000;

/**
 * The compliance report for VS Code: the same engine as `k8s-audit report`, reading open documents
 * first (their unsaved text is what the user sees), with the path mappings and compliance namespaces
 * of the settings.
 */
export function complianceHandlers(documents: TextDocuments<TextDocument>, settings: () => SettingsStore, workspaceFolders: () => string[]): Pick<EditorHandlers, 'complianceReport'> {
  const complianceReport: EditorHandlers['complianceReport'] = async (params) => {
    const current = await settings().get();
    const { inputs, problems } = await gatherComplianceInputs({
      manifests: params.manifests ?? [],
      candidates: params.candidates ?? [],
      logs: params.logs ?? [],
      ...(params.policy ? { policy: params.policy } : {}),
      ...(current.kubernetesVersion ? { kubernetesVersion: current.kubernetesVersion } : {}),
      cardholderNamespaces: stringList(current.compliance?.cardholderNamespaces),
      phiNamespaces: stringList(current.compliance?.phiNamespaces),
      folders: workspaceFolders(),
      mappings: stringMap(current.cluster?.pathMappings),
      readText: async (path) => {
        const open = documents.get(pathToFileURL(path).href);
        if (open) return open.getText();
        const info = await stat(path);
        if (!info.isFile() || info.size > MAX_TEXT_BYTES) throw new Error(info.isFile() ? 'too large' : 'not a file');
        return readFile(path, 'utf8');
      },
    });
    return { report: buildComplianceReport(inputs), problems };
  };
  return { complianceReport };
}
