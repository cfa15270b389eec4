'use client';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { EntitlementsSnapshot } from '../entitlements-snapshot.js';
import { TollgateEntitlementsDocument, type TollgateUpgradeOfferFieldsFragment } from '../generated/graphql.js';
import { tokenKeeper, type ClientToken, type TokenKeeper, type TokenSource } from './client-token.js';
import { keepNewestLink, type LatestPush, type LiveMode } from './keep-newest-link.js';
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
  /**
   * Live updates (default true): when the `graphql-ws` package is installed, one WebSocket per
   * provider on which Tollgate pushes every change of the account's decisions, so every mounted
   * hook updates at once, with no request. Without graphql-ws, with `false`, without a `token`,
   * or while the socket cannot open, the hooks refetch on window focus and every
   * `refetchIntervalMs` instead. `useTollgate().live` says which.
   */
  live?: boolean;
  /** The WebSocket endpoint; default `url` with `ws:` (`wss:` on https), relative to the page. */
  liveUrl?: string;
  /**
   * The socket pings Tollgate after this many ms of quiet (default 10,000); a pong missing for
   * half as long again means the server or the link is gone without a close: the hooks go to
   * fallback mode (refetching) at once, and the socket reconnects.
   */
  liveKeepAliveMs?: number;
  /** Without a live socket: refetch every Tollgate query this often (default 60,000 ms; 0 never). */
  refetchIntervalMs?: number;
  /** Without a live socket: refetch every Tollgate query when the window regains focus (default true). */
  refetchOnFocus?: boolean;
  children?: ReactNode;
}

const DEFAULT_REFETCH_INTERVAL_MS = 60_000;

/**
 * Gives hooks and paywall components their Tollgate client and account, and shows the upgrade
 * prompt when a refusal (or `openPaywall`) asks for it. It builds one Apollo Client per `url`
 * and `accountId` and keeps it across renders, whatever `token` is. Safe in server rendering:
 * nothing touches `window` until it runs in a browser.
 *
 * Live updates: when the app has the `graphql-ws` package, the provider opens one WebSocket and
 * every mounted hook follows Tollgate's pushes; otherwise the hooks refetch on window focus and
 * on an interval. `useTollgate().live` says which (`'live'`, `'connecting'` or `'fallback'`).
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
 *
 * @example
 * // No socket (a proxy without WebSockets, say): refetch every 30 s and on focus instead.
 * <TollgateProvider accountId={accountId} url="/graphql" token={getClientToken} live={false} refetchIntervalMs={30_000}>
 *   <App />
 * </TollgateProvider>
 */
export function TollgateProvider({
  accountId,
  client,
  url,
  token,
  initialToken,
  initialEntitlements,
  onUpgrade,
  live = true,
  liveUrl,
  liveKeepAliveMs,
  refetchIntervalMs = DEFAULT_REFETCH_INTERVAL_MS,
  refetchOnFocus = true,
  children,
}: TollgateProviderProps) {
  // The latest token source, read at each request: a new inline function must not rebuild the
  // client (a token minted and every query refetched on each parent render).
  const tokenSource = useRef(token);
  tokenSource.current = token;
  const hasToken = token !== undefined || initialToken !== undefined;
  const session = useMemo(
    () => createSession(client, url, () => tokenSource.current, initialToken),
    // A token is bound to one account: another account gets a client (and a cache) of its own.
    // initialToken is for the first client only.
    [client, url, accountId],
  );
  const apollo = session.client;
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

  const socketUrl = live && hasToken ? (liveUrl ?? url) : undefined;
  const [mode, setMode] = useState<LiveMode>(socketUrl ? 'connecting' : 'fallback');
  useEffect(() => {
    if (!socketUrl) {
      setMode('fallback');
      return;
    }
    setMode('connecting');
    // The socket's code (and graphql-ws) is loaded with the socket, not with the page: an app's
    // bundler splits it off, so first paint does not pay for live updates.
    let stop: (() => void) | null = null;
    let cancelled = false;
    import('./live-updates.js').then(
      ({ startLiveUpdates, webSocketUrl }) => {
        if (cancelled) return;
        stop = startLiveUpdates({
          client: apollo,
          accountId,
          url: webSocketUrl(socketUrl, window.location.href),
          token: session.token,
          latest: session.latest,
          onMode: setMode,
          keepAliveMs: liveKeepAliveMs,
        });
      },
      () => {
        if (!cancelled) setMode('fallback');
      },
    );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [apollo, accountId, socketUrl, session, liveKeepAliveMs]);
  // While connecting the hooks have just loaded, and the socket's first push is the current state.
  useFallbackRefetch(mode === 'fallback', refresh, refetchIntervalMs, refetchOnFocus);

  const value = useMemo<TollgateContextValue>(
    () => ({
      client: apollo,
      accountId,
      live: mode,
      openPaywall: (feature, amount) => setRequest({ feature, amount }),
      upgrade,
      refresh,
    }),
    [apollo, accountId, mode, upgrade, refresh],
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
 * Without a live socket, keeps the hooks reasonably fresh: refetches every active Tollgate query
 * when the window regains focus (or the page becomes visible), at most once a second, and every
 * `intervalMs`.
 */
function useFallbackRefetch(active: boolean, refresh: () => Promise<void>, intervalMs: number, onFocus: boolean) {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const refetch = () => {
      last = Date.now();
      // A failed refetch shows in the hooks' own error state.
      refresh().catch(() => {});
    };
    const focused = () => {
      if (document.visibilityState === 'hidden' || Date.now() - last < 1000) return;
      refetch();
    };
    if (onFocus) {
      window.addEventListener('focus', focused);
      document.addEventListener('visibilitychange', focused);
    }
    const timer = intervalMs > 0 ? setInterval(refetch, intervalMs) : undefined;
    return () => {
      window.removeEventListener('focus', focused);
      document.removeEventListener('visibilitychange', focused);
      clearInterval(timer);
    };
  }, [active, refresh, intervalMs, onFocus]);
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

/** The provider's Apollo Client, the client token its requests and live socket share, and its newest push. */
interface TollgateSession {
  client: ApolloClient;
  token: TokenKeeper;
  latest: LatestPush;
}

function createSession(
  client: ApolloClient | undefined,
  url: string | undefined,
  token: () => TokenSource | undefined,
  initialToken: string | ClientToken | undefined,
): TollgateSession {
  const currentToken = tokenKeeper(token, initialToken);
  const latest: LatestPush = { current: null };
  if (client) return { client, token: currentToken, latest };
  if (!url) throw new Error('TollgateProvider needs either `client` or `url` (and `token`).');
  const auth = new SetContextLink(async (previous) => {
    const value = await currentToken.current();
    return value ? { headers: { ...previous.headers, authorization: `Bearer ${value}` } } : {};
  });
  return {
    client: new ApolloClient({
      link: ApolloLink.from([auth, keepNewestLink(latest), new HttpLink({ uri: url })]),
      cache: new InMemoryCache(),
      defaultOptions: { watchQuery: { fetchPolicy: 'cache-and-network' } },
      ssrMode: typeof window === 'undefined',
    }),
    token: currentToken,
    latest,
  };
}
