'use client';
import type { ApolloClient } from '@apollo/client';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import {
  TollgateEntitlementsChangedDocument,
  TollgateEntitlementsDocument,
  type TollgateEntitlementFieldsFragment,
  type TollgateEntitlementsChangedSubscription,
} from '../generated/graphql.js';
import { closeEventOf, DEFAULT_KEEP_ALIVE_MS, loadGraphQLWs, socketDeadlines, reconnectDelay, UNAUTHORIZED_CLOSE_CODE, type GraphQLWs } from '../live-socket.js';
import type { TokenKeeper } from './client-token.js';
import { newestAsOf, type LatestPush, type LiveMode } from './keep-newest-link.js';

export type { LatestPush, LiveMode } from './keep-newest-link.js';
/** For the provider, which loads this module with its socket: the socket's URL from the GraphQL one. */
export { webSocketUrl } from '../live-socket.js';



/** What the provider hands its live updates. */
export interface LiveUpdatesTarget {
  client: ApolloClient;
  accountId: string;
  /** The WebSocket endpoint (ws: or wss:). */
  url: string;
  token: TokenKeeper;
  latest: LatestPush;
  onMode(mode: LiveMode): void;
  /** The socket pings after this many ms of quiet; a pong missing for half as long more is a lost connection (default 10,000). */
  keepAliveMs?: number;
}

/** One socket (a graphql-ws client) and its subscription to the account. */
interface Connection {
  client: Client;
  unsubscribe: () => void;
  /** Connected, and a push has arrived since it (re)connected: its pushes are the current state. */
  live: boolean;
  /** Delivered a push at least once. */
  pushed: boolean;
  renewal: ReturnType<typeof setTimeout> | null;
}

/** A socket is replaced this long before its token expires (the token keeper renews tokens within the same minute). */
const RENEW_BEFORE_MS = 60_000;
/** A first socket still not live after this long (a proxy that holds WebSocket upgrades) is reported as fallback. */
const CONNECT_TIMEOUT_MS = 10_000;
const SUBSCRIPTION = print(addTypenameToDocument(TollgateEntitlementsChangedDocument));
/** The queries a push does not carry, refetched when a push changes the decisions. */
const DEPENDENT_QUERIES = new Set(['TollgateEntitlement', 'TollgateUsage', 'TollgateCurrentPlan', 'TollgateUpgradeOffers']);

/**
 * Opens the provider's WebSocket and keeps it open: subscribes to `entitlementsChanged` for the
 * account, writes every push into the shared `entitlements(accountId)` query (so every hook that
 * reads it updates at once), and refetches the other active Tollgate queries when a push changed
 * a decision. Of a push and a query answer, the newer (`at`/`asOf`) wins, in both orders (see
 * {@link keepNewestLink}).
 *
 * The token: the socket sends the provider's client token in `connectionParams` (asked again at
 * each reconnection). Tollgate closes a socket with 4401 when its token expires, which graphql-ws
 * does not retry; a new socket is then opened with a fresh token. A socket whose token lives
 * longer than a minute is replaced a minute before expiry instead, the new one opened before the
 * old one is closed, so the hooks never go without. Resolves nothing; returns a stop function.
 *
 * A socket whose server vanished without closing (no pong to a ping within half of
 * `keepAliveMs`, or no acknowledgement within `keepAliveMs` of connecting) is a lost connection: the hooks go to fallback mode (refetching) at once, and
 * graphql-ws reconnects.
 */
