import { MarkupKind, type Hover, type Position } from 'vscode-languageserver-types';
import { offsetOf } from '../policy/yaml/parse';
import { effectiveFlags } from './effectiveFlags';
import { auditFlag, ROTATION_MINIMUMS } from './flags';
import type { ResolvedFile } from './linked';
import type { FlagArg } from './model';
import { analyseSetup, type SetupCheckOptions } from './setupDiagnostics';
import { spanRange } from './source';

/**
 * Hover on an audit flag of a setup file: what kube-apiserver does with it (flags.ts), its default,
 * what the value written here means, and for a path flag, which workspace file it resolves to.
 */
export function setupHover(uri: string, text: string, position: Position, options: SetupCheckOptions = {}, resolved: ReadonlyMap<string, ResolvedFile> = new Map()): Hover | undefined {
  const analysed = analyseSetup(uri, text, options);
  if (!analysed) return undefined;
  const offset = offsetOf(analysed.file.source, position);
  for (const document of analysed.file.documents) {
    if (document.kind !== 'apiserver') continue;
    const flag = document.config.flags.find((f) => (offset >= f.nameSpan.start && offset <= f.nameSpan.end) || (f.valueSpan && offset >= f.valueSpan.start && offset <= f.valueSpan.end));
    const known = flag ? auditFlag(flag.name) : undefined;
    if (!flag || !known) continue;
    const inEffect = effectiveFlags(document.config).get(flag.name) === flag;
    const lines = [`**--${known.name}** (${known.type}${known.default !== undefined ? `, default \`${known.default}\`` : ''})`, '', known.doc];
    const meaning = valueMeaning(flag);
    if (meaning) lines.push('', meaning);
    if (!inEffect) lines.push('', '_Given again later: this value is ignored._');
    if ((flag.name === 'audit-policy-file' || flag.name === 'audit-webhook-config-file') && flag.value) {
      const file = resolved.get(flag.value);
      lines.push('', file ? `In the workspace: ${file.uri}` : `Not found in the workspace: map host paths to workspace folders with the \`k8sAudit.cluster.pathMappings\` setting to check this file.`);
    }
    const span = flag.valueSpan && offset >= flag.valueSpan.start ? flag.valueSpan : flag.nameSpan;
    return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: spanRange(analysed.file.source, span) };
  }
  return undefined;
}

/** What the value written here means in practice, for the flags where that is not obvious. */
function valueMeaning(flag: FlagArg): string | undefined {
  const value = flag.value;
  if (value === undefined) return undefined;
  const rotation = ROTATION_MINIMUMS.find((r) => r.flag === flag.name);
  const number = /^\d+$/.test(value) ? Number(value) : undefined;
  if (rotation && number !== undefined) {
    const verdict = number >= rotation.minimum ? `meets CIS ${rotation.cis} (${rotation.minimum} or more)` : `below CIS ${rotation.cis} (${rotation.minimum} or more)`;
    if (flag.name === 'audit-log-maxage') return number === 0 ? `Here: 0, no removal by age; ${verdict}.` : `Here: rotated files older than ${number} days are deleted; ${verdict}.`;
    if (flag.name === 'audit-log-maxbackup') return number === 0 ? `Here: 0, every rotated file is kept; ${verdict}.` : `Here: at most ${number} rotated files are kept; ${verdict}.`;
    return number === 0 ? `Here: 0, rotation at 100 MB; ${verdict}.` : `Here: rotated every ${number} MB; ${verdict}.`;
  }
  if (flag.name === 'audit-log-path' && value === '-') return 'Here: standard output (the container log), not a file.';
  return undefined;
}
