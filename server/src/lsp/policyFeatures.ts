import { CodeActionKind, type Connection, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { policyCodeActions } from '../policy/actions';
import { policyCompletions } from '../policy/complete';
import { explainRequest } from '../policy/explain';
import { policyHover } from '../policy/hover';
import { policyDiagnostics, type PolicyCheckOptions } from '../policy/policyDiagnostics';
import { EXPLAIN_METHOD, type ExplainParams, type ExplainResponse } from '../protocol/policyExplain';
import type { SettingsStore } from './settings';

/** What the server offers for policy files, announced in `initialize`. */
export const POLICY_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: [':', ' ', '-', '"', "'", '/', ',', '['] },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

/**
 * Policy diagnostics, completion, hover, quick fixes and "explain a request". Each handler reads the
 * document and the settings and hands them to the engine; the engine decides everything, including
 * that a YAML file which is not a policy gets nothing.
 */
export function registerPolicyFeatures(connection: Connection, documents: TextDocuments<TextDocument>, settings: () => SettingsStore): void {
  const options = async (): Promise<PolicyCheckOptions> => {
    const { kubernetesVersion } = await settings().get();
    return kubernetesVersion ? { kubernetesVersion } : {};
  };

  const validate = async (document: TextDocument): Promise<void> => {
    const diagnostics = policyDiagnostics(document.uri, document.getText(), await options());
    // Non-policy YAML gets an empty list so that stale diagnostics vanish if a file stops being a policy.
    await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: diagnostics ?? [] });
  };
  documents.onDidChangeContent((change) => void validate(change.document));
  documents.onDidClose((event) => void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }));
  connection.onDidChangeConfiguration(() => {
    settings().invalidate();
    documents.all().forEach((document) => void validate(document));
  });

  connection.onCompletion(async ({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    return document ? (policyCompletions(document.uri, document.getText(), position, await options()) ?? null) : null;
  });
  connection.onHover(async ({ textDocument, position }) => {
    const document = documents.get(textDocument.uri);
    return document ? (policyHover(document.uri, document.getText(), position, await options()) ?? null) : null;
  });
  connection.onCodeAction(async ({ textDocument, range, context }) => {
    const document = documents.get(textDocument.uri);
    return document ? (policyCodeActions(document.uri, document.getText(), range, context.diagnostics, await options()) ?? null) : null;
  });
  connection.onRequest(EXPLAIN_METHOD, async ({ uri, request }: ExplainParams): Promise<ExplainResponse> => {
    const document = documents.get(uri);
    if (!document) throw new Error(`${uri} is not open`);
    return explainRequest(document.getText(), request, { ...(await options()), assumePolicy: true }) ?? null;
  });
}
