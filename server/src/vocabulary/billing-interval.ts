/** How often a price is charged. */
export const BILLING_INTERVALS = ['MONTH', 'YEAR'] as const;

/** How often a price is charged. */
export type BillingInterval = (typeof BILLING_INTERVALS)[number];
