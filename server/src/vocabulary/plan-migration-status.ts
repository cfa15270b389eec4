/**
 * Where a plan migration is: RUNNING until every selected account is settled (also after a
 * crash, until a server resumes it), COMPLETED, or FAILED on an error that retrying the same
 * input (startPlanMigration again) resumes from where it stopped.
 */
export const PLAN_MIGRATION_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED'] as const;

/** Where a plan migration is. */
export type PlanMigrationStatus = (typeof PLAN_MIGRATION_STATUSES)[number];
