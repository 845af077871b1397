import { sarifLocation, sarifLog } from '../../../sarif';
import type { ComplianceReport } from '../types';

/**
 * The report as SARIF 2.1.0: one rule per control, one result per control that does not pass (fail:
 * error, partial: warning, manual: note), located at its evidence.
 */
export function reportSarif(report: ComplianceReport) {
  const level = { fail: 'error', partial: 'warning', manual: 'note' } as const;
  return sarifLog(
    report.controls.map((c) => ({ id: c.id, name: c.title, shortDescription: { text: c.title }, help: { text: c.remediation } })),
    report.controls
      .filter((c) => c.status !== 'pass')
      .map((c) => ({
        ruleId: c.id,
        level: level[c.status as 'fail' | 'partial' | 'manual'],
        message: { text: `${c.status}: ${c.detail}` },
        locations: c.evidence.map((e) => sarifLocation(e.file, { startLine: e.line })),
        properties: { status: c.status },
      })),
  );
}
