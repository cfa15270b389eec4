import type { Client } from 'graphql-ws';
import { print } from 'graphql';
import { TollgateEntitlementsChangedDocument, type TollgateEntitlementsChangedSubscription } from '../generated/graphql.js';
import {
  closeEventOf,
  DEFAULT_KEEP_ALIVE_MS,
  describeLiveFailure,
  loadGraphQLWs,
  socketDeadlines,
  reconnectDelay,
  UNAUTHORIZED_CLOSE_CODE,
  webSocketUrl,
  type GraphQLWs,
} from '../live-socket.js';
import type { Entitlement } from '../tollgate-types.js';

/**
 * The `live` option of `createTollgate`: `check` answers from decisions Tollgate pushes over a
 * WebSocket instead of asking each time.
 *
 * @example
 * const tollgate = createTollgate({ url, apiKey, live: { maxAccounts: 5000, staleAfterMs: 2000, onError: (error) => log.warn(error) } });
 */
export interface LiveOptions {
  /**
   * How long decisions stay usable after the socket went down (default 5000 ms): within it
   * `check` still answers from memory (a change made meanwhile reaches it on reconnection);
   * past it `check` asks Tollgate over HTTP as without `live`, and a decision from memory is
   * only given, marked `stale: true`, when Tollgate cannot be reached and `allowStale` is set.
   */
  staleAfterMs?: number;
  /**
   * The most accounts whose decisions are kept (default 1000), each with one subscription; past
   * it the least recently checked account is dropped (and unsubscribed), so memory is bounded.
   */
  maxAccounts?: number;
  /**
   * Subscriptions per WebSocket (default 100, Tollgate's TOLLGATE_LIVE_MAX_SUBSCRIPTIONS_PER_CONNECTION):
   * more accounts open more sockets. Keep it at or below the server's setting.
   */
  subscriptionsPerSocket?: number;
  /** The WebSocket endpoint; default the `url` with `ws:` (or `wss:`) for `http:` (or `https:`). */
  url?: string;
  /**
   * Each socket pings Tollgate after this many ms of quiet (default 10,000); a pong missing for
   * half as long again means Tollgate or the link is gone without a close: its decisions are
   * then `stale` (and past `staleAfterMs` not used), and the socket reconnects.
   */
  keepAliveMs?: number;
  /** A WebSocket class (the `ws` package, say); default Node's global WebSocket (Node 22 and newer). */
  webSocketImpl?: unknown;
  /**
   * Hears what goes wrong in the background: graphql-ws not installed (checks then all go over
   * HTTP), a subscription refused or ended, a socket closed for its credential (4401). Whatever
   * it throws is ignored. Default: one console warning per kind of problem.
   */
  onError?: (error: Error) => void;
}

/**
 * What live decisions are doing, for a host's metrics and for tests.
 *
 * @example
 * const { accounts, synced, fromMemory }: LiveStats = tollgate.liveStats();
 * metrics.gauge('tollgate.live.accounts', accounts);
 */
export interface LiveStats {
  /** 'off' without the `live` option; 'starting' while graphql-ws loads; 'unavailable' when it cannot be loaded; else 'on'. */
  status: 'off' | 'starting' | 'on' | 'unavailable';
  /** Accounts whose decisions are kept (at most `maxAccounts`). */
  accounts: number;
  maxAccounts: number;
  /** Of those, the accounts whose subscription has delivered their state since its socket last connected. */
  synced: number;
  /** WebSocket clients made, and how many of them are connected now. */
  sockets: number;
  connected: number;
  /** Pushes received, and checks answered from memory, since the client was made. */
  pushes: number;
  fromMemory: number;
}

type Change = TollgateEntitlementsChangedSubscription['entitlementsChanged'];

/** One decision, with the instants that bound it as numbers (read once per push, not per check). */
interface Kept {
  entitlement: Entitlement;
  asOf: number;
  /** The earliest of expiresAt and resetsAt: from then on the server is asked until a push comes. */
  changesAt: number;
}

/** One WebSocket (a graphql-ws client) and the accounts subscribed through it. */
interface LiveSocket {
  client: Client;
  connected: boolean;
  entries: Set<AccountEntry>;
}

/** One kept account: its decisions and its subscription. */
interface AccountEntry {
  accountId: string;
  decisions: Map<string, Kept>;
  socket: LiveSocket | null;
  /** Ends the subscription; null while there is none. */
  unsubscribe: (() => void) | null;
  /** A push has arrived since the socket last (re)connected: the decisions are current. */
  synced: boolean;
  /** When the decisions stopped being current (the socket closed, the subscription ended); null while synced or before the first push. */
  lostAt: number | null;
  /** Subscriptions that ended without a push since the last one: the pause before the next grows with it. */
  attempts: number;
  retry: ReturnType<typeof setTimeout> | null;
}

