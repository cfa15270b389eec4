import type { BillingMismatchKind, BillingSyncIssueKind } from '../generated/graphql.js';

/** What each kind of sync issue needs from a person, in a few words. */
export const ISSUE_NEEDS: Record<BillingSyncIssueKind, string> = {
  UNKNOWN_CUSTOMER: 'Link this Stripe customer to an account: its events are replayed at once.',
  UNKNOWN_PRICE: 'Add the price to a plan version (billing price ids) or an add-on, then reconcile.',
  ORDER_AMBIGUOUS: 'Nothing to do by hand: the next event of this subscription, or a reconciliation, settles it. Setting STRIPE_API_KEY prevents it.',
  ACCOUNT_AMBIGUOUS: 'Correct metadata.tollgate_account_id on the subscription in Stripe.',
  STRIPE_API_REFUSED: 'Fix STRIPE_API_KEY (its mode or its read access); reconciliation then applies the subscription.',
  UNKNOWN_STATUS: 'Update Tollgate: Stripe sent a status it does not know yet. The last good state is kept.',
};

/** A sync issue's kind as a heading. */
export const ISSUE_KIND_WORDS: Record<BillingSyncIssueKind, string> = {
  UNKNOWN_CUSTOMER: 'Unknown customer',
  UNKNOWN_PRICE: 'Unknown price',
  ORDER_AMBIGUOUS: 'Order unclear',
  ACCOUNT_AMBIGUOUS: 'Two accounts named',
  STRIPE_API_REFUSED: 'Stripe refused the read',
  UNKNOWN_STATUS: 'Unknown status',
};

/** A reconciliation mismatch's kind as a heading, in the order the report table shows them. */
export const MISMATCH_KIND_WORDS: Record<BillingMismatchKind, string> = {
  MISSING_IN_TOLLGATE: 'In Stripe, missing in Tollgate',
  MISSING_IN_PROVIDER: 'In Tollgate, missing in Stripe',
  PLAN_MISMATCH: 'Different plan',
  STATUS_MISMATCH: 'Different status',
  PERIOD_MISMATCH: 'Different period',
  UNKNOWN_PRICE: 'Unknown price',
};
