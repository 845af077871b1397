import { physicalLocation, sarifLog } from '../../../sarif';
import type { ComplianceReport } from '../types';

/**
 * The report as SARIF 2.1.0: one rule per control, one result per control that does not pass (fail:
 * error, partial: warning, manual: note), located at its evidence.
 */
export function reportSarif(report: ComplianceReport, problems: readonly { file: string; message: string }[] = []) {
  const level = { fail: 'error', partial: 'warning', manual: 'note' } as const;
  return sarifLog({
    rules: report.controls.map((c) => ({ id: c.id, name: c.title, shortDescription: { text: c.title }, help: { text: c.remediation } })),
    results: report.controls
      .filter((c) => c.status !== 'pass')
      .map((c) => ({
        ruleId: c.id,
        level: level[c.status as 'fail' | 'partial' | 'manual'],
        message: { text: `${c.status}: ${c.detail}` },
        locations: c.evidence.map((e) => physicalLocation(e.file, { startLine: e.line })),
        properties: { status: c.status },
      })),
    // Files that could not be read or are not audit-setup files: the run is incomplete, and says so.
    problems: problems.map((p) => ({ level: 'error' as const, message: p.message, file: p.file })),
    executionSuccessful: problems.length === 0,
  });
}
