/**
 * Why a billing provider's event (or a provider subscription) was not applied, kept as a sync
 * issue with its payload until it can be:
 * - UNKNOWN_CUSTOMER: its customer maps to no account (an admin links it; the event is replayed).
 * - UNKNOWN_PRICE: a price maps to no plan version or add-on (an admin maps it; replayed).
 * - ORDER_AMBIGUOUS: without STRIPE_API_KEY, two snapshots of one subscription carry the same
 *   second and Stripe's lifecycle order cannot say which came last; the next event of that
 *   subscription, or reconciliation, settles it.
 * - ACCOUNT_AMBIGUOUS: the subscription's stored account and its metadata name different
 *   accounts; nothing is applied until an admin says which (fix the metadata in Stripe).
 * - STRIPE_API_REFUSED: Stripe's API answered 4xx (a key of the other mode, without read access,
 *   an object of another account): retrying cannot help, so the event is kept, not retried.
 * - UNKNOWN_STATUS: a subscription status Tollgate does not know (one Stripe added later); the
 *   last good state is kept.
 */
export const BILLING_SYNC_ISSUE_KINDS = [
  'UNKNOWN_CUSTOMER',
  'UNKNOWN_PRICE',
  'ORDER_AMBIGUOUS',
  'ACCOUNT_AMBIGUOUS',
  'STRIPE_API_REFUSED',
  'UNKNOWN_STATUS',
] as const;

/** Why a billing provider's event could not be applied. */
export type BillingSyncIssueKind = (typeof BILLING_SYNC_ISSUE_KINDS)[number];
