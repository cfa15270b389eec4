/** A subscription's state as the billing side sets it. */
export const SUBSCRIPTION_STATUSES = ['TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED'] as const;

/** A subscription's state as the billing side sets it. */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
