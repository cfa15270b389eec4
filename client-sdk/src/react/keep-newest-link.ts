'use client';
import { ApolloLink, Observable } from '@apollo/client';
import type { TollgateEntitlementFieldsFragment } from '../generated/graphql.js';

/**
 * How the provider keeps the hooks current, as `useTollgate().live` says it:
 *
 * - `'live'`: its WebSocket is open and Tollgate pushes every change; every mounted hook shows it
 *   at once.
 * - `'connecting'`: opening the socket for the first time (its first push will be the current
 *   state; at most 10 s, then `'fallback'`).
 * - `'fallback'`: no socket (graphql-ws is not installed, `live={false}`, no token, or the socket
 *   cannot open or was lost and is being reopened): the hooks refetch when the window regains
 *   focus and every `refetchIntervalMs`.
 */
export type LiveMode = 'connecting' | 'live' | 'fallback';

/** The newest push a provider's client has shown: no query answer older than it replaces it. */
export interface LatestPush {
  current: { accountId: string; at: number; entitlements: readonly TollgateEntitlementFieldsFragment[] } | null;
}

/**
 * A link for the provider's client: an answer to the shared `entitlements(accountId)` query that
 * is older than the newest push (it read the account before a change the push already showed:
 * a refetch crossing a push) is given the push's decisions instead, so no hook goes back. Done
 * before the cache, because Apollo writes a refetch's answer over what the cache holds.
 */
export function keepNewestLink(latest: LatestPush): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (operation.operationName !== 'TollgateEntitlements') return forward(operation);
    return new Observable((observer) => {
      const subscription = forward(operation).subscribe({
        next: (result) => {
          const pushed = latest.current;
          const data = result.data as { entitlements?: readonly TollgateEntitlementFieldsFragment[] } | null | undefined;
          if (pushed && data?.entitlements && operation.variables.accountId === pushed.accountId && newestAsOf(data.entitlements) < pushed.at) {
            observer.next({ ...result, data: { ...data, entitlements: pushed.entitlements } });
          } else {
            observer.next(result);
          }
        },
        error: (error) => observer.error(error),
        complete: () => observer.complete(),
      });
      return () => subscription.unsubscribe();
    });
  });
}

/** The newest `asOf` of a list of decisions, as a time. */
export function newestAsOf(entitlements: readonly Pick<TollgateEntitlementFieldsFragment, 'asOf'>[]): number {
  let newest = -Infinity;
  for (const entitlement of entitlements) newest = Math.max(newest, Date.parse(entitlement.asOf));
  return newest;
}