const DEFAULT_STALE_AFTER_MS = 5000;
const DEFAULT_MAX_ACCOUNTS = 1000;
const DEFAULT_SUBSCRIPTIONS_PER_SOCKET = 100;
const SUBSCRIPTION = print(TollgateEntitlementsChangedDocument);

/**
 * The decisions of the accounts a backend has asked about, kept current by Tollgate's pushes
 * (`entitlementsChanged`), so that `check` answers from memory. It never evaluates anything
 * itself: an answer from memory is a decision Tollgate pushed, given only when it is exactly what
 * Tollgate would answer now (see {@link decisionForAmount}); otherwise the caller asks over HTTP.
 *
 * Bounded: at most `maxAccounts` accounts, least recently checked dropped first, each holding one
 * subscription and one decision per feature; sockets are `ceil(accounts / subscriptionsPerSocket)`.
 */
export class LiveDecisions {
  private readonly accounts = new Map<string, AccountEntry>();
  private readonly sockets: LiveSocket[] = [];
  private readonly staleAfterMs: number;
  private readonly maxAccounts: number;
  private readonly perSocket: number;
  private readonly url: string;
  private graphqlWs: GraphQLWs | null = null;
  private status: LiveStats['status'] = 'starting';
  private readonly loading: Promise<void>;
  private readonly warned = new Set<string>();
  private closed = false;
  private pushes = 0;
  private fromMemory = 0;

  constructor(
    httpUrl: string,
    private readonly apiKey: string,
    private readonly options: LiveOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.maxAccounts = Math.max(1, options.maxAccounts ?? DEFAULT_MAX_ACCOUNTS);
    this.perSocket = Math.max(1, options.subscriptionsPerSocket ?? DEFAULT_SUBSCRIPTIONS_PER_SOCKET);
    this.url = webSocketUrl(options.url ?? httpUrl);
    this.loading = loadGraphQLWs().then(({ graphqlWs, problem }) => {
      if (this.closed) return;
      if (!graphqlWs) {
        this.status = 'unavailable';
        this.report(
          'graphql-ws',
          new Error(`createTollgate({ live }) needs the graphql-ws package (npm install graphql-ws); every check goes to Tollgate over HTTP until it is installed. (${problem.message})`),
        );
        return;
      }
      this.graphqlWs = graphqlWs;
      this.status = 'on';
      for (const entry of this.accounts.values()) if (!entry.unsubscribe && !entry.retry) this.subscribe(entry);
    });
  }

  /**
   * The decision from memory, or undefined when Tollgate must be asked: the account was never
   * asked about (or was dropped), its subscription has not delivered its state, the socket has
   * been down longer than `staleAfterMs`, the decision has reached its `expiresAt` or `resetsAt`
   * (the push for that instant is on its way), the feature is not among the pushed ones, or the
   * amount needs the server's arithmetic. `stale` is true while the socket is down (a change
   * made meanwhile may not be in it): the decision was current when the socket was last live.
   */
  answer(accountId: string, feature: string, amount: number | undefined): { entitlement: Entitlement; stale: boolean } | undefined {
    const entry = this.accounts.get(accountId);
    if (entry === undefined) return undefined;
    // Least recently used first: the Map keeps insertion order.
    this.accounts.delete(accountId);
    this.accounts.set(accountId, entry);
    const now = this.now();
    if (!entry.synced && (entry.lostAt === null || now - entry.lostAt > this.staleAfterMs)) return undefined;
    const kept = entry.decisions.get(feature);
    if (kept === undefined || now >= kept.changesAt) return undefined;
    const answer = decisionForAmount(kept.entitlement, amount);
    if (!answer) return undefined;
    this.fromMemory += 1;
    return { entitlement: answer, stale: !entry.synced };
  }

  /**
   * After Tollgate answered a check over HTTP: keeps the account (subscribing to it) and, when the
   * answer was for no amount, the decision itself if it is newer than the one kept.
   */
  remember(accountId: string, decision: Entitlement | null): void {
    if (this.closed || this.status === 'unavailable') return;
    let entry = this.accounts.get(accountId);
    if (entry === undefined) {
      entry = { accountId, decisions: new Map(), socket: null, unsubscribe: null, synced: false, lostAt: null, attempts: 0, retry: null };
      this.accounts.set(accountId, entry);
      while (this.accounts.size > this.maxAccounts) {
        const [oldestId, oldest] = this.accounts.entries().next().value!;
        this.accounts.delete(oldestId);
        this.drop(oldest);
      }
    }
    if (decision) keepNewer(entry.decisions, decision);
    if (this.graphqlWs && !entry.unsubscribe && !entry.retry) this.subscribe(entry);
  }

