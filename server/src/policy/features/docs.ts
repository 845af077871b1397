/**
 * The one place for the texts that explain policy keys and values, shared by hover and completion.
 * Markdown, in our own words, stating what kube-apiserver really does (shared/spec/audit-policy.md).
 */

export type DocObject = 'policy' | 'rule' | 'groupResources';

export const KEY_DOCS: Record<DocObject, Record<string, string>> = {
  policy: {
    apiVersion: 'The policy file format. kube-apiserver loads only `audit.k8s.io/v1`; `v1beta1` and `v1alpha1` were deprecated in 1.21 and stop the apiserver from starting since 1.24. Required.',
    kind: 'Always `Policy`. When missing, kube-apiserver infers it from `apiVersion`, but a wrong kind (`AuditPolicy`) is a fatal error.',
    metadata: 'Accepted for interoperability and ignored: nothing in it changes what is logged.',
    rules:
      'The ordered list of rules. For each request, **the first rule that matches decides** the level; later rules are never consulted. A request that matches no rule is **not logged** (the default level is `None`, not `Metadata`): end the list with a catch-all such as `- level: Metadata`. A policy with no rules stops kube-apiserver.',
    omitStages:
      'Stages for which no event is written, for every request. It is **unioned** with each rule\'s own `omitStages` (a rule cannot bring a stage back). Most policies omit `RequestReceived` only. Omitting all four stages writes nothing.',
    omitManagedFields:
      'Default for every rule (`false` when unset): drop `metadata.managedFields` from logged request and response bodies. A rule\'s own `omitManagedFields` overrides it. Only matters at `Request` and `RequestResponse`. Since 1.23.',
  },
  rule: {
    level:
      'How much is logged for the requests this rule matches: `None`, `Metadata`, `Request` or `RequestResponse` (case-sensitive). **Required.** The first matching rule decides, so order rules from specific to general.',
    users:
      'Authenticated user names this rule applies to, compared **exactly** (no wildcards: `"*"` is a literal name). Empty or absent: every user. The original user is matched, never the impersonated one. Requests that failed authentication have no user and never match a rule with `users`.',
    userGroups:
      'Groups: the rule applies when the user belongs to **any** of them. Exact names, no wildcards. Empty or absent: every group. With `users` as well, both must match.',
    verbs:
      'Request verbs, compared exactly (lower case, no wildcards). Resource requests: get, list, watch, create, update, patch, delete, deletecollection, proxy. Non-resource requests: the lower-case HTTP method (get, post, put, patch, delete, head, options). RBAC-only verbs (impersonate, bind, escalate, use, approve, sign) never occur. Empty or absent: every verb.',
    resources:
      'API groups and resources this rule applies to; a request matches when **any** entry matches. Setting it makes this a resource rule: it never matches non-resource URLs. Empty or absent: every resource of every group.',
    namespaces:
      'Namespaces, compared exactly. `""` matches cluster-scoped requests **and** cluster-wide list/watch/create of namespaced resources. Setting it makes this a resource rule (never matches URLs such as /healthz). Empty or absent: every namespace.',
    nonResourceURLs:
      'URL paths of non-resource requests (`/healthz`, `/metrics`, `/version`, ...). Exact, except `"*"` (every path) and a trailing `*`, which is a plain string prefix (`/healthz*` also matches `/healthzfoo`). Must start with `/`. Cannot be combined with `resources` or `namespaces`. Bodies are never logged for these requests.',
    omitStages:
      'Stages for which this rule writes no event. **Unioned** with the policy\'s `omitStages`: the effective list is both.',
    omitManagedFields:
      'Drop `metadata.managedFields` from the bodies this rule logs. When set it **overrides** the policy\'s value; when unset the policy\'s applies. No effect at `None` or `Metadata` (no bodies). Since 1.23.',
  },
  groupResources: {
    group:
      'The API group, without version: `""` (or absent) is the core group (pods, secrets, configmaps...), `apps` holds deployments, `rbac.authorization.k8s.io` roles... `"*"` is every group since Kubernetes 1.36 (older releases refuse it). The API version is never considered.',
    resources:
      'Resources of the group, lower-case plural: `pods` (not its subresources), `pods/log` (one subresource), `pods/*` (pods and all its subresources), `*/status` (that subresource of any resource), `*` (everything in the group). Empty or absent: every resource and subresource of the group.',
    resourceNames:
      'Object names, compared exactly. Requires `resources`. create, list, watch and deletecollection requests carry no name, so they never match an entry with resourceNames.',
  },
};

export const LEVEL_DOCS: Record<string, string> = {
  None: '**None**: no event at all is written for matching requests. Also what happens to a request that matches no rule.',
  Metadata: '**Metadata**: user, source IPs, user agent, verb, resource, namespace, name, timestamps and response status; **no request or response body**. The safe level for secrets, configmaps and tokens, and the usual catch-all.',
  Request: '**Request**: Metadata plus the **request body** (for a patch, the patch itself). No response body. No bodies for non-resource URLs.',
  RequestResponse:
    '**RequestResponse**: Metadata plus the **request and the response bodies**. The most verbose level: response bodies of list/watch can be huge, and secrets or tokens end up in the log. No bodies for non-resource URLs.',
};

