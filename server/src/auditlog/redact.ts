/**
 * Secret values an audit event may carry at Request/RequestResponse level: Secret data (also inside
 * kubectl's last-applied annotation), tokens of TokenRequests and TokenReviews, and credential-named
 * fields anywhere. The viewer shows events redacted until the user asks to reveal them.
 */
export interface Redaction {
  /** JSON path of the redacted value, e.g. requestObject.data.password */
  path: string;
}

export interface RedactedEvent {
  value: unknown;
  redactions: Redaction[];
}

const CREDENTIAL_KEY = /^(token|password|passwd|secret|apiKey|api_key|bearerToken|accessToken|refreshToken|idToken|clientSecret|client-key-data|privateKey)$/i;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function redactionMarker(value: unknown): string {
  const length = typeof value === 'string' ? value.length : JSON.stringify(value)?.length ?? 0;
  return `‹redacted ${length} chars›`;
}

/** A deep copy of `event` with every secret value replaced by a marker, and where they were. */
export function redactEvent(event: unknown): RedactedEvent {
  const redactions: Redaction[] = [];
  const value = redactValue(event, '', redactions, 0);
  return { value, redactions };
}

/** Nesting beyond any real event; deeper content is kept as is rather than recursed into. */
const MAX_DEPTH = 100;

function redactValue(value: unknown, path: string, redactions: Redaction[], depth: number): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item, index) => redactValue(item, `${path}[${index}]`, redactions, depth + 1));
  const object = value as Record<string, unknown>;
  const kind = object.kind;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(object)) {
    const childPath = path ? `${path}.${key}` : key;
    if (shouldRedact(kind, key, child)) {
      result[key] = redactWhole(child, childPath, redactions);
    } else {
      result[key] = redactValue(child, childPath, redactions, depth + 1);
    }
  }
  if (kind === 'Secret') redactLastApplied(result, path, redactions);
  return result;
}

function shouldRedact(kind: unknown, key: string, value: unknown): boolean {
  if (kind === 'Secret' && (key === 'data' || key === 'stringData')) return true;
  if ((kind === 'TokenRequest' || kind === 'TokenReview') && key === 'token') return true;
  return CREDENTIAL_KEY.test(key) && typeof value === 'string' && value !== '';
}

/** Secret maps keep their keys (which say what is stored) but lose every value. */
function redactWhole(value: unknown, path: string, redactions: Redaction[]): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      result[key] = redactionMarker(child);
      redactions.push({ path: `${path}.${key}` });
    }
    return result;
  }
  redactions.push({ path });
  return redactionMarker(value);
}

function redactLastApplied(secret: Record<string, unknown>, path: string, redactions: Redaction[]): void {
  const metadata = secret.metadata;
  if (metadata === null || typeof metadata !== 'object') return;
  const annotations = (metadata as Record<string, unknown>).annotations;
  if (annotations === null || typeof annotations !== 'object') return;
  const record = annotations as Record<string, unknown>;
  if (typeof record[LAST_APPLIED] !== 'string') return;
  record[LAST_APPLIED] = redactionMarker(record[LAST_APPLIED]);
  redactions.push({ path: `${path ? `${path}.` : ''}metadata.annotations["${LAST_APPLIED}"]` });
}
