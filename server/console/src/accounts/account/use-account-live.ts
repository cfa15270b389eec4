import { useApolloClient, useSubscription } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { AccountAccessDocument, AccountLiveDocument } from '../../generated/graphql.js';

/** Queries an account page shows beside its decisions; refetched after a push, since anything may have changed. */
const ACCOUNT_QUERIES = ['AccountPage', 'AccountHistory', 'AccountUsageHistory', 'AccountOverrideRequests'];

/**
 * Keeps an open account page current: the server pushes every decision of the account after
 * anything that can change one (another operator, the host's usage, Stripe, a timed boundary).
 * The decisions are written straight into the cache (the access tab changes with no request);
 * the account's other views are refetched once per burst of pushes.
 */
export function useAccountLive(accountId: string): void {
  const client = useApolloClient();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useSubscription(AccountLiveDocument, {
    variables: { id: accountId },
    onData: ({ data }) => {
      const change = data.data?.entitlementsChanged;
      if (!change) return;
      client.cache.writeQuery({ query: AccountAccessDocument, variables: { id: accountId }, data: { entitlements: change.entitlements } });
      if (pending.current) return;
      pending.current = setTimeout(() => {
        pending.current = null;
        void client.refetchQueries({ include: ACCOUNT_QUERIES });
      }, 150);
    },
  });
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );
}
