/**
 * What a plan migration did to one selected account: PENDING until its batch runs, then
 * MIGRATED (moved, or for PERIOD_END scheduled), SKIPPED by a rule, or FAILED because the
 * subscription was no longer what the selection saw.
 */
export const PLAN_MIGRATION_OUTCOMES = ['PENDING', 'MIGRATED', 'SKIPPED', 'FAILED'] as const;

/** What a plan migration did to one account. */
export type PlanMigrationOutcome = (typeof PLAN_MIGRATION_OUTCOMES)[number];

/**
 * Why a selected account did not move. Skipped by rule: PINNED (pinned and not named in
 * accountIds), ALREADY_ON_TARGET (on the target version, or scheduled to move to it),
 * CHANGE_SCHEDULED (the account's own plan change is pending), CANCELING (canceled at period end,
 * with effective PERIOD_END: the change would never take effect), BILLING_MANAGED (Stripe bills
 * it and Tollgate may not write the change there: no STRIPE_API_KEY, a key without write access,
 * or effective PERIOD_END, which Stripe schedules itself). Failed: PLAN_CHANGED (moved off the
 * source versions after the selection was frozen), NO_SUBSCRIPTION (it no longer has one),
 * BILLING_FAILED (Stripe refused the change or could not be reached, after retries).
 */
export const PLAN_MIGRATION_REASONS = [
  'PINNED',
  'ALREADY_ON_TARGET',
  'CHANGE_SCHEDULED',
  'CANCELING',
  'PLAN_CHANGED',
  'NO_SUBSCRIPTION',
  'BILLING_MANAGED',
  'BILLING_FAILED',
] as const;

/** Why a selected account did not move. */
export type PlanMigrationReason = (typeof PLAN_MIGRATION_REASONS)[number];
