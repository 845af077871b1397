import type { AnalysedSetup } from '../setupDiagnostics';
import type { ControlId, ControlResult, ControlStatus, ComplianceReport, Evidence, LogEvidence, LoggedExample } from '../../protocol/compliance';

export { CONTROL_IDS } from '../../protocol/compliance';
export type { ControlId, ControlResult, ControlStatus, ComplianceReport, Evidence, LogEvidence, LoggedExample };

export interface SetupInput {
  /** As the user named it. */
  file: string;
  analysed: AnalysedSetup;
}

export interface PolicyInput {
  file: string;
  uri: string;
  text: string;
}

export interface ComplianceInputs {
  setups: SetupInput[];
  policy?: PolicyInput;
  /** Why the policy named by --audit-policy-file could not be read, when it could not. */
  policyMissing?: string;
  log?: LogEvidence;
  cardholderNamespaces: string[];
  phiNamespaces: string[];
  kubernetesVersion?: string;
}
