/** What `activate()` returns: other extensions and our integration tests use it. */
export interface K8sAuditApi {
  /** Resolves once the language server has answered `initialize`; rejects if it cannot start. */
  readonly serverReady: Promise<void>;
  /** Milliseconds spent inside activate() (synchronous part) and until the server was ready. */
  readonly timings: { activateMs: number; serverReadyMs: number | undefined };
}
