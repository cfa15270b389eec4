/**
 * Who made an audited change: a person signed in to the console, a program with an API key, a
 * Stripe event, time itself (a scheduled change, a cancellation at period end), billing
 * reconciliation, or a plan migration's run.
 */
export const ACTOR_KINDS = ['OPERATOR', 'API_KEY', 'STRIPE', 'LIFECYCLE', 'RECONCILIATION', 'MIGRATION'] as const;

/** Who made an audited change. */
export type ActorKind = (typeof ACTOR_KINDS)[number];
