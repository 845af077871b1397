import { DEFAULT_ALLOWLISTS, type DetectorAllowlists } from './allowlists';
import { FALCO_ACTIVITY_DETECTORS, falcoSecurityDetectors } from './falcoCatalog';
import type { DetectorDefinition } from './types';
import { unionDetectors } from './unionCatalog';

/** Every built-in single-request detector, its conditions built from `allowlists` (the basics first, then Falco's rules, then the other rule sets' ideas). */
export function buildDetectorCatalog(allowlists: DetectorAllowlists = DEFAULT_ALLOWLISTS): DetectorDefinition[] {
  const union = unionDetectors(allowlists);
  return [...union.slice(0, 2), ...falcoSecurityDetectors(allowlists), ...union.slice(2), ...FALCO_ACTIVITY_DETECTORS];
}

/** Every built-in single-request detector with the default allowlists. Window detectors: WINDOW_DETECTOR_CATALOG. */
export const DETECTOR_CATALOG: readonly DetectorDefinition[] = buildDetectorCatalog();

/** The five basics: 403s, secret access, RBAC changes, exec into pods, privileged pods. */
export const BASIC_DETECTOR_IDS = ['forbidden-request', 'secret-get-successfully', 'rbac-change', 'attach-exec-pod', 'create-privileged-pod'];
