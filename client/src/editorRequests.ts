import type { LanguageClient } from 'vscode-languageclient/node';
import { EDITOR_METHOD_NAMES, type EditorMethod, type EditorParams, type EditorResult } from '../../server/src/protocol/editorRequests';

/**
 * A request of the editor's table (server/src/protocol/editorRequests.ts), typed by it: the method
 * names its params and its result. A method without params is sent without any (none on the wire).
 */
export function sendEditorRequest<M extends EditorMethod>(client: LanguageClient, method: M, ...params: EditorParams<M> extends void ? [] : [EditorParams<M>]): Promise<EditorResult<M>> {
  const name = EDITOR_METHOD_NAMES[method];
  return params.length === 0 ? client.sendRequest<EditorResult<M>>(name) : client.sendRequest<EditorResult<M>>(name, params[0]);
}