  /** The last decision known for the question, current or not (for `allowStale` when Tollgate is unreachable). */
  lastKnown(accountId: string, feature: string, amount: number | undefined): Entitlement | undefined {
    const kept = this.accounts.get(accountId)?.decisions.get(feature);
    return (kept && decisionForAmount(kept.entitlement, amount)) ?? undefined;
  }

  stats(): LiveStats {
    let synced = 0;
    for (const entry of this.accounts.values()) if (entry.synced) synced += 1;
    return {
      status: this.status,
      accounts: this.accounts.size,
      maxAccounts: this.maxAccounts,
      synced,
      sockets: this.sockets.length,
      connected: this.sockets.filter((socket) => socket.connected).length,
      pushes: this.pushes,
      fromMemory: this.fromMemory,
    };
  }

  /** Ends every subscription and closes the sockets. */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.accounts.values()) this.drop(entry);
    this.accounts.clear();
    await this.loading;
    // graphql-ws's dispose rejects with the close of a connection attempt that was refused: closed anyway.
    await Promise.all(this.sockets.map(async (socket) => socket.client.dispose()?.catch(() => {})));
  }

  private subscribe(entry: AccountEntry): void {
    const socket = this.socketWithRoom();
    if (!socket) return;
    socket.entries.add(entry);
    entry.socket = socket;
    let ended = false;
    let refusal: unknown = null;
    const end = (error: unknown) => {
      if (ended) return;
      ended = true;
      this.ended(entry, socket, error ?? refusal);
    };
    const unsubscribe = socket.client.subscribe<TollgateEntitlementsChangedSubscription>(
      { query: SUBSCRIPTION, variables: { accountId: entry.accountId } },
      {
        next: (result) => {
          if (result.data?.entitlementsChanged) this.apply(entry, result.data.entitlementsChanged);
          else if (result.errors?.length) refusal = result.errors;
        },
        error: end,
        complete: () => end(null),
      },
    );
    entry.unsubscribe = () => {
      ended = true;
      unsubscribe();
      this.detach(entry, socket);
    };
  }

  private apply(entry: AccountEntry, change: Change): void {
    this.pushes += 1;
    entry.synced = true;
    entry.lostAt = null;
    entry.attempts = 0;
    const pushed = new Map<string, Kept>();
    for (const entitlement of change.entitlements) {
      const kept = entry.decisions.get(entitlement.feature);
      const incoming = keep(entitlement);
      // Of two answers about a decision, the later asOf is the newer state (a query may have
      // answered after the push was made).
      pushed.set(entitlement.feature, kept && kept.asOf > incoming.asOf ? kept : incoming);
    }
    entry.decisions = pushed;
  }

  /** A subscription ended (refused, completed by the server, or its socket closed for good). */
  private ended(entry: AccountEntry, socket: LiveSocket, error: unknown): void {
    this.detach(entry, socket);
    entry.unsubscribe = null;
    const refused = closeEventOf(error)?.code === UNAUTHORIZED_CLOSE_CODE;
    this.lose(entry, refused);
    if (error) {
      this.report(refused ? 'unauthorized' : `ended:${entry.accountId}`, new Error(
        `Live decisions of account "${entry.accountId}" stopped: ${describeLiveFailure(error)}. Checks of it go to Tollgate over HTTP until the subscription is back.`,
      ));
    }
    if (this.closed || this.accounts.get(entry.accountId) !== entry) return;
    // Subscribe again: at once the first time (the server completes subscriptions when it stops),
    // then after growing pauses, up to a minute, while it keeps ending without a push.
    const delay = entry.attempts === 0 ? 0 : reconnectDelay(entry.attempts - 1, 250, 60_000);
    entry.attempts += 1;
    entry.retry = setTimeout(() => {
      entry.retry = null;
      if (!this.closed && this.accounts.get(entry.accountId) === entry && !entry.unsubscribe) this.subscribe(entry);
    }, delay);
    entry.retry.unref?.();
  }

  /**
   * The decisions stop being current now: they stay usable for staleAfterMs, unless the socket
   * was closed for its credential (4401: a revoked key), after which nothing kept is used.
   */
  private lose(entry: AccountEntry, refused = false): void {
    if (refused) entry.lostAt = -Infinity;
    else if (entry.synced) entry.lostAt = this.now();
    entry.synced = false;
  }

  private detach(entry: AccountEntry, socket: LiveSocket): void {
    socket.entries.delete(entry);
    if (entry.socket === socket) entry.socket = null;
  }

  /** Forgets an account: its retry, its subscription. */
  private drop(entry: AccountEntry): void {
    if (entry.retry) clearTimeout(entry.retry);
    entry.retry = null;
    entry.unsubscribe?.();
    entry.unsubscribe = null;
  }

  /** A socket with room for one more subscription, made when none has room. */
  private socketWithRoom(): LiveSocket | null {
    const roomy = this.sockets.find((socket) => socket.entries.size < this.perSocket);
    if (roomy) return roomy;
    const socket: LiveSocket = { client: null as unknown as Client, connected: false, entries: new Set() };
    // No pong (or acknowledgement) in time: Tollgate or the link is gone without a close. Terminating the client
    // reports a close (4499, below: every decision on it stale) and graphql-ws reconnects.
    const deadline = socketDeadlines(this.options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS, () => socket.client.terminate());
    try {
      socket.client = this.graphqlWs!.createClient({
        url: this.url,
        webSocketImpl: this.options.webSocketImpl,
        connectionParams: { authorization: `Bearer ${this.apiKey}` },
        lazy: true,
        keepAlive: deadline.keepAlive,
        // Reconnect after anything but a fatal close (a refused key, 4401, is fatal): the
        // subscriptions are sent again and their first pushes bring the current state.
        retryAttempts: Infinity,
        shouldRetry: () => true,
        retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, reconnectDelay(retries, 250, 5000))),
        on: {
          connecting: deadline.connecting,
          connected: () => {
            deadline.connected();
            socket.connected = true;
          },
          ping: deadline.ping,
          pong: deadline.pong,
          closed: (event) => {
            deadline.closed();
            socket.connected = false;
            const refused = closeEventOf(event)?.code === UNAUTHORIZED_CLOSE_CODE;
            for (const entry of socket.entries) this.lose(entry, refused);
          },
        },
      });
    } catch (error) {
      // No WebSocket in this runtime (Node before 22 without webSocketImpl).
      this.status = 'unavailable';
      this.report('websocket', new Error(`createTollgate({ live }) could not open a WebSocket: ${(error as Error).message}. Every check goes to Tollgate over HTTP.`));
      return null;
    }
    this.sockets.push(socket);
    return socket;
  }

  /** Tells `onError`, or warns once per kind of problem. */
  private report(kind: string, error: Error): void {
    if (this.options.onError) {
      try {
        this.options.onError(error);
      } catch {
        // A listener's own failure must not stop live updates.
      }
      return;
    }
    const family = kind.split(':')[0]!;
    if (this.warned.has(family)) return;
    this.warned.add(family);
    console.warn(`Tollgate: ${error.message}`);
  }
}

