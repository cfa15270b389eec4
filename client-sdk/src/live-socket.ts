/**
 * What the React provider's live updates and `createTollgate({ live: true })` share: loading the
 * optional `graphql-ws` peer, the WebSocket address of an HTTP endpoint, and the pause between
 * reconnections. Internal: no public declaration refers to this module, so an app without
 * graphql-ws type-checks.
 */
import type { createClient } from 'graphql-ws';

/** The part of graphql-ws the SDK uses. */
export interface GraphQLWs {
  createClient: typeof createClient;
}

/** graphql-ws, or why it could not be loaded (not installed, most often). */
export type LoadedGraphQLWs = { graphqlWs: GraphQLWs; problem: null } | { graphqlWs: null; problem: Error };

/**
 * Imports graphql-ws if the app has it. The import sits inside `try` on purpose: Vite replaces a
 * missing optional peer with a module that throws, and bundlers that honour `try` around an
 * import treat the dependency as optional, so an app without graphql-ws still builds and runs,
 * without live updates.
 */
export async function loadGraphQLWs(): Promise<LoadedGraphQLWs> {
  try {
    const graphqlWs = (await import('graphql-ws')) as GraphQLWs;
    if (typeof graphqlWs.createClient !== 'function') throw new Error('graphql-ws has no createClient: graphql-ws 6 is needed');
    return { graphqlWs, problem: null };
  } catch (error) {
    return { graphqlWs: null, problem: error instanceof Error ? error : new Error(String(error)) };
  }
}

/**
 * The WebSocket address of a GraphQL HTTP endpoint: the same path, `ws:` for `http:` and `wss:`
 * for `https:`. A relative url (`/graphql`) is read against `base` (the page's address).
 *
 * @example
 * webSocketUrl('/graphql', 'https://app.example.com/notes'); // 'wss://app.example.com/graphql'
 */
export function webSocketUrl(url: string, base?: string): string {
  const address = new URL(url, base);
  if (address.protocol === 'http:') address.protocol = 'ws:';
  else if (address.protocol === 'https:') address.protocol = 'wss:';
  return address.toString();
}

/**
 * How long to wait before reconnection attempt `attempt` (0 for the first): doubling from
 * `firstMs` up to `maxMs`, with up to half of it random, so clients that lost one server do not
 * come back to the next all at once.
 */
export function reconnectDelay(attempt: number, firstMs: number, maxMs: number): number {
  const delay = Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 30));
  return Math.round(delay / 2 + (Math.random() * delay) / 2);
}

/** A WebSocket close as graphql-ws reports it, or null when `error` is something else. */
export function closeEventOf(error: unknown): { code: number; reason: string } | null {
  if (typeof error !== 'object' || error === null || !('code' in error) || !('reason' in error)) return null;
  const { code, reason } = error as { code: unknown; reason: unknown };
  return typeof code === 'number' ? { code, reason: String(reason) } : null;
}

/** How often (ms of quiet after the last pong) the SDK's sockets ping Tollgate, by default. */
export const DEFAULT_KEEP_ALIVE_MS = 10_000;

/** What {@link socketDeadlines} gives a graphql-ws client: its `keepAlive` option and its `on` listeners. */
export interface SocketDeadlines {
  keepAlive: number;
  connecting(): void;
  connected(): void;
  ping(received: boolean): void;
  pong(received: boolean): void;
  closed(): void;
}

/**
 * graphql-ws's keep-alive pings (`keepAlive`), with the deadlines graphql-ws leaves to its user:
 * a pong not back within half the interval (at least 500 ms), or a connection not acknowledged
 * within the interval (an upgrade nobody answers), calls `lost`, which should terminate the
 * client (`client.terminate()`: graphql-ws then reports a 4499 close and reconnects). A server
 * that vanished without closing (a dead link, a frozen process) is so noticed within 1.5 ×
 * `keepAliveMs` of the last pong, where the socket alone would wait for TCP to give up, minutes
 * later.
 *
 * @example
 * const deadlines = socketDeadlines(10_000, () => client.terminate());
 * const client = createClient({ url, keepAlive: deadlines.keepAlive, on: { ...deadlines } });
 */
export function socketDeadlines(keepAliveMs: number, lost: () => void): SocketDeadlines {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const clear = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const arm = (ms: number) => {
    clear();
    timer = setTimeout(() => {
      timer = null;
      lost();
    }, ms);
    (timer as { unref?: () => void }).unref?.();
  };
  return {
    keepAlive: keepAliveMs,
    connecting: () => arm(keepAliveMs),
    connected: clear,
    ping(received) {
      // Our own ping went out (a ping the server sent is answered by graphql-ws itself).
      if (!received) arm(Math.max(500, keepAliveMs / 2));
    },
    pong(received) {
      if (received) clear();
    },
    closed: clear,
  };
}

/** Close code of a refused or expired credential: graphql-ws does not reconnect after it. */
export const UNAUTHORIZED_CLOSE_CODE = 4401;

/** Words for what ended a live subscription: a close, GraphQL errors, or an exception. */
export function describeLiveFailure(error: unknown): string {
  const closed = closeEventOf(error);
  if (closed) return `the socket closed with ${closed.code}${closed.reason ? ` (${closed.reason})` : ''}`;
  if (Array.isArray(error)) {
    return error
      .map((item: { message?: unknown; extensions?: { code?: unknown } }) => `${String(item?.message)}${item?.extensions?.code ? ` [${String(item.extensions.code)}]` : ''}`)
      .join('; ');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
