export { BASIC_DETECTOR_IDS, DETECTOR_CATALOG } from './catalog';
export { compileDetectors, detectorQuery, detectRequest, type CompiledDetector, type DetectorFinding, type DetectorOutcome, type DetectorSelection } from './engine';
export { SEVERITIES, severityRank, type DetectorDefinition, type NeedsLevel, type Severity } from './types';
