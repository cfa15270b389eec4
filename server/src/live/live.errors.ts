import { GraphQLError } from 'graphql';

/**
 * Which bound a refused subscription (or socket) met: subscriptions on one `connection`, of one
 * API `key`, of one client token's `account`, or on this `server`; sockets of one client token's
 * account (`account-sockets`) or from one client `address`.
 */
export type SubscriptionBound = 'connection' | 'key' | 'account' | 'server' | 'account-sockets' | 'address';

/** How each bound is said, and what to do about it. */
const BOUNDS: Record<SubscriptionBound, { what: string; fix: string }> = {
  connection: { what: 'live subscriptions on this connection', fix: 'Complete the ones you no longer need; one subscription per account is enough for any number of views.' },
  key: { what: 'live subscriptions for this key', fix: 'Complete the ones you no longer need; one subscription per account is enough for any number of views.' },
  account: {
    what: 'live subscriptions for this account\'s client tokens in this process',
    fix: 'Share one subscription between the views of a page (the React provider does), and close tabs\' sockets you no longer need.',
  },
  server: { what: 'live subscriptions on this server', fix: 'Try again later or connect to another Tollgate process.' },
  'account-sockets': {
    what: 'open sockets for this account\'s client tokens in this process',
    fix: 'Close sockets you no longer need: one socket per browser tab is enough.',
  },
  address: { what: 'open sockets from one client address', fix: 'Close sockets you no longer need, or reuse one socket for several subscriptions.' },
};

/**
 * A subscription (or a socket) refused by one of live updates' bounds (configurable; see
 * docs/live-updates.md). Its code is not LIMIT_EXCEEDED, which means an entitlement limit and opens a
 * paywall. Codes are part of the public contract.
 *
 * @example
 * throw tooManySubscriptions('account', 20); // extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound: 'account', limit: 20 }
 */
export function tooManySubscriptions(bound: SubscriptionBound, limit: number): GraphQLError {
  // One error per bound and limit, made once: a client hammering at its bound costs no new
  // error (nor its stack trace) per attempt. Nothing writes to it; graphql-js wraps it when it
  // adds a path.
  const key = `${bound}:${limit}`;
  let error = refusals.get(key);
  if (!error) {
    const { what, fix } = BOUNDS[bound];
    error = new GraphQLError(`Too many ${what} (at most ${limit}). ${fix}`, { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', bound, limit } });
    if (refusals.size < MAX_REMEMBERED_REFUSALS) refusals.set(key, error);
  }
  return error;
}

/** The refusals made so far: a handful (six bounds, each with the one limit the config gives it). */
const refusals = new Map<string, GraphQLError>();
const MAX_REMEMBERED_REFUSALS = 64;
