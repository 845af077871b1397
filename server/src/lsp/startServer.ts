import { fileURLToPath } from 'node:url';
import { createConnection, LSPErrorCodes, ProposedFeatures, ResponseError, TextDocuments, TextDocumentSyncKind, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkPathColumn } from '../auditlog/viewer/pathColumns';
import { ViewerSessions } from '../auditlog/viewer/viewerSessions';
import {
  ViewerMethods,
  type ViewerCheckPathParams,
  type ViewerCloseParams,
  type ViewerCompleteParams,
  type ViewerEventParams,
  type ViewerExportParams,
  type ViewerFacetsParams,
  type ViewerOpenErrorData,
  type ViewerOpenParams,
  type ViewerOpenResult,
  type ViewerPathCheck,
  type ViewerQueryParams,
  type ViewerRowsParams,
  type ViewerStatusParams,
  type ViewerTimelineParams,
} from '../protocol/logViewer';
import { ClickHouseProblem } from '../store/clickhouseProblem';
import { STORE_POLL_MS, storeViewerOpener } from '../store/viewer/openStoreViewer';
import { PRODUCT_VERSION } from '../version';
import { registerComplianceRequest } from './complianceRequest';
import { DOCUMENT_CAPABILITIES, registerDocumentFeatures } from './documentFeatures';
import { policyFeature, registerExplainRequest } from './policyFeatures';
import { SettingsStore, type ServerSettings } from './settings';
import { setupFeature } from './setupFeatures';
import { registerSimulationFeatures, SIMULATION_CAPABILITIES } from './simulationFeatures';

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
  registerExplainRequest(connection, documents, () => settings);
  registerComplianceRequest(connection, documents, () => settings, () => folders);
  registerSimulationFeatures(connection, documents, () => settings, () => folders, () => canRefreshLenses);

  const viewers = new ViewerSessions((sessionId, status, reset) => {
    const params: ViewerStatusParams = { sessionId, status, reset };
    void connection.sendNotification(ViewerMethods.status, params);
  });
  connection.onRequest(ViewerMethods.open, async (params: ViewerOpenParams): Promise<ViewerOpenResult> => {
    if ('path' in params) return viewers.open(params.path, (await settings.detectors()).selection);
    try {
      return await viewers.openWith(storeViewerOpener(params.clickhouse), STORE_POLL_MS);
    } catch (error) {
      // The kind travels with the message: the client asks for the password again after `auth`.
      if (error instanceof ClickHouseProblem) throw new ResponseError<ViewerOpenErrorData>(LSPErrorCodes.RequestFailed, error.message, { kind: error.kind });
      throw error;
    }
  });
  connection.onRequest(ViewerMethods.query, (params: ViewerQueryParams) => viewers.get(params.sessionId).setQuery(params.query, params.sort));
  connection.onRequest(ViewerMethods.timeline, (params: ViewerTimelineParams) => viewers.get(params.sessionId).timeline(params.buckets));
  connection.onRequest(ViewerMethods.export, (params: ViewerExportParams) => viewers.get(params.sessionId).export(params.format, params.path));
  connection.onRequest(ViewerMethods.rows, (params: ViewerRowsParams) => viewers.get(params.sessionId).rowsWithPaths(params.start, params.count, params.paths).then((rows) => ({ start: params.start, rows })));
  connection.onRequest(ViewerMethods.facets, (params: ViewerFacetsParams) => viewers.get(params.sessionId).facets(params.fields));
  connection.onRequest(ViewerMethods.event, (params: ViewerEventParams) => viewers.get(params.sessionId).event(params.position, params.reveal));
  connection.onRequest(ViewerMethods.close, (params: ViewerCloseParams) => viewers.close(params.sessionId));
  connection.onRequest(ViewerMethods.complete, (params: ViewerCompleteParams) => viewers.get(params.sessionId).complete(params.text, params.cursor));
  connection.onRequest(ViewerMethods.checkPath, async (params: ViewerCheckPathParams): Promise<ViewerPathCheck> => checkPathColumn(params.path));

  documents.listen(connection);
  connection.listen();
}

/** File-system paths of the workspace folders (file: URIs only): where setup files look for the files they name, and sample logs' globs start. */
function workspaceFolderPaths(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
}
