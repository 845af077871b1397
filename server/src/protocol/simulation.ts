// Client <-> language server: a policy replayed over sample logs (the report), and a tuned policy
// (the requests: editorRequests.ts).

export interface SimulateParams {
  /** URI of an open policy document (its current text is simulated, unsaved edits included). */
  uri: string;
  /** Log files; default: the k8sAudit.simulation.logs setting. */
  logs?: string[];
  /** Another version of the policy to compare with ("saved file", "git HEAD"). */
  compare?: { label: string; text: string };
}

/** The report, or why there is none (no logs configured, unreadable logs, not a policy). */
export type SimulateResult = { report: SimulationReport } | { error: string };

export interface TuneParams {
  /** The policy to tune (an open document), or none to start from the starter policy. */
  uri?: string;
  logs?: string[];
}

export type TuneResult = { report: TuneReport } | { error: string };

export interface SampleLogsResult {
  files: string[];
  /** Patterns of the setting that matched no file. */
  unmatched: string[];
}

/** What a simulation says, as plain JSON (`k8s-audit simulate --format json`, the VS Code report). */
export interface SimulationReport {
  policy: string;
  logs: string[];
  window: { from: string | null; to: string | null; seconds: number };
  totals: {
    requests: number;
    /** Requests that get at least one event. */
    loggedRequests: number;
    events: number;
    bytes: number;
    /** null when the log spans no time. */
    bytesPerDay: number | null;
    byLevel: Record<string, { requests: number; events: number; bytes: number; bytesPerDay: number | null }>;
    /** Part of bytes that is estimated (bodies from similar requests, stages the log lacks). */
    estimatedBytes: number;
    /** True when some bodies' sizes are unknown: bytes then count only their metadata (a lower bound). */
    lowerBound: boolean;
  };
  rules: RuleReport[];
  unmatched: { requests: number; events: number };
  exposures: { rule: number; line: number; resource: string; verb: string; requests: number }[];
  /** Requests whose bodies in this log already hold secret values, and the rule that decides them. */
  secretValues: { rule: number | null; line: number | null; resource: string; verb: string; requests: number; stillLogged: boolean }[];
  unknown: {
    /** Requests a rule would log with bodies whose size nothing in the log tells (metadata counted only). */
    requests: number;
    estimatedBodyRequests: number;
    missingStageEvents: number;
    rules: { rule: number; line: number; requests: number }[];
    notes: string[];
  };
  compare?: CompareReport;
  /** Policy errors that would stop kube-apiserver: the numbers show what it would do if it loaded the file. */
  policyErrors: { line: number; message: string }[];
  /** How the logs were read: records skipped (with their lines) and files that could not be read. */
  read?: ReadReport;
}

export interface ReadReport {
  files: string[];
  events: number;
  requests: number;
  skippedCount: number;
  /** The first skipped records of each file (the reader keeps up to 1000 per file). */
  skipped: { file: string; line: number; reason: string }[];
  errors: { file: string; message: string }[];
}

export interface RuleReport {
  index: number;
  line: number;
  level: string;
  requests: number;
  events: number;
  bytes: number;
  bytesPerDay: number | null;
  /** Share of the bytes the policy writes. */
  share: number;
  /** Share of all requests in the sample. */
  requestShare: number;
  dead: boolean;
  unknownBodyRequests: number;
  estimatedBytes: number;
  top?: { users: Contributor[]; userAgents: Contributor[]; resources: Contributor[]; verbs: Contributor[] };
}

export interface CompareReport {
  policy: string;
  events: { from: number; to: number; change: number };
  bytesPerDay: { from: number | null; to: number | null; change: number | null };
  rules: { index: number; line: number; otherIndex: number | null; otherLine: number | null; edited: boolean; events: number; bytesPerDay: number | null }[];
  removed: { otherIndex: number; otherLine: number; requests: number; events: number; bytesPerDay: number | null }[];
  levelChanges: { verb: string; apiGroup: string; resource: string; from: string; to: string; requests: number; bytesPerDay: number | null }[];
}

/** What `k8s-audit tune --format json` prints; `policy` is the YAML of `--format yaml`. */
export interface TuneReport {
  policy: string;
  logs: string[];
  window: { from: string | null; to: string | null; seconds: number };
  estimate: {
    bytesPerDay: number | null;
    eventsPerDay: number | null;
    /** A Metadata catch-all over the same requests. */
    catchAllBytesPerDay: number | null;
    /** 1 - proposal / catch-all. */
    cutFromCatchAll: number;
    /** The given policy's estimate and the cut from it (--policy). */
    baseBytesPerDay?: number | null;
    cutFromBase?: number;
    /** Requests logged with bodies whose size the log does not tell (only their metadata is counted). */
    unknownBodyRequests: number;
  };
  rules: { index: number; level: string; why: string | null; requests: number; bytesPerDay: number | null; share: number }[];
  candidates: { id: string; title: string; accepted: boolean; savedBytesPerDay: number | null; reason: string }[];
  checks: { lintErrors: string[]; sensitiveDataWarnings: string[]; cisGaps: string[]; detectorGaps: number; sensitiveExemptions: number; budgetMet: boolean | null };
}

/** Who or what makes a rule's requests: a user, user agent, resource or verb. */
export interface Contributor {
  value: string;
  requests: number;
  bytes: number;
}
