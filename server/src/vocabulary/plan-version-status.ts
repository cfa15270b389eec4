/** DRAFT can change; PUBLISHED is immutable and assignable; RETIRED keeps its accounts, takes no new ones. */
export const PLAN_VERSION_STATUSES = ['DRAFT', 'PUBLISHED', 'RETIRED'] as const;

/** Where a plan version is in its life. */
export type PlanVersionStatus = (typeof PLAN_VERSION_STATUSES)[number];
