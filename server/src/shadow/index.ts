/** Shadow mode: Tollgate's decisions compared with a host's legacy checks. Other domains import from here, never from the files. */
export { ShadowComparison } from './shadow-comparison.entity.js';
export { ShadowResolver } from './shadow.resolver.js';
export { ShadowService, type ComparisonRecord, type ShadowReportView } from './shadow.service.js';
export { DEFAULT_RECORDER_LIMITS, type RecorderLimits } from './batch-recorder.js';
export type { ShadowContext } from './shadow.context.js';
