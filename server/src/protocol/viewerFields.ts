// The request fields the log viewer names (its columns, its facets), each once, with the title it
// gives them: the server counts the facets of this list, the webview titles its columns and side panel
// from it. The names are the query language's field names (auditlog/query/fields.ts).
import type { QueryFieldName } from './requestFields';

export const VIEWER_FIELDS = {
  time: { title: 'Time' },
  user: { title: 'User', facet: true },
  verb: { title: 'Verb', facet: true },
  resource: { title: 'Resource', facet: true },
  namespace: { title: 'Namespace', facet: true },
  name: { title: 'Name' },
  code: { title: 'Code', facet: true },
  latency: { title: 'Latency' },
  sourceIP: { title: 'Source IP' },
  userAgent: { title: 'User agent', facet: true },
} as const satisfies Partial<Record<QueryFieldName, { title: string; facet?: true }>>;

export type ViewerFieldName = keyof typeof VIEWER_FIELDS;

/** The fields the side panel counts the top values of. */
export type FacetFieldName = { [K in ViewerFieldName]: (typeof VIEWER_FIELDS)[K] extends { facet: true } ? K : never }[ViewerFieldName];

/** The facets, in the order the side panel shows them. */
export const FACET_FIELDS: readonly FacetFieldName[] = (Object.keys(VIEWER_FIELDS) as ViewerFieldName[]).filter((name): name is FacetFieldName => 'facet' in VIEWER_FIELDS[name]);
