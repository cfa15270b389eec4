import { registerEnumType } from 'type-graphql';
import { enumObject, PRORATION_BEHAVIORS } from '../vocabulary/index.js';

/** GraphQL enum of Stripe's proration_behavior for a plan change, derived from the vocabulary. */
export const ProrationBehavior = enumObject(PRORATION_BEHAVIORS);

registerEnumType(ProrationBehavior, {
  name: 'ProrationBehavior',
  description: 'What Stripe does about the part of the period already paid when Tollgate changes a Stripe-billed plan (Stripe\'s proration_behavior).',
  valuesConfig: {
    CREATE_PRORATIONS: { description: 'Stripe\'s default: credit the unused part and charge the new price\'s on the next invoice.' },
    ALWAYS_INVOICE: { description: 'Invoice the difference at once.' },
    NONE: { description: 'No proration: the new price from the next invoice.' },
  },
});
