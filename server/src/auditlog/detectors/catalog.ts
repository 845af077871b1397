import { FALCO_ACTIVITY_DETECTORS, FALCO_SECURITY_DETECTORS } from './falcoCatalog';
import type { DetectorDefinition } from './types';
import { UNION_DETECTORS } from './unionCatalog';

/** Every built-in detector, the basics first, then Falco's rules, then the other rule sets' ideas. */
export const DETECTOR_CATALOG: readonly DetectorDefinition[] = [
  ...UNION_DETECTORS.slice(0, 2),
  ...FALCO_SECURITY_DETECTORS,
  ...UNION_DETECTORS.slice(2),
  ...FALCO_ACTIVITY_DETECTORS,
];

/** The five basics: 403s, secret access, RBAC changes, exec into pods, privileged pods. */
export const BASIC_DETECTOR_IDS = ['forbidden-request', 'secret-get-successfully', 'rbac-change', 'attach-exec-pod', 'create-privileged-pod'];