export function startLiveUpdates(target: LiveUpdatesTarget): () => void {
  let stopped = false;
  let graphqlWs: GraphQLWs | null = null;
  /** Oldest first; the last is the current one, the others are being replaced. */
  const connections: Connection[] = [];
  /** Connections that ended without delivering a push since the last push: the pause before the next grows with it. */
  let failures = 0;
  let everLost = false;
  let reopen: ReturnType<typeof setTimeout> | null = null;
  let lastMode: LiveMode | null = null;

  const report = () => {
    if (stopped) return;
    const mode: LiveMode = connections.some((connection) => connection.live) ? 'live' : everLost ? 'fallback' : 'connecting';
    if (mode === lastMode) return;
    lastMode = mode;
    target.onMode(mode);
  };

  const close = (connection: Connection) => {
    if (connection.renewal) clearTimeout(connection.renewal);
    connection.renewal = null;
    connection.live = false;
    connection.unsubscribe();
    // graphql-ws's dispose rejects with the close of a refused connection attempt: closed anyway.
    Promise.resolve(connection.client.dispose()).catch(() => {});
    const index = connections.indexOf(connection);
    if (index >= 0) connections.splice(index, 1);
  };

  const scheduleReopen = (delay: number) => {
    if (reopen || stopped) return;
    reopen = setTimeout(() => {
      reopen = null;
      if (!stopped) open();
    }, delay);
  };

  const open = (): void => {
    if (!graphqlWs) return;
    const connection: Connection = { client: null as unknown as Client, unsubscribe: () => {}, live: false, pushed: false, renewal: null };
    // A pong (or an acknowledgement) that does not come: the server or the link is gone without
    // a close. The client is terminated (a 4499 close, below: fallback mode, refetching) and
    // graphql-ws reconnects.
    const deadline = socketDeadlines(target.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS, () => connection.client.terminate());
    connection.client = graphqlWs.createClient({
      url: target.url,
      lazy: true,
      keepAlive: deadline.keepAlive,
      connectionParams: async () => {
        const token = await target.token.current();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      // Reconnect after anything but a fatal close (4401 is handled below, with a new token).
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries, 1000, 30_000))),
      on: {
        connecting: deadline.connecting,
        connected: () => {
          deadline.connected();
          scheduleRenewal(connection);
        },
        ping: deadline.ping,
        pong: deadline.pong,
        closed: () => {
          deadline.closed();
          connection.live = false;
          if (connection.renewal) clearTimeout(connection.renewal);
          connection.renewal = null;
          if (connection === current()) everLost = true;
          report();
        },
      },
    });
    connection.unsubscribe = connection.client.subscribe<TollgateEntitlementsChangedSubscription>(
      { query: SUBSCRIPTION, variables: { accountId: target.accountId } },
      {
        next: (result) => {
          const change = result.data?.entitlementsChanged;
          if (!change || stopped) return;
          connection.live = true;
          connection.pushed = true;
          failures = 0;
          clearTimeout(connectTimeout);
          applyPush(target, change);
          // A replacement's first push: the sockets before it can go.
          for (const older of connections.slice(0, connections.indexOf(connection))) close(older);
          report();
        },
        error: (error) => ended(connection, error),
        complete: () => ended(connection, null),
      },
    );
    connections.push(connection);
  };

  const current = () => connections[connections.length - 1];

  /** A subscription ended: a fatal close (4401 among them), a refusal, or the server completed it. */
  const ended = (connection: Connection, error: unknown) => {
    const wasCurrent = connection === current();
    close(connection);
    if (stopped) return;
    if (!wasCurrent) {
      report();
      return;
    }
    everLost = true;
    const unauthorized = closeEventOf(error)?.code === UNAUTHORIZED_CLOSE_CODE;
    if (unauthorized) {
      // The token expired (or was refused): a fixed token cannot be renewed, so the hooks stay on
      // refetching (where the same token's errors show); a token function gives a new one.
      if (!target.token.renewable()) {
        report();
        return;
      }
      target.token.renew();
    }
    // At once after a socket that had been live; then growing pauses while new ones fail.
    const delay = failures === 0 && connection.pushed ? 0 : reconnectDelay(failures, 1000, 30_000);
    failures += 1;
    scheduleReopen(delay);
    report();
  };

  /** Replaces a connection a minute before its token expires, when the token lives long enough for that. */
  const scheduleRenewal = (connection: Connection) => {
    if (connection.renewal) clearTimeout(connection.renewal);
    connection.renewal = null;
    const expiresAt = target.token.expiresAt();
    if (expiresAt === null || !target.token.renewable()) return;
    const wait = expiresAt - RENEW_BEFORE_MS - Date.now();
    // A shorter-lived token: Tollgate closes the socket when it expires (4401), and a new one is opened then.
    if (wait <= 0) return;
    connection.renewal = setTimeout(() => {
      connection.renewal = null;
      if (!stopped && connection === current()) open();
    }, wait);
  };

  const connectTimeout = setTimeout(() => {
    everLost = true;
    report();
  }, CONNECT_TIMEOUT_MS);

  void loadGraphQLWs().then(({ graphqlWs: loaded }) => {
    if (stopped) return;
    if (!loaded) {
      everLost = true;
      report();
      return;
    }
    graphqlWs = loaded;
    open();
  });

  return () => {
    stopped = true;
    clearTimeout(connectTimeout);
    if (reopen) clearTimeout(reopen);
    for (const connection of [...connections]) close(connection);
  };
}

type Change = TollgateEntitlementsChangedSubscription['entitlementsChanged'];

/**
 * Writes a push into the shared query every `useEntitlement` without an amount reads, unless
 * what the hooks show is newer, and refetches the queries a push does not carry (usage, plan,
 * offers, amounts) when a decision changed.
 */
function applyPush({ client, accountId, latest }: LiveUpdatesTarget, change: Change): void {
  const variables = { accountId };
  const at = Date.parse(change.at);
  const shown = client.readQuery({ query: TollgateEntitlementsDocument, variables });
  if (shown && newestAsOf(shown.entitlements) > at) return;
  if (!latest.current || latest.current.accountId !== accountId || latest.current.at <= at) {
    latest.current = { accountId, at, entitlements: change.entitlements };
  }
  client.writeQuery({ query: TollgateEntitlementsDocument, variables, data: { entitlements: change.entitlements } });
  if (shown && changed(shown.entitlements, change.entitlements)) {
    client
      .refetchQueries({ include: 'active', onQueryUpdated: (query) => DEPENDENT_QUERIES.has(query.queryName ?? '') })
      .catch(() => {
        // Their hooks show the error; nothing to add here.
      });
  }
}

/**
 * Whether any decision differs, `asOf` and `__typename` aside. Keys are compared in one order: the
 * cache reads `__typename` first, the server sends it last.
 */
function changed(before: readonly TollgateEntitlementFieldsFragment[], after: readonly TollgateEntitlementFieldsFragment[]): boolean {
  const text = (entitlements: readonly TollgateEntitlementFieldsFragment[]) =>
    JSON.stringify(entitlements, (key, value: unknown) => {
      if (key === 'asOf' || key === '__typename') return undefined;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    });
  return text(before) !== text(after);
}
