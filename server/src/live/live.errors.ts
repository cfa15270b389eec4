import { GraphQLError } from 'graphql';

/** Which bound a refused subscription met. */
export type SubscriptionBound = 'connection' | 'key' | 'server';

/**
 * A subscription refused by one of live updates' bounds (configurable; see the README). Its code
 * is not LIMIT_EXCEEDED, which means an entitlement limit and opens a paywall. Codes are part of
 * the public contract.
 */
export function tooManySubscriptions(bound: SubscriptionBound, limit: number): GraphQLError {
  const where = { connection: 'on this connection', key: 'for this key', server: 'on this server' }[bound];
  return new GraphQLError(
    `Too many live subscriptions ${where} (at most ${limit}). Complete the ones you no longer need; one subscription per account is enough for any number of views.`,
    { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound, limit } },
  );
}
