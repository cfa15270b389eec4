import { GraphQLError } from 'graphql';

/** A customer pays for one account: linking it to a second would send its events to two places. */
export function customerLinkedElsewhere(customerId: string, accountId: string): GraphQLError {
  return new GraphQLError(
    `Stripe customer "${customerId}" is already linked to account "${accountId}". A customer links to one account; ` +
      'give the other account its own Stripe customer.',
    { extensions: { code: 'BILLING_CUSTOMER_LINKED', customerId, accountId } },
  );
}

/** Reconciliation reads every subscription from Stripe's API, which needs a key. */
export function stripeApiNotConfigured(): GraphQLError {
  return new GraphQLError(
    'Reconciliation reads your subscriptions from Stripe\'s API: set STRIPE_API_KEY (a restricted key with read access to subscriptions and customers is enough) and restart.',
    { extensions: { code: 'STRIPE_NOT_CONFIGURED' } },
  );
}

/** Stripe's API failed while reconciliation listed subscriptions: nothing was changed. */
export function stripeApiFailed(cause: Error): GraphQLError {
  return new GraphQLError(`${cause.message}. Nothing was changed; run reconciliation again.`, {
    extensions: { code: 'STRIPE_UNAVAILABLE', http: { status: 503 } },
  });
}
