import type { Connection } from 'vscode-languageserver';

/** The `k8sAudit.*` settings the server uses. */
export interface ServerSettings {
  kubernetesVersion?: string;
}

/**
 * Reads settings through `workspace/configuration` when the client supports it; other editors get
 * defaults and may pass `initializationOptions` with the same shape.
 */
export class SettingsStore {
  private cached: Promise<ServerSettings> | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: boolean,
    private readonly initial: ServerSettings,
  ) {}

  get(): Promise<ServerSettings> {
    if (!this.canPull) return Promise.resolve(this.initial);
    this.cached ??= this.connection.workspace
      .getConfiguration('k8sAudit')
      .then((value: ServerSettings | null) => ({ ...this.initial, ...(value ?? {}) }))
      .catch(() => this.initial);
    return this.cached;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
