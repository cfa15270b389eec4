import { registerEnumType } from 'type-graphql';
import { BILLING_SYNC_ISSUE_KINDS, enumObject } from '../vocabulary/index.js';

/** GraphQL enum of why a billing event could not be applied, derived from the vocabulary. */
export const BillingSyncIssueKind = enumObject(BILLING_SYNC_ISSUE_KINDS);

registerEnumType(BillingSyncIssueKind, {
  name: 'BillingSyncIssueKind',
  description: 'Why a Stripe event could not be applied.',
  valuesConfig: {
    UNKNOWN_CUSTOMER: { description: 'Its customer maps to no account: link it with linkBillingCustomer.' },
    UNKNOWN_PRICE: { description: 'A price maps to no plan version or add-on: add it (billingPriceIds, billingPriceId).' },
    ORDER_AMBIGUOUS: { description: 'Without STRIPE_API_KEY, two snapshots of one subscription share a second and Stripe\'s lifecycle order does not say which is newer: held until the next event of that subscription or reconciliation settles it. Set STRIPE_API_KEY so that every event reads the subscription.' },
    ACCOUNT_AMBIGUOUS: { description: 'The subscription is stored for one account and its metadata.tollgate_account_id names another: nothing applied. Correct the metadata in Stripe.' },
    STRIPE_API_REFUSED: { description: 'Stripe\'s API answered 4xx (a key of the other mode, without read access): fix STRIPE_API_KEY; the event is kept, and reconciliation applies the subscription.' },
    UNKNOWN_STATUS: { description: 'A subscription status Tollgate does not know (Stripe added it later): the last good state is kept until Tollgate is updated.' },
  },
});
