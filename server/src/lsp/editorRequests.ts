import type { Connection } from 'vscode-languageserver/node';
import { EDITOR_METHOD_NAMES, type EditorMethod, type EditorParams, type EditorResult } from '../protocol/editorRequests';

/** One handler per request of the editor's table (protocol/editorRequests.ts): the compiler checks that none is missing and each answers its result. */
export type EditorHandlers = { [M in EditorMethod]: (params: EditorParams<M>) => EditorResult<M> | Promise<EditorResult<M>> };

/** Registers the handlers of the editor's requests; each feature module supplies its part of the table. */
export function registerEditorRequests(connection: Connection, handlers: EditorHandlers): void {
  for (const method of Object.keys(handlers) as EditorMethod[]) {
    connection.onRequest(EDITOR_METHOD_NAMES[method], handlers[method] as (params: unknown) => unknown);
  }
}
