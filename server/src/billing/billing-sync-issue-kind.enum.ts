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
  },
});
