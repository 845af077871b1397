import { PRODUCT_VERSION } from '../../version';
import { cisControls } from './cisControls';
import { frameworkControls } from './frameworkControls';
import { setupFacts } from './facts';
import { CONTROL_IDS, type ComplianceInputs, type ComplianceReport, type ControlResult } from './types';

/**
 * The compliance report over one audit setup: CIS 1.2.16-1.2.19, 3.2.1, 3.2.2, SOC 2 CC6.1 and CC7.2,
 * PCI DSS 10.2 and 10.5, HIPAA 164.312(b). Pure: the CLI and the VS Code command read the files and
 * the logs, then call this.
 */
export function buildComplianceReport(inputs: ComplianceInputs): ComplianceReport {
  const facts = setupFacts(inputs);
  const byId = new Map([...cisControls(facts), ...frameworkControls(facts, inputs)].map((control) => [control.id, control]));
  const controls = CONTROL_IDS.map((id) => withEvidenceRule(byId.get(id)!));
  const summary = { pass: 0, fail: 0, partial: 0, manual: 0 };
  for (const control of controls) summary[control.status]++;
  return {
    generatedBy: `k8s-audit ${PRODUCT_VERSION}`,
    inputs: { policy: inputs.policy?.file ?? null, manifests: inputs.setups.map((s) => s.file), logs: inputs.log?.files ?? [] },
    controls,
    summary,
    ...(inputs.log ? { log: inputs.log } : {}),
  };
}

/** A status other than manual is a claim, and a claim needs evidence: without any, it is manual. */
function withEvidenceRule(control: ControlResult): ControlResult {
  if (control.status === 'manual' || control.evidence.length > 0) return control;
  return { ...control, status: 'manual', detail: `${control.detail} (No line of the files given shows it.)` };
}
