import { groupsServing } from '../catalog/catalog';
import { severityName } from '../checks/diagnostic';
import { firstMatchingRule } from '../match';
import { ruleLabel } from '../yaml/model';
import { rangeOf } from '../yaml/parse';
import { analysePolicy, loadPolicy, type PolicyCheckOptions } from '../checks/policyDiagnostics';
import { levelRank, STAGES, type RequestAttributes } from '../types';
import type { ExplainRequest, ExplainResult } from '../../protocol/policyExplain';

export type { ExplainRequest, ExplainResult };

/**
 * What kube-apiserver would log for one request under this policy, decided by the first-match
 * evaluator (match.ts). Undefined when the text is not a policy, or has errors that stop the apiserver.
 */
export function explainRequest(text: string, request: ExplainRequest, options: PolicyCheckOptions = {}): ExplainResult | undefined {
  const loaded = loadPolicy('', text, options);
  if (!loaded) return undefined;
  const { model, minor, parsed } = loaded;
  if (analysePolicy(parsed, minor).some((d) => severityName(d.severity) === 'error')) return undefined;
  const attrs = requestAttributes(request, minor);
  const match = firstMatchingRule(model.policy, attrs);
  const rank = levelRank(match.level);
  const anyEvent = rank > 0 && !STAGES.every((s) => match.omitStages.includes(s));
  const requestBodyLogged = anyEvent && attrs.resourceRequest && rank >= 2;
  const responseBodyLogged = anyEvent && attrs.resourceRequest && rank >= 3;
  const result: ExplainResult = {
    level: match.level,
    omitStages: match.omitStages,
    omitManagedFields: match.omitManagedFields,
    requestBodyLogged,
    responseBodyLogged,
    summary: '',
  };
  const what = describeRequest(attrs);
  if (match.ruleIndex === undefined) {
    result.summary = `No rule matches ${what}, so it is not logged (the default level is None).`;
    return result;
  }
  const located = model.rules[match.ruleIndex]!;
  result.ruleIndex = match.ruleIndex;
  result.ruleLine = rangeOf(parsed, located.node.start, located.node.start).start.line;
  const label = ruleLabel(model, match.ruleIndex);
  if (match.level === 'None') {
    result.summary = `${capitalize(what)} is first matched by ${label}, at level None: no event is written.`;
    return result;
  }
  const bodies = responseBodyLogged ? 'request and response bodies' : requestBodyLogged ? 'the request body, no response body' : attrs.resourceRequest ? 'no bodies' : 'no bodies (never for non-resource URLs)';
  const stages = !anyEvent ? ' All four stages are omitted, so no event is written after all.' : match.omitStages.length ? ` Stages omitted: ${match.omitStages.join(', ')}.` : '';
  result.summary = `${capitalize(what)} is first matched by ${label} and logged at ${match.level}, with ${bodies}.${stages}`;
  return result;
}

function requestAttributes(request: ExplainRequest, minor: number): RequestAttributes {
  const attrs: RequestAttributes = { verb: request.verb, resourceRequest: request.path === undefined || request.resource !== undefined };
  if (request.user !== undefined || request.groups !== undefined) attrs.user = { name: request.user ?? '', groups: request.groups ?? [] };
  if (!attrs.resourceRequest) {
    attrs.path = request.path;
    return attrs;
  }
  const [resource = '', subresource = ''] = (request.resource ?? '').split('/', 2);
  attrs.resource = resource;
  attrs.subresource = subresource;
  if (request.apiGroup !== undefined) attrs.apiGroup = request.apiGroup;
  else {
    const groups = resource ? groupsServing(resource, minor) : [];
    attrs.apiGroup = groups.length === 1 ? groups[0]! : '';
  }
  attrs.namespace = request.namespace ?? '';
  attrs.name = request.name ?? '';
  return attrs;
}

function describeRequest(attrs: RequestAttributes): string {
  const who = attrs.user ? ` by ${attrs.user.name || 'a user'}${attrs.user.groups.length ? ` (groups ${attrs.user.groups.join(', ')})` : ''}` : ' without an authenticated user';
  if (!attrs.resourceRequest) return `a ${attrs.verb} of ${attrs.path}${who}`;
  const target = `${attrs.resource}${attrs.subresource ? `/${attrs.subresource}` : ''}${attrs.name ? ` "${attrs.name}"` : ''}`;
  const group = attrs.apiGroup ? ` (group ${attrs.apiGroup})` : '';
  const where = attrs.namespace ? ` in namespace ${attrs.namespace}` : '';
  return `a ${attrs.verb} of ${target}${group}${where}${who}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
