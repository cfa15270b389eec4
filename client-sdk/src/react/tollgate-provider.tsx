'use client';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { tokenKeeper, type TokenSource } from './client-token.js';
import { paywallEvents, type PaywallRequest } from './paywall-events.js';
import { TollgateContext, type TollgateContextValue } from './tollgate-context.js';
import { UpgradePrompt } from './upgrade-prompt.js';

/** Props of {@link TollgateProvider}. */
export interface TollgateProviderProps {
  /** The account whose entitlements the hooks read; the client token must be bound to it. */
  accountId: string;
  /** An Apollo Client for Tollgate you already have (with its own auth). Or give `url` and `token`. */
  client?: ApolloClient;
  /** Tollgate's GraphQL endpoint, such as `/graphql` behind your proxy. */
  url?: string;
  /**
   * A client token, or an async function that asks your backend for one (it mints them with
   * createClientToken). The function is called again shortly before the token expires.
   */
  token?: TokenSource;
  /**
   * Called when a person chooses an offer in a paywall or the upgrade prompt: run your checkout
   * (your backend changes the plan with its server key). Every mounted hook refreshes after it.
   */
  onUpgrade?: (offer: TollgateUpgradeOfferFieldsFragment) => Promise<void> | void;
  children?: ReactNode;
}

/**
 * Gives hooks and paywall components their Tollgate client and account, and shows the upgrade
 * prompt when a refusal (or `openPaywall`) asks for it. Safe in server rendering: nothing
 * touches `window` until it runs in a browser.
 *
 * @example
 * <TollgateProvider accountId={user.accountId} url="/graphql" token={() => api.post('/client-token')} onUpgrade={checkout}>
 *   <App />
 * </TollgateProvider>
 */
export function TollgateProvider({ accountId, client, url, token, onUpgrade, children }: TollgateProviderProps) {
  const apollo = useMemo(() => client ?? createTollgateClient(url, token), [client, url, token]);
  const [request, setRequest] = useState<PaywallRequest | null>(null);

  useEffect(() => paywallEvents.subscribe(setRequest), []);

  const refresh = useCallback(async () => {
    await apollo.refetchQueries({ include: 'active' });
  }, [apollo]);

  const upgrade = useCallback(
    async (offer: TollgateUpgradeOfferFieldsFragment) => {
      await onUpgrade?.(offer);
      await refresh();
    },
    [onUpgrade, refresh],
  );

  const value = useMemo<TollgateContextValue>(
    () => ({
      client: apollo,
      accountId,
      openPaywall: (feature, amount) => setRequest({ feature, amount }),
      upgrade,
      refresh,
    }),
    [apollo, accountId, upgrade, refresh],
  );

  return (
    <TollgateContext.Provider value={value}>
      {children}
      {request ? (
        <UpgradePrompt
          feature={request.feature}
          amount={request.amount}
          open
          onClose={() => setRequest(null)}
        />
      ) : null}
    </TollgateContext.Provider>
  );
}

function createTollgateClient(url: string | undefined, token: TokenSource | undefined): ApolloClient {
  if (!url) throw new Error('TollgateProvider needs either `client` or `url` (and `token`).');
  const currentToken = tokenKeeper(token);
  const auth = new SetContextLink(async (previous) => {
    const value = await currentToken();
    return value ? { headers: { ...previous.headers, authorization: `Bearer ${value}` } } : {};
  });
  return new ApolloClient({
    link: ApolloLink.from([auth, new HttpLink({ uri: url })]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
  });
}
