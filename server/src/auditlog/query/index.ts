export { QuerySyntaxError, type QueryNode } from './ast';
export { compileQuery, requestPredicate, type EventPredicate } from './evaluate';
export { INDEX_FIELDS } from './fields';
export { parseQuery, type ParseQueryOptions } from './parser';
export { toJq } from './toJq';
