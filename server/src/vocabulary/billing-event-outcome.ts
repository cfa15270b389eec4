/**
 * What became of one delivery of a billing provider's event. Written once so the webhook's
 * answer, the `billing_event` table and docs/stripe.md's table say the same words.
 *
 * - APPLIED: the event was recorded and Tollgate's subscription follows it (it may already have).
 * - IGNORED: a type Tollgate does not handle, or nothing in it concerns a subscription.
 * - STALE: older than the newest event of its kind already applied to that provider subscription.
 * - DUPLICATE: this event id was received before; only a delivery is answered so, never stored.
 * - UNMAPPED: its customer or a price is unknown; kept as a billing sync issue until it maps.
 * - HELD: kept as a billing sync issue and not applied, for a reason a mapping cannot fix: its
 *   order is ambiguous, its account is ambiguous, Stripe's API refused the read (4xx), or its
 *   status is one Tollgate does not know. A newer event or reconciliation settles it.
 */
export const BILLING_EVENT_OUTCOMES = ['APPLIED', 'IGNORED', 'STALE', 'DUPLICATE', 'UNMAPPED', 'HELD'] as const;

/** What became of one delivery of a billing provider's event. */
export type BillingEventOutcome = (typeof BILLING_EVENT_OUTCOMES)[number];
