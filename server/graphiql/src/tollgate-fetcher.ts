import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';

/**
 * GraphiQL's fetcher for this Tollgate: queries and mutations as `POST /graphql`, subscriptions
 * over the same path's WebSocket (graphql-ws), both with `Authorization: Bearer <credential>`, as
 * every Tollgate client sends it. A header typed in GraphiQL's own headers editor wins.
 *
 * @example
 * const fetcher = tollgateFetcher(window.location, 'tg_admin_…');
 */
export function tollgateFetcher(location: Pick<Location, 'origin' | 'protocol' | 'host'>, credential: string): Fetcher {
  const authorization = credential ? `Bearer ${credential}` : undefined;
  return createGraphiQLFetcher({
    url: `${location.origin}/graphql`,
    subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    headers: authorization ? { authorization } : {},
    wsConnectionParams: authorization ? { authorization } : {},
    // Tollgate answers one JSON result per request; no multipart parsing needed.
    enableIncrementalDelivery: false,
  });
}
