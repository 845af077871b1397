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
