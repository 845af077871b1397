import { CodeActionKind, type CodeAction, type Connection, type Diagnostic, type DocumentLink, type Hover, type Position, type Range, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver/node';
import type { CompletionItem, CompletionList } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * One kind of document the server acts on (audit policies, audit-setup files). Each method answers
 * undefined for a document that is not of its kind; the dispatcher asks the features in order and the
 * first answer wins, so a document that is of no kind gets nothing and stays with other extensions.
 */
export interface DocumentFeature {
  diagnostics(document: TextDocument): Promise<Diagnostic[] | undefined>;
  completion?(document: TextDocument, position: Position): Promise<CompletionItem[] | CompletionList | undefined>;
  hover?(document: TextDocument, position: Position): Promise<Hover | undefined>;
  codeActions?(document: TextDocument, range: Range, diagnostics: Diagnostic[]): Promise<CodeAction[] | undefined>;
  links?(document: TextDocument): Promise<DocumentLink[] | undefined>;
  /** Open documents whose findings depend on other files (judged again when any file changes). */
  dependents?(): readonly string[];
}

export const DOCUMENT_CAPABILITIES: ServerCapabilities = {
  completionProvider: { triggerCharacters: [':', ' ', '-', '"', "'", '/', ',', '['] },
  hoverProvider: true,
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentLinkProvider: { resolveProvider: false },
};

/**
 * Document events and requests, dispatched to the features. After a change, the documents whose
 * findings depend on other files are judged again too (a manifest reports the errors of the policy it
 * names), and all of them when a file changes on disk.
 */
export function registerDocumentFeatures(connection: Connection, documents: TextDocuments<TextDocument>, features: readonly DocumentFeature[], settingsChanged: () => void): { revalidateAll(): void } {
  const first = async <T>(ask: (feature: DocumentFeature) => Promise<T | undefined> | undefined): Promise<T | undefined> => {
    for (const feature of features) {
      const answer = await ask(feature);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
  const validate = async (document: TextDocument): Promise<void> => {
    const diagnostics = await first((feature) => feature.diagnostics(document));
    // A document of no kind gets an empty list, so that stale diagnostics vanish if it stops being one.
    await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: diagnostics ?? [] });
  };
  const revalidateAll = () => {
    for (const document of documents.all()) void validate(document);
  };
  const revalidateDependents = (except?: string) => {
    const uris = new Set(features.flatMap((feature) => feature.dependents?.() ?? []));
    for (const uri of uris) {
      const document = uri === except ? undefined : documents.get(uri);
      if (document) void validate(document);
    }
  };
  documents.onDidChangeContent((change) => {
    void validate(change.document);
    revalidateDependents(change.document.uri);
  });
  documents.onDidClose((event) => void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }));
  connection.onDidChangeConfiguration(() => {
    settingsChanged();
    revalidateAll();
  });
  connection.onDidChangeWatchedFiles(() => revalidateDependents());

  const withDocument = <T>(uri: string, ask: (document: TextDocument) => Promise<T | undefined>): Promise<T | null> => {
    const document = documents.get(uri);
    return document ? ask(document).then((answer) => answer ?? null) : Promise.resolve(null);
  };
  connection.onCompletion(({ textDocument, position }) => withDocument(textDocument.uri, (document) => first((feature) => feature.completion?.(document, position))));
  connection.onHover(({ textDocument, position }) => withDocument(textDocument.uri, (document) => first((feature) => feature.hover?.(document, position))));
  connection.onCodeAction(({ textDocument, range, context }) => withDocument(textDocument.uri, (document) => first((feature) => feature.codeActions?.(document, range, context.diagnostics))));
  connection.onDocumentLinks(({ textDocument }) => withDocument(textDocument.uri, (document) => first((feature) => feature.links?.(document))));
  return { revalidateAll };
}
