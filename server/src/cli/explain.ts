import { readFile } from 'node:fs/promises';
import { explainRequest, type ExplainRequest } from '../policy/explain';
import { choice, parseArgs, UsageError } from './args';

type Writable = { write(text: string): unknown };

const FORMATS = ['text', 'json'] as const;

/**
 * `k8s-audit explain POLICY --verb V (--resource R | --url PATH) [...]`: which rule of the policy
 * decides the audit level of one request, and what that level records. Exit 0, 1 when the policy would
 * not load, 2 on usage or I/O failure.
 */
export async function runExplain(argv: string[], out: Writable): Promise<number> {
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

  const text = await readFile(file, 'utf8');
  const kubernetesVersion = value('kubernetes-version');
  const result = explainRequest(text, request, { assumePolicy: true, ...(kubernetesVersion ? { kubernetesVersion } : {}) });
  if (!result) {
    out.write(format === 'json' ? 'null\n' : `${file}: kube-apiserver would not load this policy; run "k8s-audit lint ${file}" to see why.\n`);
    return 1;
  }
  if (format === 'json') out.write(`${JSON.stringify(result, null, 2)}\n`);
  else out.write(`${result.summary}\n`);
  return 0;
}
