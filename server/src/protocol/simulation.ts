// Client <-> language server: a policy replayed over sample logs (the report), and a tuned policy.
import type { SimulationReport } from '../simulation/report';
import type { TuneReport } from '../simulation/tune/tuneReport';

export type { SimulationReport, TuneReport };

export const SimulationMethods = {
  simulate: 'k8sAudit/simulation/simulate',
  tune: 'k8sAudit/simulation/tune',
  /** The sample logs the k8sAudit.simulation.logs setting names, resolved to files. */
  sampleLogs: 'k8sAudit/simulation/sampleLogs',
} as const;

export interface SimulateParams {
  /** URI of an open policy document (its current text is simulated, unsaved edits included). */
  uri: string;
  /** Log files; default: the k8sAudit.simulation.logs setting. */
  logs?: string[];
  /** Another version of the policy to compare with ("saved file", "git HEAD"). */
  compare?: { label: string; text: string };
}

/** The report, or why there is none (no logs configured, unreadable logs, not a policy). */
export type SimulateResult = { report: SimulationReport } | { error: string };

export interface TuneParams {
  /** The policy to tune (an open document), or none to start from the starter policy. */
  uri?: string;
  logs?: string[];
}

export type TuneResult = { report: TuneReport } | { error: string };

export interface SampleLogsResult {
  files: string[];
  /** Patterns of the setting that matched no file. */
  unmatched: string[];
}
