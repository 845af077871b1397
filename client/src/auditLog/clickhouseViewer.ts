import * as os from 'node:os';
import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import type { ViewerOpenErrorData, ViewerOpenParams } from '../../../server/src/protocol/logViewer';
import { ClickHousePasswords, DEFAULT_TABLE, pickConnection, type ClickHouseConnectionSetting } from './clickhouseConnections';
import { errorText, exportViewerResult, sendViewerRequest, type OpenedLog, type ViewerRelay } from './viewerRelay';

const PANEL_TYPE = 'k8sAudit.clickhouseViewer';

/**
 * "Open Audit Log from ClickHouse…": the log viewer on a table of a connection from the settings
 * (the language server asks ClickHouse for every page, facet and count), and "Forget ClickHouse
 * Password…".
 */
export function registerClickHouseCommands(context: vscode.ExtensionContext, relay: ViewerRelay): vscode.Disposable {
  const passwords = new ClickHousePasswords(context.secrets);
  return vscode.Disposable.from(
    vscode.commands.registerCommand('k8sAudit.openClickHouse', async () => {
      const connection = await pickConnection('The ClickHouse connection to open');
      if (!connection) return;
      const secret = await passwords.get(connection);
      if (!secret) return;
      openClickHouseViewer(relay, passwords, connection, secret.password);
    }),
    vscode.commands.registerCommand('k8sAudit.forgetClickHousePassword', async () => {
      const connection = await pickConnection('The ClickHouse connection whose password to forget');
      if (!connection) return;
      const had = await passwords.forget(connection);
      void vscode.window.showInformationMessage(had ? `The password of "${connection.name}" is forgotten: it is asked for when the connection is opened next.` : `No password of "${connection.name}" was stored.`);
    }),
  );
}

function openClickHouseViewer(relay: ViewerRelay, passwords: ClickHousePasswords, connection: ClickHouseConnectionSetting, password: string | undefined): void {
  const table = connection.table || DEFAULT_TABLE;
  const title = `${connection.name}: ${table}`;
  const panel = vscode.window.createWebviewPanel(PANEL_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true });
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  relay.connect(panel, open(relay, passwords, connection, password, title), {
    export: async (sessionId, format) => exportViewerResult(await relay.getClient(), sessionId, format, vscode.Uri.joinPath(folder, `${table}-filtered.${format}`)),
  });
}

async function open(relay: ViewerRelay, passwords: ClickHousePasswords, connection: ClickHouseConnectionSetting, password: string | undefined, title: string): Promise<OpenedLog> {
  const params: ViewerOpenParams = {
    clickhouse: { url: connection.url, ...(connection.table ? { table: connection.table } : {}), ...(connection.cluster ? { cluster: connection.cluster } : {}), ...(connection.user ? { user: connection.user } : {}), ...(password !== undefined ? { password } : {}) },
  };
  try {
    const { sessionId, status, firstRows } = await sendViewerRequest(await relay.getClient(), 'open', params);
    relay.opened(sessionId);
    return { sessionId, message: { type: 'opened', source: 'clickhouse', fileName: title, status, firstRows } };
  } catch (error) {
    let message = `Could not open ClickHouse connection "${connection.name}": ${errorText(error)}`;
    if (error instanceof ResponseError && (error.data as ViewerOpenErrorData | undefined)?.kind === 'auth' && (await passwords.forget(connection))) {
      // A refused password is not kept: the next open asks for it again.
      message += ' The stored password was forgotten: open the connection again to enter it anew.';
    }
    return { message: { type: 'error', message } };
  }
}
