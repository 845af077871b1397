import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ExplainRequest } from '../../server/src/protocol/policyExplain';
import { sendEditorRequest } from './editorRequests';

const PROMPT = 'A request: VERB RESOURCE-or-URL, then any of ns=NAMESPACE name=NAME user=USER groups=G1,G2 group=API_GROUP';
const EXAMPLE = 'create pods/exec ns=prod user=alice@example.com groups=dev,system:authenticated';

/**
 * "Explain a Request": which rule of the active policy decides a request's audit level, and what that
 * level records. With an ExplainRequest argument (other extensions, tests) it asks nothing and returns
 * the result.
 */
export function registerExplainCommand(getClient: () => Promise<LanguageClient>): vscode.Disposable {
  return vscode.commands.registerCommand('k8sAudit.explainRequest', async (given?: ExplainRequest, uri?: vscode.Uri) => {
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document) {
      void vscode.window.showWarningMessage('Open an audit policy first: the request is explained against the active editor.');
      return undefined;
    }
    let request = given;
    if (!request) {
      const typed = await vscode.window.showInputBox({ title: 'Explain a request against this audit policy', prompt: PROMPT, placeHolder: EXAMPLE, validateInput: (text) => parseRequest(text).error });
      if (typed === undefined) return undefined;
      request = parseRequest(typed).request;
    }
    if (!request) return undefined;
    const client = await getClient();
    const result = await sendEditorRequest(client, 'explain', { uri: document.uri.toString(), request });
    if (given) return result;
    if (!result) {
      void vscode.window.showErrorMessage('kube-apiserver would not load this policy: fix the errors in the Problems panel first.');
      return result;
    }
    const goTo = result.ruleLine !== undefined ? 'Go to Rule' : undefined;
    const choice = await vscode.window.showInformationMessage(result.summary, ...(goTo ? [goTo] : []));
    if (choice && result.ruleLine !== undefined) {
      const editor = await vscode.window.showTextDocument(document);
      const position = new vscode.Position(result.ruleLine, 0);
      editor.selection = new vscode.Selection(position, position);
      editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
    }
    return result;
  });
}

/** `create pods/exec ns=prod user=alice groups=a,b` -> ExplainRequest, or why it cannot be read. */
export function parseRequest(text: string): { request?: ExplainRequest; error?: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb, target, ...rest] = words;
  if (!verb || !target) return { error: `Write at least a verb and a resource or URL, for example: ${EXAMPLE}` };
  const request: ExplainRequest = { verb };
  if (target.startsWith('/')) request.path = target;
  else request.resource = target;
  for (const word of rest) {
    const [key, value] = [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)];
    if (!word.includes('=') || !value) return { error: `"${word}" is not KEY=VALUE (ns, name, user, groups, group)` };
    if (key === 'ns' || key === 'namespace') request.namespace = value;
    else if (key === 'name') request.name = value;
    else if (key === 'user') request.user = value;
    else if (key === 'groups') request.groups = value.split(',').filter(Boolean);
    else if (key === 'group') request.apiGroup = value;
    else return { error: `Unknown key "${key}": use ns, name, user, groups or group` };
  }
  return { request };
}
