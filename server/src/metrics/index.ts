/** Prometheus metrics: the registry and its hooks, and the sources read at each scrape. Other domains import from here, never from the files. */
export { TollgateMetrics } from './tollgate-metrics.js';
export { MAX_OPERATION_LABELS, OperationLabels } from './operation-labels.js';
export type { ChangeFeedHealth, DatabasePoolUse, MetricSources, RunningMigration } from './metric-sources.js';
