/** One audit event reduced to the fields the table shows. Values are untrusted text from the log. */
export interface AuditRow {
  /** 1-based line number in the file, for "open raw line" and error reports. */
  line: number;
  /** Byte offset of the line in the file, to re-read the whole event on demand. */
  offset: number;
  auditID: string;
  stage: string;
  time: string;
  user: string;
  verb: string;
  resource: string;
  namespace: string;
  name: string;
  code: number | null;
  sourceIP: string;
  userAgent: string;
}

/** A line that could not be read as an audit event, and why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Reduces a decoded audit.k8s.io Event to a row. Tolerates any shape (`{"kind": 0}` included):
 * missing or mistyped fields become empty strings, never exceptions.
 */
export function rowFromEvent(event: unknown, line: number, offset: number): AuditRow {
  const e = record(event);
  const objectRef = record(e.objectRef);
  const user = record(e.user);
  const status = record(e.responseStatus);
  const resource = text(objectRef.resource);
  const subresource = text(objectRef.subresource);
  const sourceIPs = Array.isArray(e.sourceIPs) ? e.sourceIPs : [];
  return {
    line,
    offset,
    auditID: text(e.auditID),
    stage: text(e.stage),
    time: text(e.stageTimestamp) || text(e.requestReceivedTimestamp),
    user: text(user.username),
    verb: text(e.verb),
    resource: resource ? (subresource ? `${resource}/${subresource}` : resource) : text(e.requestURI),
    namespace: text(objectRef.namespace),
    name: text(objectRef.name),
    code: typeof status.code === 'number' ? status.code : null,
    sourceIP: text(sourceIPs[sourceIPs.length - 1]),
    userAgent: text(e.userAgent),
  };
}
