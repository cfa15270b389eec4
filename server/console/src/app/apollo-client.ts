import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { liveState } from './live-state.js';

/** What the console's Apollo client needs from the app around it. */
export interface ConsoleClientOptions {
  /** Called when the server says the session is gone (UNAUTHENTICATED): the app shows sign-in. */
  onSignedOut(): void;
}

/**
 * The console's data layer: Apollo Client 4 over `/graphql` with the session cookie (same origin,
 * so no credential lives in JavaScript), and subscriptions over the same path by GraphQL over
 * WebSocket (graphql-ws), which reconnects by itself. Decisions are cached per account and
 * feature, so a live push updates every view of that decision at once.
 */
export function createConsoleClient(options: ConsoleClientOptions): { client: ApolloClient; socket: Client } {
  const socket = createClient({
    url: () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
    lazy: true,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // Anything but an ended session (below) is worth another try.
    shouldRetry: () => true,
    // The cookie goes with the upgrade request; nothing else to send.
    connectionParams: () => ({}),
    on: {
      connected: () => liveState.set('connected'),
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        // 4401: the session ended (sign-out elsewhere, deactivation, a new role); graphql-ws does
        // not retry it, and the page signs in again. 1000: no page subscribes any more (lazy), not lost.
        if (code === 4401) options.onSignedOut();
        liveState.set(code === 1000 ? 'idle' : 'reconnecting');
      },
      error: () => liveState.set('reconnecting'),
    },
  });
  const signedOut = new ErrorLink(({ error, operation }) => {
    // The sign-in gate asks `me` and handles its own answer.
    if (operation.operationName === 'ConsoleMe') return;
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((entry) => entry.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    if (unauthenticated) options.onSignedOut();
  });
  const transport = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === 'OperationDefinition' && definition.operation === 'subscription';
    },
    new GraphQLWsLink(socket),
    new HttpLink({ uri: '/graphql', credentials: 'same-origin' }),
  );
  const client = new ApolloClient({
    link: ApolloLink.from([signedOut, transport]),
    cache: new InMemoryCache({
      typePolicies: {
        // One decision per account and feature: a push and a query answer land on the same object.
        Entitlement: { keyFields: ['accountId', 'feature'] },
        EntitlementSource: { merge: true },
        Feature: { keyFields: ['key'] },
        Plan: { keyFields: ['key'] },
        AddOn: { keyFields: ['key'] },
        AccountSubscription: { merge: true },
        Account: {
          fields: {
            overrides: { merge: false },
            activeOverrides: { merge: false },
          },
        },
      },
    }),
    defaultOptions: {
      // Show what is cached, and always ask: a console must not show yesterday's state as today's.
      watchQuery: { fetchPolicy: 'cache-and-network', nextFetchPolicy: 'cache-first' },
    },
  });
  return { client, socket };
}
