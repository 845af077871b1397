import { buildComplianceReport } from '../cluster/compliance/report';
import { gatherComplianceInputs } from '../cluster/compliance/gather';
import { reportHtml } from '../cluster/compliance/render/html';
import { reportMarkdown } from '../cluster/compliance/render/markdown';
import { reportSarif } from '../cluster/compliance/render/sarif';
import type { PathMappings } from '../cluster/pathMapping';
import { choice, UsageError } from './args';
import { parseListArgs } from './listArgs';

type Writable = { write(text: string): unknown };

const FORMATS = ['markdown', 'html', 'json', 'sarif'] as const;
const FAIL_ON = ['fail', 'partial', 'never'] as const;

/** `k8s-audit report`: builds the compliance report from the files given and prints it. */
export async function runReport(argv: string[], out: Writable, err: Writable): Promise<number> {
  const { values, lists } = parseListArgs(argv, ['policy', 'format', 'cardholder-namespaces', 'phi-namespaces', 'kubernetes-version', 'fail-on'], ['manifest', 'log', 'path-mapping']);
  const format = choice(values.get('format'), FORMATS, 'markdown', 'format');
  const failOn = choice(values.get('fail-on'), FAIL_ON, 'fail', 'fail-on');
  const kubernetesVersion = values.get('kubernetes-version');
  if (kubernetesVersion !== undefined && !/^1\.\d+$/.test(kubernetesVersion)) throw new UsageError('--kubernetes-version must look like 1.33');
  const manifests = lists.get('manifest')!;
  const logs = lists.get('log')!;
  const policy = values.get('policy');
  if (manifests.length === 0 && logs.length === 0 && policy === undefined) throw new UsageError('report needs at least one of --policy, --manifest or --log');

  const { inputs, problems } = await gatherComplianceInputs({
    ...(policy !== undefined ? { policy } : {}),
    manifests,
    logs,
    cardholderNamespaces: namespaceList(values.get('cardholder-namespaces')),
    phiNamespaces: namespaceList(values.get('phi-namespaces')),
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    folders: [process.cwd()],
    mappings: pathMappings(lists.get('path-mapping')!),
  });
  for (const problem of problems) err.write(`k8s-audit: ${problem.message}\n`);
  const report = buildComplianceReport(inputs);
  if (format === 'json') out.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'sarif') out.write(`${JSON.stringify(reportSarif(report, problems), null, 2)}\n`);
  else if (format === 'html') out.write(reportHtml(report));
  else out.write(reportMarkdown(report));

  if (problems.length > 0) return 2;
  const failing = failOn === 'never' ? false : report.controls.some((c) => c.status === 'fail' || (failOn === 'partial' && c.status === 'partial'));
  return failing ? 1 : 0;
}

function namespaceList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

function pathMappings(entries: string[]): PathMappings {
  const mappings: PathMappings = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0 || equals === entry.length - 1) throw new UsageError(`--path-mapping must look like /etc/kubernetes=./control-plane (got ${JSON.stringify(entry)})`);
    mappings[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return mappings;
}
