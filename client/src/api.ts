import type * as vscode from 'vscode';
import type { ViewerStatus } from '../../server/src/protocol/logViewer';

/** What `activate()` returns: other extensions and our integration tests use it. */
export interface K8sAuditApi {
  /** Resolves once the language server has answered `initialize`; rejects if it cannot start. */
  readonly serverReady: Promise<void>;
  /** Milliseconds spent inside activate() (synchronous part) and until the server was ready. */
  readonly timings: { activateMs: number; serverReadyMs: number | undefined };
  /** What the log viewers open in this window read from their files. */
  readonly logViewers: LogViewersApi;
}

export interface LogViewersApi {
  /** The latest status (requests, formats, indexing) of the viewer showing `uri`, once it has read the file. */
  status(uri: vscode.Uri): ViewerStatus | undefined;
  /** Fires with the file whenever a viewer's status changes (opened, indexing progressed, the file grew). */
  readonly onDidChangeStatus: vscode.Event<vscode.Uri>;
}
