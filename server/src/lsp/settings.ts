import type { Connection } from 'vscode-languageserver';
import { resolveDetectorSettings, type DetectorSettings, type ResolvedDetectors } from '../auditlog/detectors';

/** The `k8sAudit.*` settings the server uses. */
export interface ServerSettings {
  kubernetesVersion?: string;
  /** k8sAudit.detectors.systemPrincipals / custom / disabled (untrusted user JSON; checked when resolved). */
  detectors?: DetectorSettings;
  /** k8sAudit.cluster.pathMappings: control-plane host paths -> workspace paths (for --audit-policy-file). */
  cluster?: { pathMappings?: unknown };
  /** k8sAudit.compliance.*: the namespaces PCI DSS 10.2 and HIPAA 164.312(b) are about. */
  compliance?: { cardholderNamespaces?: unknown; phiNamespaces?: unknown };
  /** k8sAudit.simulation.logs: paths or globs of sample logs for CodeLens and the report (untrusted; checked when used). */
  simulation?: { logs?: unknown };
}

/**
 * Reads settings through `workspace/configuration` when the client supports it; other editors get
 * defaults and may pass `initializationOptions` with the same shape.
 */
export class SettingsStore {
  private cached: Promise<ServerSettings> | undefined;
  private resolved: Promise<ResolvedDetectors> | undefined;
  private readonly listeners = new Set<() => void>();

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

  /**
   * The effective detectors (allowlist, custom detectors, disabled ids), resolved once per settings
   * change. Invalid entries are skipped and reported once, as a warning the user sees.
   */
  detectors(): Promise<ResolvedDetectors> {
    this.resolved ??= this.get().then((settings) => {
      const resolved = resolveDetectorSettings(settings.detectors ?? {});
      if (resolved.errors.length > 0) {
        const text = resolved.errors.map((e) => e.message).join('\n');
        this.connection.console.warn(`k8sAudit.detectors settings:\n${text}`);
        void this.connection.window.showWarningMessage(`k8sAudit.detectors: ${resolved.errors.length} problem(s), those entries are skipped. ${resolved.errors[0]!.message}${resolved.errors.length > 1 ? ' (more in the language server output)' : ''}`);
      }
      return resolved;
    });
    return this.resolved;
  }

  invalidate(): void {
    this.cached = undefined;
    this.resolved = undefined;
    for (const listener of this.listeners) listener();
  }

  /** Called after every settings change (features that cache something derived from settings). */
  onDidInvalidate(listener: () => void): void {
    this.listeners.add(listener);
  }
}

/** A list-of-strings setting (user JSON: anything else is dropped). */
export function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item !== '') : [];
}

/** A string-to-string map setting (user JSON: other entries are dropped). */
export function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
