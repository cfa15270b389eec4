/**
 * How Tollgate's subscriptions and the billing provider's can disagree, as reconciliation reports
 * it: a provider subscription Tollgate does not mirror, a Tollgate subscription the provider does
 * not have, a different plan, status or period, or a price that maps to nothing.
 */
export const BILLING_MISMATCH_KINDS = [
  'MISSING_IN_TOLLGATE',
  'MISSING_IN_PROVIDER',
  'PLAN_MISMATCH',
  'STATUS_MISMATCH',
  'PERIOD_MISMATCH',
  'UNKNOWN_PRICE',
] as const;

/** How Tollgate's subscriptions and the billing provider's can disagree. */
export type BillingMismatchKind = (typeof BILLING_MISMATCH_KINDS)[number];