/**
 * What Tollgate's evaluator answers for `amount` more units, derived from the decision it pushed
 * for one unit (every push is decided for the default amount, 1), or null when that cannot be
 * known from the decision alone. The evaluator's only use of the amount is
 * `allowed && limit !== null && overage === 'BLOCK' && used + amount > limit` → LIMIT_REACHED, so:
 *
 * - no amount: the pushed decision itself;
 * - an amount that is not a whole number from 1 to 2^53-1: null (Tollgate answers it with an error);
 * - refused for one unit: refused for more, with the same reason (LIMIT_REACHED already had
 *   `used + 1 > limit`; every other reason does not look at the amount);
 * - allowed with no limit, or with `used + amount <= limit`: allowed;
 * - allowed although `used + 1 > limit`: overage is ALLOW (BLOCK would have refused), so allowed;
 * - allowed for one unit but `used + amount > limit`: it depends on the overage rule, which a
 *   decision does not carry: null, ask Tollgate.
 *
 * `requested` is the amount, as the server sets it.
 */
export function decisionForAmount(decision: Entitlement, amount: number | undefined | null): Entitlement | null {
  if (amount === undefined || amount === null) return decision;
  if (!Number.isSafeInteger(amount) || amount < 1) return null;
  const { allowed, limit, used } = decision;
  if (allowed && limit !== null && used + amount > limit && used + 1 <= limit) return null;
  return { ...decision, requested: amount };
}

function keep(entitlement: Entitlement): Kept {
  const expiresAt = entitlement.expiresAt ? Date.parse(entitlement.expiresAt) : Infinity;
  const resetsAt = entitlement.resetsAt ? Date.parse(entitlement.resetsAt) : Infinity;
  return { entitlement, asOf: Date.parse(entitlement.asOf), changesAt: Math.min(expiresAt, resetsAt) };
}

function keepNewer(decisions: Map<string, Kept>, entitlement: Entitlement): void {
  const incoming = keep(entitlement);
  const kept = decisions.get(entitlement.feature);
  if (!kept || incoming.asOf >= kept.asOf) decisions.set(entitlement.feature, incoming);
}