export const STAGE_DOCS: Record<string, string> = {
  RequestReceived: '**RequestReceived**: written as soon as the request arrives, before it is handled. Usually omitted: the ResponseComplete event repeats everything it says.',
  ResponseStarted: '**ResponseStarted**: written when the response headers are sent, only for long-running requests (watch, proxy, exec, attach, log, portforward).',
  ResponseComplete: '**ResponseComplete**: written when the response is finished; the only event with the final status of ordinary requests. Do not omit it.',
  Panic: '**Panic**: written when the handler panicked.',
};

export const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'proxy'] as const;
export const NON_RESOURCE_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
export const NEVER_VERBS = ['impersonate', 'bind', 'escalate', 'use', 'approve', 'sign', 'attest'];

export const VERB_DOCS: Record<string, string> = {
  get: 'Read one object (GET or HEAD on a named object; also exec/port-forward over websockets), or GET of a non-resource URL.',
  list: 'Read a collection (GET without a name). Responses can be large: avoid RequestResponse for lists.',
  watch: 'Stream changes (`?watch=true`). Long-running: it also has a ResponseStarted stage.',
  create: 'Create an object (POST), including subresources such as pods/exec, pods/eviction, serviceaccounts/token. Carries no object name.',
  update: 'Replace an object (PUT).',
  patch: 'Patch an object (PATCH); the logged request body is the patch.',
  delete: 'Delete one object (DELETE with a name).',
  deletecollection: 'Delete a whole collection (DELETE without a name).',
  proxy: 'Legacy `/proxy/` path prefix requests.',
  post: 'Non-resource request with HTTP POST.',
  put: 'Non-resource request with HTTP PUT.',
  head: 'Non-resource request with HTTP HEAD.',
  options: 'Non-resource request with HTTP OPTIONS.',
};

export const WELL_KNOWN_USERS: Record<string, string> = {
  'system:kube-proxy': 'kube-proxy (watches services and endpoints: very noisy, often logged at None).',
  'system:kube-controller-manager': 'kube-controller-manager.',
  'system:kube-scheduler': 'kube-scheduler.',
  'system:apiserver': 'kube-apiserver itself (loopback client).',
  'system:anonymous': 'Unauthenticated requests when anonymous auth is enabled.',
  'system:volume-scheduler': 'The volume scheduling component.',
  'system:serviceaccount:kube-system:generic-garbage-collector': 'The garbage collector controller.',
  'system:serviceaccount:kube-system:namespace-controller': 'The namespace controller.',
  'system:serviceaccount:kube-system:endpoint-controller': 'The endpoint controller.',
  'kubelet': 'A kubelet authenticating as plain "kubelet" (some distributions).',
};

export const WELL_KNOWN_GROUPS: Record<string, string> = {
  'system:nodes': 'Every kubelet (users system:node:<name>).',
  'system:serviceaccounts': 'Every service account of every namespace.',
  'system:serviceaccounts:kube-system': 'Service accounts of kube-system (controllers).',
  'system:authenticated': 'Every authenticated user.',
  'system:unauthenticated': 'Anonymous requests.',
  'system:masters': 'Cluster administrators (bypass authorization).',
  'system:monitoring': 'Monitoring clients (/metrics, /healthz...).',
  'system:bootstrappers': 'Bootstrap tokens.',
};

export const NON_RESOURCE_URLS: Record<string, string> = {
  '/healthz*': 'Health checks (/healthz, /healthz/etcd, ...). Very frequent.',
  '/livez*': 'Liveness checks. Very frequent.',
  '/readyz*': 'Readiness checks. Very frequent.',
  '/version': 'Server version.',
  '/metrics': 'Prometheus metrics scraping.',
  '/openapi/*': 'OpenAPI v2 and v3 documents.',
  '/api*': 'Discovery: /api, /api/v1 (and, as a prefix, also /apis...).',
  '/apis*': 'Discovery of API groups: /apis, /apis/apps/v1...',
  '/logs*': 'Node log files through the apiserver.',
  '/swagger*': 'Legacy swagger documents.',
  '/.well-known/openid-configuration': 'Service account issuer discovery.',
  '/openid/v1/jwks': 'Service account issuer keys.',
  '/debug/*': 'Debug handlers (pprof, flags).',
  '*': 'Every non-resource URL.',
};

export function levelDoc(level: string): string | undefined {
  return LEVEL_DOCS[level];
}

/** Markdown for a nonResourceURLs value. */
export function urlDoc(url: string): string {
  const known = NON_RESOURCE_URLS[url];
  if (url === '*') return `\`*\`: every non-resource URL.`;
  const base = url.endsWith('*')
    ? `\`${url}\`: every path that starts with \`${url.replace(/\*+$/, '')}\` (a plain string prefix, not a glob).`
    : `\`${url}\`: exactly this path (the query string is not part of it).`;
  return known ? `${base}\n\n${known}` : base;
}
