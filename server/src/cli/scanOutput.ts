// How `k8s-audit scan` prints its report for people (text) and for code scanning (SARIF). JSON is the
// report itself.
import { severityRank, type DetectorDefinition, type Severity } from '../auditlog/detectors';
import type { LogSetResult } from '../auditlog/readLogSet';
import { cannotRead } from '../fileErrors';
import type { Detection, ScanReport } from './scan';
import { printable } from './printable';
import { LazyList } from '../lazyList';
import { physicalLocation, sarifLog, type RunProblem } from '../sarif';

/** Findings of one detector for one user listed before "… and N more". */
const SHOWN_PER_GROUP = 3;

/**
 * One line per finding; with `grouped`, findings of one detector for one user (a person's every
 * request to "Disallowed K8s User") are listed together, the first few then a count, most severe
 * groups first. The summary line counts every finding either way.
 */
export function scanText(report: ScanReport, options: { grouped: boolean }): string {
  const lines: string[] = [];
  const detections = report.detections.objects();
  if (options.grouped) {
    for (const group of groupFindings(detections)) {
      lines.push(...group.slice(0, SHOWN_PER_GROUP).map(findingLine));
      const rest = group.length - SHOWN_PER_GROUP;
      if (rest > 0) {
        const last = group[group.length - 1]!;
        lines.push(`  … and ${rest} more [${last.detector}] by ${last.user || '(no user)'}, the last at ${last.file}:${last.line}`);
      }
    }
  } else {
    lines.push(...detections.map(findingLine));
  }
  for (const s of report.skipped) lines.push(`${s.file}:${s.line}: skipped: ${s.reason}`);
  if (report.skippedCount > report.skipped.length) lines.push(`… and ${report.skippedCount - report.skipped.length} more skipped record(s)`);
  const unknownByReason = new Map<string, string[]>();
  for (const [id, u] of Object.entries(report.unknown)) unknownByReason.set(u.reason, [...(unknownByReason.get(u.reason) ?? []), `${id} ${u.count}`]);
  for (const [reason, entries] of unknownByReason) lines.push(`unknown, ${reason}: ${entries.join(', ')}`);
  if (report.hiddenBelowMinSeverity > 0) {
    lines.push(`${report.hiddenBelowMinSeverity} ${belowLabel(report.minSeverity)} finding(s) hidden by --min-severity ${report.minSeverity}; --min-severity info lists them`);
  }
  const counts = Object.entries(report.summary)
    .sort((a, b) => b[1] - a[1])
    .map(([id, n]) => `${id} ${n}`)
    .join(', ');
  lines.push(
    `${report.files.length} file(s) (${report.format}): ${report.events} event(s), ${report.requests} request(s), ${report.skippedCount} skipped; ` +
      `${report.detections.length} detection(s)${counts ? `: ${counts}` : ''}`,
  );
  return `${lines.map(printable).join('\n')}\n`;
}

/** "info", or "info and low" when --min-severity medium hides both. */
function belowLabel(minSeverity: Severity): string {
  const below = (['info', 'low', 'medium', 'high'] as const).filter((s) => severityRank(s) < severityRank(minSeverity));
  return below.length <= 1 ? below.join('') : `${below.slice(0, -1).join(', ')} and ${below.at(-1)}`;
}

function findingLine(d: Detection): string {
  const target = [d.namespace, d.name].filter((s) => s !== '').join('/');
  const what = `${d.user || '(no user)'} ${d.verb} ${d.resource}${target ? ` ${target}` : ''}${d.owner ? ` for ${d.owner}` : ''}${d.command ? ` command: ${d.command}` : ''}`;
  const rule = d.policyRule === undefined ? '' : d.policyRule === null ? '; the policy does not log it' : `; logged by rule ${d.policyRule.index + 1} (line ${d.policyRule.line + 1}) of the policy at ${d.policyRule.level}`;
  return `${d.file}:${d.line}: ${d.severity} ${d.title} [${d.detector}] ${what}${rule}`;
}

/** Findings per (detector, user), each group in file order; groups by severity, then by first finding. */
function groupFindings(detections: readonly Detection[]): Detection[][] {
  const groups = new Map<string, Detection[]>();
  for (const d of detections) {
    const key = `${d.detector}\u0000${d.user}`;
    const group = groups.get(key);
    if (group) group.push(d);
    else groups.set(key, [d]);
  }
  // Map order is the order of each group's first finding (detections come in file order); sort is stable.
  return [...groups.values()].sort((a, b) => severityRank(b[0]!.severity) - severityRank(a[0]!.severity));
}

const SARIF_LEVEL: Record<Severity, string> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

function sarifResult(d: Detection) {
  return {
    ruleId: d.detector,
    level: SARIF_LEVEL[d.severity],
    message: { text: `${d.title}: ${d.user || '(no user)'} ${d.verb} ${d.resource} ${[d.namespace, d.name].filter(Boolean).join('/')}${d.owner ? ` for ${d.owner}` : ''}`.trim() },
    locations: [physicalLocation(d.file, { startLine: d.line })],
    partialFingerprints: { auditID: d.auditID },
  };
}

export function scanSarif(report: ScanReport, definitions: ReadonlyMap<string, DetectorDefinition>, result: LogSetResult) {
  const detections = report.detections.objects();
  const ruleIds = [...new Set(detections.map((d) => d.detector))].sort();
  const problems: RunProblem[] = [
    ...result.errors.map((e) => ({ level: 'error' as const, message: cannotRead(e.file, e.message), file: e.file })),
    ...result.summaries.flatMap((summary) => summary.skipped.filter((skip) => skip.damage).map((skip) => ({ level: 'warning' as const, message: skip.reason, file: summary.path, line: skip.line }))),
  ];
  return sarifLog({
    rules: ruleIds.map((id) => {
      const d = definitions.get(id)!;
      return { id, name: d.title, shortDescription: { text: d.title }, fullDescription: { text: d.description }, help: { text: d.remediation }, properties: { severity: d.severity, references: d.references } };
    }),
    // Made as they are written: a scan of a few GB has hundreds of thousands.
    results: new LazyList(detections.length, (i) => sarifResult(detections[i]!)),
    problems,
    executionSuccessful: result.errors.length === 0,
  });
}
