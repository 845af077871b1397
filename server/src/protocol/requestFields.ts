/**
 * The fields of one API request as the engines read them from its events, declared once: the event
 * (auditlog NormalizedEvent), the log index's row (IndexRow) and the viewer's row (ViewerRow) take theirs
 * from here, and the index's string columns are checked against it. Strings are '' and numbers null
 * when the record lacks them, so consumers never branch on undefined. The time is not here: each
 * holds it its own way (epoch ms or NaN, epoch ms or null, ISO text).
 */
export interface RequestFields {
  auditID: string;
  stage: string;
  level: string;
  user: string;
  groups: readonly string[];
  impersonatedUser: string;
  verb: string;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  /** objectRef.name, or the created object's name when a create used generateName. */
  name: string;
  requestURI: string;
  code: number | null;
  /** The first of sourceIPs: the client as the apiserver saw it before any proxy hop. */
  sourceIP: string;
  userAgent: string;
  /** stageTimestamp - requestReceivedTimestamp, milliseconds; null when either is missing. */
  latencyMs: number | null;
}

export type RequestFieldName = keyof RequestFields;

/**
 * The fields the query language names (auditlog/query/fields.ts defines each): the request's own
 * (latency for latencyMs), its time, and values read from its annotations and URI.
 */
export type QueryFieldName = Exclude<RequestFieldName, 'latencyMs'> | 'latency' | 'time' | 'decision' | 'reason' | 'command';
