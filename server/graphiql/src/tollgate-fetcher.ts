import { createGraphiQLFetcher, type Fetcher } from '@graphiql/toolkit';
import { GraphQLError } from 'graphql';

/**
 * GraphiQL's fetcher for this Tollgate: queries and mutations as `POST /graphql`, subscriptions
 * over the same path's WebSocket (graphql-ws), both with `Authorization: Bearer <credential>`, as
 * every Tollgate client sends it. A header typed in GraphiQL's own headers editor wins.
 *
 * @example
 * const fetcher = tollgateFetcher(window.location, 'tg_admin_…');
 */
export function tollgateFetcher(location: Pick<Location, 'origin' | 'protocol' | 'host'>, credential: string): Fetcher {
  // Tollgate refuses every request without one (401): say so here instead of asking.
  if (!credential) return () => ({ errors: [new GraphQLError(NO_CREDENTIAL)] });
  const endpoints = {
    url: `${location.origin}/graphql`,
    subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    // Tollgate answers one JSON result per request; no multipart parsing needed.
    enableIncrementalDelivery: false,
  };
  // The console's session: no header; the browser sends the httpOnly cookie to its own origin (JSON posts pass Apollo's CSRF check).
  if (credential === CONSOLE_SESSION) return createGraphiQLFetcher(endpoints);
  const authorization = `Bearer ${credential}`;
  return createGraphiQLFetcher({ ...endpoints, headers: { authorization }, wsConnectionParams: { authorization } });
}

/** The credential that means "act as the operator signed in to the console in this browser" (its session cookie). */
export const CONSOLE_SESSION = 'console-session';

/** What the IDE answers before a credential is entered. */
export const NO_CREDENTIAL =
  'Tollgate needs a credential for every request: paste an admin or server API key (tg_admin_…, tg_server_…) or a client token into "Bearer credential" above, then Use; or, signed in to the console, choose "Use console session".';
