import { readFile } from 'node:fs/promises';
import { explainRequest, type ExplainRequest, type ExplainResult } from '../policy/features/explain';
import { cannotRead } from '../fileErrors';
import { choice, parseArgs, UsageError } from './args';

type Writable = { write(text: string): unknown };

const FORMATS = ['text', 'json'] as const;

/**
 * `k8s-audit explain POLICY --verb V (--resource R | --url PATH) [...]`: which rule of the policy
 * decides the audit level of one request, and what that level records. Exit 0, 1 when the policy would
 * not load, 2 on usage or I/O failure.
 */
export async function runExplain(argv: string[], out: Writable, err: Writable): Promise<number> {
  const { positionals, options } = parseArgs(
    argv,
    ['verb', 'resource', 'url', 'api-group', 'namespace', 'name', 'user', 'groups', 'format', 'kubernetes-version'],
    [],
  );
  const format = choice(options.get('format'), FORMATS, 'text', 'format');
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('explain needs exactly one POLICY file');
  const value = (name: string): string | undefined => {
    const given = options.get(name);
    return typeof given === 'string' ? given : undefined;
  };
  const verb = value('verb');
  if (!verb) throw new UsageError('explain needs --verb (get, list, watch, create, update, patch, delete, ...)');
  const resource = value('resource');
  const path = value('url');
  if ((resource === undefined) === (path === undefined)) throw new UsageError('explain needs either --resource (pods, pods/exec, ...) or --url (/healthz, ...)');
  const request: ExplainRequest = { verb };
  if (resource !== undefined) request.resource = resource;
  if (path !== undefined) request.path = path;
  const fields = { apiGroup: 'api-group', namespace: 'namespace', name: 'name', user: 'user' } as const;
  for (const [key, option] of Object.entries(fields) as [keyof typeof fields, string][]) {
    const given = value(option);
    if (given !== undefined) request[key] = given;
  }
  const groups = value('groups');
  if (groups !== undefined) request.groups = groups.split(',').map((g) => g.trim()).filter(Boolean);

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    err.write(`k8s-audit: ${cannotRead(file, error)}\n`);
    return 2;
  }
  const kubernetesVersion = value('kubernetes-version');
  const result = explainRequest(text, request, { assumePolicy: true, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
  if (!result) {
    out.write(format === 'json' ? 'null\n' : `${file}: kube-apiserver would not load this policy; run "k8s-audit lint ${file}" to see why.\n`);
    return 1;
  }
  if (format === 'json') out.write(`${JSON.stringify(withOneBasedRule(result), null, 2)}\n`);
  else out.write(`${result.summary}\n`);
  return 0;
}

/**
 * ruleIndex and ruleLine stay 0-based (index into rules[], LSP line) as scripts already read them;
 * ruleNumber and ruleLineNumber are the same position 1-based, as the summary and editors count.
 */
function withOneBasedRule(result: ExplainResult): ExplainResult & { ruleNumber?: number; ruleLineNumber?: number } {
  if (result.ruleIndex === undefined || result.ruleLine === undefined) return result;
  return { ...result, ruleNumber: result.ruleIndex + 1, ruleLineNumber: result.ruleLine + 1 };
}
