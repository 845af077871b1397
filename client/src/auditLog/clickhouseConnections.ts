import * as vscode from 'vscode';

/** One entry of the k8sAudit.clickhouse.connections setting. */
export interface ClickHouseConnectionSetting {
  name: string;
  url: string;
  table?: string;
  cluster?: string;
  user?: string;
}

export const DEFAULT_TABLE = 'audit_events';

/** The connections in the settings, each with a name and a URL (entries without are left out: the settings UI flags them). */
export function clickHouseConnections(): ClickHouseConnectionSetting[] {
  const entries = vscode.workspace.getConfiguration('k8sAudit').get<unknown[]>('clickhouse.connections', []);
  return (Array.isArray(entries) ? entries : []).filter(
    (entry): entry is ClickHouseConnectionSetting => typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' && typeof (entry as { url?: unknown }).url === 'string',
  );
}

/** Lets the user pick a connection; says how to add one when there is none. */
export async function pickConnection(placeHolder: string): Promise<ClickHouseConnectionSetting | undefined> {
  const connections = clickHouseConnections();
  if (connections.length === 0) {
    const open = 'Open Settings';
    const choice = await vscode.window.showInformationMessage('No ClickHouse connection is set up: add one (name, url, table) to the setting k8sAudit.clickhouse.connections.', open);
    if (choice === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'k8sAudit.clickhouse.connections');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    connections.map((connection) => ({ label: connection.name, description: `${connection.table || DEFAULT_TABLE} on ${connection.url}`, detail: connection.cluster ? `cluster ${connection.cluster}` : undefined, connection })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.connection;
}

/** The user the connection logs in as: the setting's, else the URL's, else ClickHouse's `default`. */
export function connectionUser(connection: ClickHouseConnectionSetting): string {
  if (connection.user) return connection.user;
  try {
    return decodeURIComponent(new URL(connection.url).username) || 'default';
  } catch {
    return 'default';
  }
}

/**
 * Passwords live in VS Code's secret storage, keyed by server and user (not by the connection's
 * name): a workspace that names a connection like yours but points it elsewhere never gets your password.
 */
export class ClickHousePasswords {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  private key(connection: ClickHouseConnectionSetting): string {
    let origin = connection.url;
    try {
      origin = new URL(connection.url).origin;
    } catch {
      // A URL that does not parse is keyed as written; opening it fails with its own message.
    }
    return `k8sAudit.clickhouse.password:${JSON.stringify([origin, connection.user ?? connectionUser(connection)])}`;
  }

  /**
   * The password to send: none when the URL has its own, the stored one, or one asked for now (once:
   * it is stored, an empty answer too). Undefined when the user cancels the question.
   */
  async get(connection: ClickHouseConnectionSetting): Promise<{ password: string | undefined } | undefined> {
    if (hasUrlPassword(connection.url)) return { password: undefined };
    const stored = await this.secrets.get(this.key(connection));
    if (stored !== undefined) return { password: stored };
    const entered = await vscode.window.showInputBox({
      title: `ClickHouse connection "${connection.name}"`,
      prompt: `Password of user "${connectionUser(connection)}" at ${connection.url} (empty if it has none). Kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (entered === undefined) return undefined;
    await this.secrets.store(this.key(connection), entered);
    return { password: entered };
  }

  async forget(connection: ClickHouseConnectionSetting): Promise<boolean> {
    const had = (await this.secrets.get(this.key(connection))) !== undefined;
    await this.secrets.delete(this.key(connection));
    return had;
  }
}

function hasUrlPassword(url: string): boolean {
  try {
    return new URL(url).password !== '';
  } catch {
    return false;
  }
}
