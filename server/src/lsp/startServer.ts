import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { PRODUCT_VERSION } from '../version';
import { complianceHandlers } from './complianceRequest';
import { DOCUMENT_CAPABILITIES, registerDocumentFeatures } from './documentFeatures';
import { registerEditorRequests } from './editorRequests';
import { explainHandlers, policyFeature } from './policyFeatures';
import { SettingsStore, type ServerSettings } from './settings';
import { setupFeature } from './setupFeatures';
import { registerSimulationFeatures, SIMULATION_CAPABILITIES } from './simulationFeatures';
import { registerViewerRequests } from './viewerRequests';

/**
 * Wires LSP messages to the engines. Handlers stay thin: every decision lives in policy/ or auditlog/.
 * The transport (--stdio, --node-ipc, --socket) comes from the command line.
 */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let settings: SettingsStore;
  let folders: string[] = [];
  let canRefreshLenses = false;

  connection.onInitialize((params): InitializeResult => {
    const canPull = params.capabilities.workspace?.configuration === true;
    settings = new SettingsStore(connection, canPull, (params.initializationOptions ?? {}) as ServerSettings);
    folders = workspaceFolderPaths(params);
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, ...DOCUMENT_CAPABILITIES, ...SIMULATION_CAPABILITIES },
      serverInfo: { name: 'k8s-audit-language-server', version: PRODUCT_VERSION },
    };
  });

  const dispatcher = registerDocumentFeatures(
    connection,
    documents,
    [policyFeature(() => settings), setupFeature(() => settings, documents, () => folders, () => dispatcher.revalidateAll())],
    () => settings.invalidate(),
  );
  registerEditorRequests(connection, {
    ...explainHandlers(documents, () => settings),
    ...complianceHandlers(documents, () => settings, () => folders),
    ...registerSimulationFeatures(connection, documents, () => settings, () => folders, () => canRefreshLenses),
  });

  registerViewerRequests(connection, () => settings);

  documents.listen(connection);
  connection.listen();
}

/** File-system paths of the workspace folders (file: URIs only): where setup files look for the files they name, and sample logs' globs start. */
function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}
