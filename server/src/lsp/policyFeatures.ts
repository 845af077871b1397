import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { policyCodeActions } from '../policy/features/actions/codeActions';
import { policyCompletions } from '../policy/features/complete';
import { explainRequest } from '../policy/features/explain';
import { policyHover } from '../policy/features/hover';
import { policyDiagnostics, type PolicyCheckOptions } from '../policy/checks/policyDiagnostics';
import type { DocumentFeature } from './documentFeatures';
import type { EditorHandlers } from './editorRequests';
import type { SettingsStore } from './settings';

/**
 * Policy diagnostics, completion, hover and quick fixes for YAML documents. Each handler reads the
 * document and the settings and hands them to the engine; the engine decides everything, including
 * that a YAML file which is not a policy gets nothing (undefined).
 */
export function policyFeature(settings: () => SettingsStore): DocumentFeature {
  const options = async (): Promise<PolicyCheckOptions> => {
    const { kubernetesVersion } = await settings().get();
    return kubernetesVersion ? { kubernetesVersion } : {};
  };
  // Policies are YAML (JSON policies load too, but JSON documents are left to the setup engine and the
  // JSON service); other LSP clients may name YAML differently, so anything but JSON counts.
  const yaml = (document: TextDocument) => document.languageId !== 'json' && document.languageId !== 'jsonc';
  return {
    diagnostics: async (document) => (yaml(document) ? policyDiagnostics(document.uri, document.getText(), await options()) : undefined),
    completion: async (document, position) => (yaml(document) ? policyCompletions(document.uri, document.getText(), position, await options()) : undefined),
    hover: async (document, position) => (yaml(document) ? policyHover(document.uri, document.getText(), position, await options()) : undefined),
    codeActions: async (document, range, diagnostics) => (yaml(document) ? policyCodeActions(document.uri, document.getText(), range, diagnostics, await options()) : undefined),
  };
}

/** "Explain a request" against an open policy. */
export function explainHandlers(documents: TextDocuments<TextDocument>, settings: () => SettingsStore): Pick<EditorHandlers, 'explain'> {
  return {
    explain: async ({ uri, request }) => {
      const document = documents.get(uri);
      if (!document) throw new Error(`${uri} is not open`);
      const { kubernetesVersion } = await settings().get();
      return explainRequest(document.getText(), request, { ...(kubernetesVersion ? { kubernetesVersion } : {}), assumePolicy: true }) ?? null;
    },
  };
}
