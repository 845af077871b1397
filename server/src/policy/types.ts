/**
 * The audit Policy as kube-apiserver decodes it (audit.k8s.io/v1 types, spec §1), and the request
 * attributes its checker matches against (spec §4). Plain data: the evaluator, the linter and any
 * simulation over a log share these shapes.
 */

import { levelRank, LEVELS, STAGES, type Level, type Stage } from '../protocol/vocabulary';

export { levelRank, LEVELS, STAGES, type Level, type Stage };

export interface GroupResources {
  /** "" (or absent) is the core group; "*" is every group (1.36+). */
  group?: string;
  resources?: string[];
  resourceNames?: string[];
}

export interface PolicyRule {
  /** Kept as a string: an invalid level is a validation error, and counts as None when ranking. */
  level: string;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: GroupResources[];
  namespaces?: string[];
  nonResourceURLs?: string[];
  omitStages?: string[];
  omitManagedFields?: boolean;
}

export interface Policy {
  rules: PolicyRule[];
  omitStages?: string[];
  omitManagedFields?: boolean;
}

/** The authenticated (original, not impersonated) user. */
export interface RequestUser {
  name: string;
  groups: string[];
}

/** What the audit checker sees of one request (authorizer attributes). */
export interface RequestAttributes {
  /** Absent for requests that failed authentication: they match no users/userGroups rule. */
  user?: RequestUser;
  /** Kubernetes verb (get, list, watch, create, ...) or, for non-resource requests, the lower-case HTTP method. */
  verb: string;
  resourceRequest: boolean;
  /** Resource requests only. "" is the core group. */
  apiGroup?: string;
  resource?: string;
  subresource?: string;
  /** "" for cluster-scoped objects and for cluster-wide list/watch/create of namespaced resources. */
  namespace?: string;
  /** "" for create, list, watch and deletecollection. */
  name?: string;
  /** Non-resource requests only: the URL path without the query. */
  path?: string;
}

