// Columnar index of audit logs: one row per request, built in one streaming pass (on worker
// threads for large plain files), queryable while it is built. See README of this folder.
export { buildLogIndex, type BuildOptions, type BuildProgress, type BuildReport, type IndexBuild } from './buildLogIndex';
export { facet, type Facet, type FacetField, type FacetValue } from './facets';
export { LogIndex, type IndexedFile } from './logIndex';
export { visitPrimaryEvents } from './primaryEvents';
export { MAX_STAGE_SPAN_BYTES, readRequestStages, type RequestStages } from './requestStages';
export { queryIndex, type IndexQueryResult } from './queryIndex';
export { refreshLogIndex, type RefreshOutcome } from './refreshLogIndex';
export { pageRows, readRow, sortRows, type IndexRow, type SortKey } from './rows';
export { timeOrder, timeSpan } from './timeOrder';
export { BUNDLED_WORKER_FILE } from './workerScript';
