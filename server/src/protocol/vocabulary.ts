// Words of the audit domain that cross process boundaries: the server's engines, the extension and the
// webviews all use these (the engines import them from here, so protocol/ depends on nothing).

/** How bad a detector's finding is, least to most. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * How input was damaged: a gzip stream that ends early or is corrupt (the rest of the file is lost),
 * a file that is not text at all (nothing was read), or binary bytes in a line (only that line is lost).
 */
export type DamageKind = 'gzip-ends-early' | 'gzip-corrupt' | 'not-text' | 'binary-line';

/** What went wrong with ClickHouse, for a caller that reacts differently (a client asks for a password again on `auth`). */
export type ClickHouseProblemKind = 'unreachable' | 'auth' | 'missing-table' | 'not-audit-table' | 'other';

/** Audit levels, least to most recorded (audit.k8s.io/v1). */
export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type Level = (typeof LEVELS)[number];

/** Audit stages, in the API's order (the order omitStages lists them in). */
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type Stage = (typeof STAGES)[number];

/** How much a level records: its place in LEVELS; an unknown level orders like None (pkg/apis/audit/helpers.go). */
export function levelRank(level: string | undefined): number {
  const rank = LEVELS.indexOf(level as Level);
  return rank < 0 ? 0 : rank;
}

/** Stages from least to most complete: a request's primary stage is its most complete one. */
const STAGE_RANK: Record<string, number> = { RequestReceived: 1, ResponseStarted: 2, Panic: 3, ResponseComplete: 4 } satisfies Record<Stage, number>;

/** How complete a stage is (0 for an unknown one). */
export function stageRank(stage: string): number {
  // Own keys only: a stage named "constructor" must not find Object.prototype's.
  return Object.hasOwn(STAGE_RANK, stage) ? STAGE_RANK[stage]! : 0;
}

/** Bits of a stage mask: which stages of a request were logged (the log index's rows, a simulation's sample). */
export const STAGE_BITS: Readonly<Record<string, number>> = { RequestReceived: 1, ResponseStarted: 2, ResponseComplete: 4, Panic: 8 } satisfies Record<Stage, number>;
