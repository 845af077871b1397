export { DEFAULT_ALLOWLISTS, SYSTEM_PRINCIPALS, type DetectorAllowlists } from './allowlists';
export { BASIC_DETECTOR_IDS, buildDetectorCatalog, DETECTOR_CATALOG } from './catalog';
export { detectorDefinitions, type DetectorDefinitions } from './detectorDefinitions';
export { readDetectorSettingsFile, resolveDetectorSettings, type CustomDetector, type DetectorSettings, type DetectorSettingsError, type ResolvedDetectors } from './detectorSettings';
export {
  compileDetectors,
  compileWindowDetectors,
  detectorQuery,
  detectRequest,
  selectDetectors,
  selectWindowDetectors,
  unknownReason,
  type CompiledDetector,
  type CompiledWindowDetector,
  type DetectorFinding,
  type DetectorOutcome,
  type DetectorSelection,
} from './engine';
export { compareWindowCandidates, describeWindow, runWindow, SlidingWindow, windowDistinct, windowKey, type WindowCandidate } from './slidingWindow';
export { isWindowDetector, SEVERITIES, severityRank, WINDOW_FIELDS, type DetectorDefinition, type NeedsLevel, type Severity, type WindowDetectorDefinition, type WindowField, type WindowSpec } from './types';
export { WINDOW_DEFAULTS, WINDOW_DETECTOR_CATALOG, windowDetectors } from './windowCatalog';
export { WindowScanner } from './windowScan';
