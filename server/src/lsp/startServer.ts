import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LogSessions } from '../auditlog/logSessions';
import { LogMethods, type LogCloseParams, type LogEventParams, type LogOpenParams, type LogRowsParams } from '../protocol/logSession';
import { PRODUCT_VERSION } from '../version';
import { POLICY_CAPABILITIES, registerPolicyFeatures } from './policyFeatures';
import { SettingsStore, type ServerSettings } from './settings';

/**
 * Wires LSP messages to the engines. Handlers stay thin: every decision lives in policy/ or auditlog/.
 * The transport (--stdio, --node-ipc, --socket) comes from the command line.
 */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let settings: SettingsStore;

  connection.onInitialize((params): InitializeResult => {
    const canPull = params.capabilities.workspace?.configuration === true;
    settings = new SettingsStore(connection, canPull, (params.initializationOptions ?? {}) as ServerSettings);
    return {
      capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental, ...POLICY_CAPABILITIES },
      serverInfo: { name: 'k8s-audit-language-server', version: PRODUCT_VERSION },
    };
  });

  registerPolicyFeatures(connection, documents, () => settings);

  const logs = new LogSessions((change) => void connection.sendNotification(LogMethods.changed, change));
  connection.onRequest(LogMethods.open, (params: LogOpenParams) => logs.open(params.path));
  connection.onRequest(LogMethods.rows, (params: LogRowsParams) => logs.rows(params.sessionId, params.start, params.count));
  connection.onRequest(LogMethods.event, (params: LogEventParams) => logs.event(params.sessionId, params.index, params.reveal));
  connection.onRequest(LogMethods.close, (params: LogCloseParams) => logs.close(params.sessionId));

  documents.listen(connection);
  connection.listen();
}
