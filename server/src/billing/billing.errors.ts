import { GraphQLError } from 'graphql';

/** A customer pays for one account: linking it to a second would send its events to two places. */
export function customerLinkedElsewhere(customerId: string, accountId: string): GraphQLError {
  return new GraphQLError(
    `Stripe customer "${customerId}" is already linked to account "${accountId}". A customer links to one account; ` +
      'give the other account its own Stripe customer.',
    { extensions: { code: 'BILLING_CUSTOMER_LINKED', customerId, accountId } },
  );
}
