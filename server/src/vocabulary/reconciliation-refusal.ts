/**
 * Why a reconciliation run refused to apply its fixes (it still reports every mismatch):
 * - MODE_MISMATCH: STRIPE_API_KEY is a live key and Stripe listed test-mode subscriptions, or
 *   the reverse: applying would cancel every real subscription.
 * - TOO_MANY_CANCELS: more than `maxCancelPercent` of Tollgate's Stripe-billed subscriptions would
 *   be canceled: a wrong key or account is likelier than that many vanished subscriptions.
 */
export const RECONCILIATION_REFUSALS = ['MODE_MISMATCH', 'TOO_MANY_CANCELS'] as const;

/** Why a reconciliation run refused to apply its fixes. */
export type ReconciliationRefusal = (typeof RECONCILIATION_REFUSALS)[number];
