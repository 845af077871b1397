// Small helpers to write detector conditions from allowlists without quoting mistakes.

/** `("a" "b*")`: a value list for `field:(…)`; quotes keep `*` a wildcard and make `)` or spaces safe. */
export function anyOf(values: readonly string[]): string {
  return `(${values.map((value) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(' ')})`;
}

/** `-user:(…)`: none of these users; empty when the list is (a site may empty an allowlist). */
export function notAnyUser(patterns: readonly string[]): string {
  return patterns.length === 0 ? '' : `-user:${anyOf(patterns)}`;
}

export const WRITE_VERBS = 'verb:(create update patch)';
export const MODIFY_VERBS = 'verb:(create update patch delete deletecollection)';
export const SUCCESS = 'code:2*';
/** Pods and every controller whose template becomes a pod. */
export const WORKLOAD_RESOURCES = 'resource:(pods deployments daemonsets statefulsets replicasets replicationcontrollers jobs cronjobs)';
/** Writes of a pod spec: the object itself or its ephemeral containers (`kubectl debug`). */
export const POD_SPEC_WRITE = `${WRITE_VERBS} ${WORKLOAD_RESOURCES} (-subresource:* OR subresource:ephemeralcontainers)`;
export const POD_CREATE = 'verb:create resource:pods -subresource:*';
