import { registerEnumType } from 'type-graphql';
import { BILLING_MISMATCH_KINDS, enumObject, RECONCILIATION_REFUSALS } from '../vocabulary/index.js';

/** GraphQL enum of how Tollgate and the billing provider disagree, derived from the vocabulary. */
export const BillingMismatchKind = enumObject(BILLING_MISMATCH_KINDS);

registerEnumType(BillingMismatchKind, {
  name: 'BillingMismatchKind',
  description: 'How a subscription in Stripe and its mirror in Tollgate disagree.',
  valuesConfig: {
    MISSING_IN_TOLLGATE: { description: 'Stripe has a subscription Tollgate does not mirror (fixable when its customer maps to an account).' },
    MISSING_IN_PROVIDER: { description: 'Tollgate mirrors a subscription Stripe does not have (apply cancels it in Tollgate while it is in force).' },
    PLAN_MISMATCH: { description: 'Stripe\'s prices map to another plan version than Tollgate has.' },
    STATUS_MISMATCH: { description: 'Stripe\'s status maps to another status than Tollgate has.' },
    PERIOD_MISMATCH: { description: 'Stripe\'s current period differs from Tollgate\'s.' },
    UNKNOWN_PRICE: { description: 'A price maps to no plan version or add-on: add it (billingPriceIds, billingPriceId), then reconcile again.' },
  },
});

/** GraphQL enum of why a reconciliation run applied nothing, derived from the vocabulary. */
export const ReconciliationRefusalKind = enumObject(RECONCILIATION_REFUSALS);

registerEnumType(ReconciliationRefusalKind, {
  name: 'ReconciliationRefusalKind',
  description: 'Why reconcileBilling(apply: true) applied nothing.',
  valuesConfig: {
    MODE_MISMATCH: { description: 'STRIPE_API_KEY\'s mode (live, test) is not the listed subscriptions\' mode.' },
    TOO_MANY_CANCELS: { description: 'More than maxCancelPercent of the Stripe-billed subscriptions would be canceled.' },
  },
});
