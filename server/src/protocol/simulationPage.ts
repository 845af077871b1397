// Messages between the simulation report webview and the extension host. Both sides import this file.
import type { SimulationReport } from './simulation';

export type { SimulationReport };

/** What the report is compared with: nothing, the file as saved on disk, or the file at git HEAD. */
export type CompareMode = 'none' | 'saved' | 'head';

export type FromReportMessage =
  | { type: 'ready' }
  /** Show the policy at a 0-based line (a rule, an exposure's rule). */
  | { type: 'openRule'; line: number }
  | { type: 'setCompare'; mode: CompareMode }
  | { type: 'refresh' };

export type ToReportMessage =
  | { type: 'loading'; policy: string }
  | { type: 'report'; report: SimulationReport; compare: CompareMode; compareError?: string }
  | { type: 'error'; message: string };
