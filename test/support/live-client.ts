import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { ReceivedError } from './graphql-client.js';

/** An Entitlement as a live push carries it (the fields the tests select). */
export interface PushedEntitlement {
  feature: string;
  allowed: boolean;
  reason: string;
  limit: number | null;
  used: number;
  remaining: number | null;
  expiresAt: string | null;
  resetsAt: string | null;
  plan: { key: string; version: number } | null;
  asOf: string;
}

/** One `entitlementsChanged` push, with when it arrived (performance.now(), and the wall clock's Date.now()). */
export interface Push {
  accountId: string;
  at: string;
  entitlements: PushedEntitlement[];
  receivedAt: number;
  receivedWallAt: number;
}

/** The selection every test subscribes with. */
export const ENTITLEMENTS_CHANGED = `subscription ($accountId: ID!) {
  entitlementsChanged(accountId: $accountId) {
    accountId at
    entitlements { feature allowed reason limit used remaining expiresAt resetsAt plan { key version } asOf }
  }
}`;

/** How a socket was closed, and when the client saw it (Date.now()). */
export interface Closed {
  code: number;
  reason: string;
  at: number;
}

/** One subscription, with every push it received and a way to wait for the next ones. */
export interface LiveSubscription {
  pushes: Push[];
  /** Errors the server answered the subscription with (refusals). */
  errors: ReceivedError[];
  /**
   * Resolves with the first push (already received or still to come) that satisfies `accept`;
   * rejects when none has arrived within `timeoutMs`. A deadline, never a sleep.
   */
  until(accept: (push: Push) => boolean, timeoutMs?: number, label?: string): Promise<Push>;
  /** Resolves once the server answered with errors or completed the subscription. */
  settled(timeoutMs?: number): Promise<void>;
  unsubscribe(): void;
}

/** A graphql-ws client (the real package, over `ws`) bound to one credential. */
export interface LiveClient {
  client: Client;
  subscribe(accountId: string, query?: string): LiveSubscription;
  /** Resolves with the socket's close code and reason when the server closes it. */
  closed(timeoutMs?: number): Promise<Closed>;
  dispose(): Promise<void>;
}

/**
 * Opens a GraphQL-over-WebSocket client to a Tollgate server, as a browser or a backend would,
 * sending `Bearer <credential>` in connectionParams (none when null: `headers` may then carry a
 * session cookie). It never retries, so a close is final and visible to the test.
 */
export function liveClient(graphqlUrl: string, credential: string | null, headers?: Record<string, string>): LiveClient {
  let closedWith: Closed | null = null;
  const closeWaiters: ((closed: Closed) => void)[] = [];
  // Headers on the upgrade request, as a browser sends its cookies and Origin (the console's session).
  const webSocketImpl = headers
    ? class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      }
    : WebSocket;
  const client = createClient({
    url: graphqlUrl.replace(/^http/, 'ws'),
    webSocketImpl,
    connectionParams: credential === null ? {} : { authorization: `Bearer ${credential}` },
    retryAttempts: 0,
    lazy: true,
    on: {
      closed(event) {
        const { code, reason } = event as { code: number; reason: string | Buffer };
        closedWith = { code, reason: String(reason), at: Date.now() };
        for (const resolve of closeWaiters.splice(0)) resolve(closedWith);
      },
    },
  });

  return {
    client,
    subscribe(accountId, query = ENTITLEMENTS_CHANGED) {
      const pushes: Push[] = [];
      const errors: ReceivedError[] = [];
      let done = false;
      const listeners = new Set<() => void>();
      const wake = () => {
        for (const listener of [...listeners]) listener();
      };
      const unsubscribe = client.subscribe<Record<string, Omit<Push, 'receivedAt' | 'receivedWallAt'>>>(
        { query, variables: { accountId } },
        {
          next(result) {
            if (result.errors?.length) errors.push(...(result.errors as ReceivedError[]));
            // The subscription's one root field (entitlementsChanged, or another a test names).
            const pushed = result.data ? Object.values(result.data)[0] : null;
            if (pushed) pushes.push({ ...pushed, receivedAt: performance.now(), receivedWallAt: Date.now() });
            wake();
          },
          error(error) {
            if (Array.isArray(error)) errors.push(...(error as ReceivedError[]));
            else errors.push({ message: String((error as { reason?: string }).reason ?? error) });
            done = true;
            wake();
          },
          complete() {
            done = true;
            wake();
          },
        },
      );
      const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> =>
        new Promise((resolve, reject) => {
          const attempt = () => {
            const found = check();
            if (found === undefined) return false;
            listeners.delete(attempt);
            clearTimeout(timer);
            resolve(found);
            return true;
          };
          const timer = setTimeout(() => {
            listeners.delete(attempt);
            reject(new Error(`${what()} within ${timeoutMs} ms`));
          }, timeoutMs);
          if (!attempt()) listeners.add(attempt);
        });
      return {
        pushes,
        errors,
        until(accept, timeoutMs = 1000, label = 'the expected push') {
          return waitFor(
            () => pushes.find(accept),
            timeoutMs,
            () => `no push matched ${label} (${pushes.length} received, errors ${JSON.stringify(errors)}, last ${JSON.stringify(pushes.at(-1))})`,
          );
        },
        settled(timeoutMs = 1000) {
          return waitFor(() => (done || errors.length ? true : undefined), timeoutMs, () => 'the subscription was neither refused nor completed');
        },
        unsubscribe,
      };
    },
    closed(timeoutMs = 2000) {
      if (closedWith) return Promise.resolve(closedWith);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the server did not close the socket within ${timeoutMs} ms`)), timeoutMs);
        closeWaiters.push((closed) => {
          clearTimeout(timer);
          resolve(closed);
        });
      });
    },
    async dispose() {
      await client.dispose();
    },
  };
}

/** The pushed decision about one feature. */
export function decisionOf(push: Push, feature: string): PushedEntitlement {
  const found = push.entitlements.find((entitlement) => entitlement.feature === feature);
  if (!found) throw new Error(`the push has no decision about ${feature}`);
  return found;
}
