/**
 * What Stripe does about the part of the period already paid when a plan changes (Stripe's
 * `proration_behavior`): CREATE_PRORATIONS (Stripe's default: credit and charge on the next
 * invoice), ALWAYS_INVOICE (invoice the difference now), NONE (the new price from the next period).
 */
export const PRORATION_BEHAVIORS = ['CREATE_PRORATIONS', 'ALWAYS_INVOICE', 'NONE'] as const;

/** What Stripe does about the part of the period already paid when a plan changes. */
export type ProrationBehavior = (typeof PRORATION_BEHAVIORS)[number];
