'use client';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EntitlementsSnapshot } from '../entitlements-snapshot.js';
import { TollgateEntitlementsDocument, type TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { tokenKeeper, type ClientToken, type TokenSource } from './client-token.js';
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
   * createClientToken), such as a Next.js server action. The function is called again shortly
   * before the token expires. An inline function is fine: the provider keeps one client and
   * always calls the latest function it was given.
   */
  token?: TokenSource;
  /**
   * A token already minted, on the server say: used until a minute before it expires, then
   * `token` is called for the next one.
   */
  initialToken?: string | ClientToken;
  /**
   * Decisions fetched on the server with `prefetchEntitlements` (from `@tollgate/sdk`): gates
   * render from them in the first HTML and on hydration, with no request before it.
   */
  initialEntitlements?: EntitlementsSnapshot;
  /**
   * Called when a person chooses an offer in a paywall or the upgrade prompt: run your checkout
   * (your backend changes the plan with its server key). Every mounted hook refreshes after it.
   */
  onUpgrade?: (offer: TollgateUpgradeOfferFieldsFragment) => Promise<void> | void;
  children?: ReactNode;
}

/**
 * Gives hooks and paywall components their Tollgate client and account, and shows the upgrade
 * prompt when a refusal (or `openPaywall`) asks for it. It builds one Apollo Client per `url`
 * and `accountId` and keeps it across renders, whatever `token` is. Safe in server rendering:
 * nothing touches `window` until it runs in a browser.
 *
 * @example
 * <TollgateProvider accountId={user.accountId} url="/graphql" token={() => api.post('/client-token')} onUpgrade={checkout}>
 *   <App />
 * </TollgateProvider>
 *
 * @example
 * // Server rendering (a Next.js server component): decisions and a token from the server, a
 * // server action for the next token.
 * const token = await tollgate.createClientToken(accountId);
 * const snapshot = await prefetchEntitlements({ url: process.env.TOLLGATE_URL!, accountId, token: token.token });
 * <TollgateProvider accountId={accountId} url="/graphql" token={getClientToken} initialToken={token} initialEntitlements={snapshot}>
 *   {children}
 * </TollgateProvider>
 */
export function TollgateProvider({ accountId, client, url, token, initialToken, initialEntitlements, onUpgrade, children }: TollgateProviderProps) {
  // The latest token source, read at each request: a new inline function must not rebuild the
  // client (a token minted and every query refetched on each parent render).
  const tokenSource = useRef(token);
  tokenSource.current = token;
  const apollo = useMemo(
    () => client ?? createTollgateClient(url, () => tokenSource.current, initialToken),
    // A token is bound to one account: another account gets a client (and a cache) of its own.
    [client, url, accountId],
  );
  useInitialEntitlements(apollo, initialEntitlements);
  // Likewise the latest checkout: an inline onUpgrade must not change the context's value, which
  // would render every hook again with each parent render.
  const checkout = useRef(onUpgrade);
  checkout.current = onUpgrade;
  const [request, setRequest] = useState<PaywallRequest | null>(null);

  useEffect(() => paywallEvents.subscribe(setRequest), []);

  const refresh = useCallback(async () => {
    await apollo.refetchQueries({ include: 'active' });
  }, [apollo]);

  const upgrade = useCallback(
    async (offer: TollgateUpgradeOfferFieldsFragment) => {
      await checkout.current?.(offer);
      await refresh();
    },
    [refresh],
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

/**
 * Writes server-fetched decisions into the client's cache: the first time during render, so
 * the very first render (and hydration) reads them; a newer snapshot later, after render.
 */
function useInitialEntitlements(client: ApolloClient, snapshot: EntitlementsSnapshot | undefined) {
  const written = useRef<{ client: ApolloClient; snapshot: EntitlementsSnapshot } | null>(null);
  if (snapshot && written.current?.client !== client) {
    writeSnapshot(client, snapshot);
    written.current = { client, snapshot };
  }
  useEffect(() => {
    if (!snapshot || written.current?.snapshot === snapshot) return;
    writeSnapshot(client, snapshot);
    written.current = { client, snapshot };
  }, [client, snapshot]);
}

function writeSnapshot(client: ApolloClient, snapshot: EntitlementsSnapshot) {
  client.writeQuery({
    query: TollgateEntitlementsDocument,
    variables: { accountId: snapshot.accountId },
    data: { entitlements: snapshot.entitlements },
  });
}

function createTollgateClient(url: string | undefined, token: () => TokenSource | undefined, initialToken: string | ClientToken | undefined): ApolloClient {
  if (!url) throw new Error('TollgateProvider needs either `client` or `url` (and `token`).');
  const currentToken = tokenKeeper(token, initialToken);
  const auth = new SetContextLink(async (previous) => {
    const value = await currentToken();
    return value ? { headers: { ...previous.headers, authorization: `Bearer ${value}` } } : {};
  });
  return new ApolloClient({
    link: ApolloLink.from([auth, new HttpLink({ uri: url })]),
    cache: new InMemoryCache(),
    defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
    ssrMode: typeof window === 'undefined',
  });
}
