/**
 * Where a subscription is in its life at an instant, computed from its status and timestamps
 * (no job has to run for it to be right): a trial, the grace after it, paid and active, past due
 * within its grace, canceling at period end or at a set instant (still in force), expired,
 * canceled, paused (Stripe keeps it, without a payment method: no access).
 */
export const SUBSCRIPTION_PHASES = ['TRIAL', 'TRIAL_GRACE', 'ACTIVE', 'PAST_DUE', 'CANCELING', 'EXPIRED', 'CANCELED', 'PAUSED'] as const;

/** Where a subscription is in its life at an instant. */
export type SubscriptionPhase = (typeof SUBSCRIPTION_PHASES)[number];
