import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { GraphQLError, print } from 'graphql';
import { entitlementErrorExtensions, entitlementErrorMessage } from '../entitlement-error.js';
import type { ConsumeResult, Entitlement, PublishedPlan, UpgradeOffer } from '../tollgate-types.js';
import {
  TollgateChangePlanDocument,
  TollgateClientTokenDocument,
  TollgateCompareEntitlementsDocument,
  TollgateConsumeDocument,
  TollgateEntitlementDocument,
  TollgatePublishedPlansDocument,
  TollgateReleaseDocument,
  TollgateReportUsageDocument,
  TollgateUpgradeOffersDocument,
  TollgateUpsertAccountDocument,
} from '../generated/graphql.js';
import { LiveDecisions, type LiveOptions, type LiveStats } from './live-decisions.js';
import { ShadowQueue, type ShadowCompareOptions, type ShadowOptions, type ShadowStats } from './shadow-queue.js';
import { TrackQueue, type TrackEventOptions, type TrackOptions, type TrackStats } from './track-queue.js';
import { TollgateRequestError, TollgateUnavailableError, type TollgateErrorPayload } from './tollgate-errors.js';

/**
 * Options of {@link createTollgate}.
 *
 * @example
 * const options: TollgateOptions = { url: 'http://127.0.0.1:4000/graphql', apiKey: process.env.TOLLGATE_SERVER_KEY!, timeoutMs: 2000 };
 */
export interface TollgateOptions {
  /** Tollgate's GraphQL endpoint, such as `http://127.0.0.1:4000/graphql`. */
  url: string;
  /** A server API key (`tg_server_…`); never ship it to a browser. */
  apiKey: string;
  /**
   * The deadline of one call, retries included (default 5000 ms). A call that is safe to repeat
   * (a read, a keyed consume or release, an upsert) is tried twice within it: a hung first attempt
   * is cut at half the deadline so that the retry still gets the rest. Past the deadline the call
   * throws {@link TollgateUnavailableError}.
   */
  timeoutMs?: number;
  /** Another fetch (tests, proxies). Default: the global fetch. */
  fetch?: typeof fetch;
  /** How {@link TollgateClient.shadow} batches its comparisons. */
  shadow?: ShadowOptions;
  /** How {@link TollgateClient.track} batches usage. */
  track?: TrackOptions;
  /**
   * Live decisions: `check` answers from memory, in microseconds, from the decisions Tollgate
   * pushes over a WebSocket for every account this client has checked (`true`, or options).
   * Needs the `graphql-ws` package; without it every check goes over HTTP (and `onError` says
   * why). `consume`, `release` and the rest always go to Tollgate. Call `close()` at shutdown:
   * the sockets keep the process running.
   */
  live?: boolean | LiveOptions;
}

/**
 * A decision, marked stale when it is the last known one served while Tollgate was unreachable,
 * or (with `live`) one answered from memory while the live socket is down (within `staleAfterMs`).
 * `asOf` says when Tollgate read its inputs (with `live`, when it pushed it: it is still current).
 *
 * @example
 * const decision: CheckedEntitlement = await tollgate.check('acme', 'export_csv', { allowStale: true });
 * if (decision.stale) log.warn('Tollgate unreachable: serving the last known decision');
 */
export type CheckedEntitlement = Entitlement & { stale: boolean };

/**
 * Options of {@link TollgateClient.check}.
 *
 * @example
 * await tollgate.check('acme', 'seats', { amount: 3, allowStale: true } satisfies CheckOptions);
 */
export interface CheckOptions {
  amount?: number;
  /**
   * When Tollgate cannot be reached, answer with the last decision this process got for the same
   * question, marked `stale: true`, instead of throwing. Off by default: opt in per call. The
   * process keeps the last answers of the 10,000 questions asked most recently.
   */
  allowStale?: boolean;
}

/**
 * Options of {@link TollgateClient.consume} and {@link TollgateClient.release}.
 *
 * @example
 * await tollgate.consume('acme', 'api_calls', { amount: 10, idempotencyKey: request.id } satisfies ConsumeOptions);
 */
export interface ConsumeOptions {
  amount?: number;
  /** Make retries of one logical request count once. Default: a new random key. */
  idempotencyKey?: string;
}

/**
 * The typed client a host backend uses to talk to Tollgate. Made by {@link createTollgate}.
 *
 * @example
 * const tollgate: TollgateClient = createTollgate({ url, apiKey });
 * const { ok, entitlement, offers } = await tollgate.consume('acme', 'api_calls');
 */
export interface TollgateClient {
  /**
   * Whether `accountId` may use `feature` now (for `amount` more units). With `live`, from memory
   * once the account's decisions have arrived, else (and for what memory cannot answer) over HTTP.
   */
  check(accountId: string, feature: string, options?: CheckOptions): Promise<CheckedEntitlement>;
  /** Counts usage if the limit allows. Fails closed: throws TollgateUnavailableError, never allows silently. */
  consume(accountId: string, feature: string, options?: ConsumeOptions): Promise<ConsumeResult>;
  /** Gives units of a QUANTITY feature back. */
  release(accountId: string, feature: string, options?: ConsumeOptions): Promise<ConsumeResult>;
  /** What would unlock the request, cheapest first. */
  upgradeOffers(accountId: string, feature: string, amount?: number): Promise<UpgradeOffer[]>;
  /**
   * Throws a GraphQLError of the contract's shape (ENTITLEMENT_DENIED or LIMIT_EXCEEDED) unless
   * the account may use the feature: one line at the top of a host resolver.
   */
  requireEntitlement(accountId: string, feature: string, amount?: number): Promise<Entitlement>;
  /** Consumes, or throws LIMIT_EXCEEDED / ENTITLEMENT_DENIED when refused. */
  consumeOrThrow(accountId: string, feature: string, options?: ConsumeOptions): Promise<ConsumeResult>;
  /** Creates the account or renames it. */
  upsertAccount(accountId: string, name: string): Promise<void>;
  /** Puts the account on a plan after the host's checkout. */
  changePlan(accountId: string, plan: string, options?: { version?: number; trial?: boolean; reason?: string }): Promise<void>;
  /** A short-lived token for the account's browser. */
  createClientToken(accountId: string, ttlSeconds?: number): Promise<{ token: string; expiresAt: string }>;
  /**
   * Shadow mode: tells Tollgate what your legacy check answered, so the two can be compared on
   * real traffic before you cut over. Returns at once (void) and never throws: comparisons are
   * queued and sent in batches in the background (`compareEntitlements`), and while Tollgate is
   * unreachable they wait in a bounded queue. Read the agreement with the `shadowReport` query.
   */
  shadow(accountId: string, feature: string, legacyAllowed: boolean, options?: ShadowCompareOptions): void;
  /** What the shadow queue has sent, refused, dropped and still holds. */
  shadowStats(): ShadowStats;
  /**
   * Records usage that already happened, fire-and-forget: returns at once (void), never throws,
   * never waits. Events are batched into `reportUsage` in the background (by size and time: the
   * `track` option), each with its idempotency key and the instant it was tracked, and sent again
   * with the same keys while Tollgate is unreachable, so each counts once, in its own period. Memory
   * is bounded: when the queue is full the oldest events are dropped and counted (`trackStats()`).
   *
   * The second half of the two-phase pattern: check from memory first (`live: true`), serve, then
   * track. Tracked usage is not enforced at the instant of the call: with overage BLOCK Tollgate
   * refuses what does not fit, but until the counter reaches the process, `check` may allow about
   * (rate × (flushIntervalMs + the push delay)) more; use `consume` where a hard limit must hold
   * per request.
   *
   * @example
   * if ((await tollgate.check(accountId, 'api_calls')).allowed) {
   *   const answer = await handle(request);
   *   tollgate.track(accountId, 'api_calls', 1, { idempotencyKey: request.id });
   *   return answer;
   * }
   */
  track(accountId: string, feature: string, amount?: number, options?: TrackEventOptions): void;
  /**
   * What `track()` has sent, had refused, dropped and still holds.
   *
   * @example
   * const { queued, accepted, dropped } = tollgate.trackStats();
   */
  trackStats(): TrackStats;
  /**
   * Sends the queued shadow comparisons and tracked usage now. Never rejects: if Tollgate is
   * unreachable they stay queued (and `onError` hears why). For tests, and before a report.
   */
  flush(): Promise<void>;
  /**
   * Sends the queued shadow comparisons and tracked usage and stops their timers, and closes the
   * live decisions' sockets: call it at shutdown. Every other call keeps working (checks then go
   * over HTTP); later `shadow()` and `track()` calls are not sent.
   */
  close(): Promise<void>;
  /**
   * What live decisions are doing: accounts kept, sockets, pushes, checks answered from memory.
   *
   * @example
   * const { status, accounts, fromMemory } = tollgate.liveStats();
   */
  liveStats(): LiveStats;
  /**
   * Every published plan's newest version (no drafts), as the pricing table shows them, with the
   * Stripe prices of each (`billingPriceIds`): what a checkout reads to know what to charge.
   *
   * @example
   * const plan = (await tollgate.publishedPlans()).find((candidate) => candidate.key === 'pro');
   * await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: plan!.billingPriceIds[0], quantity: 1 }], ... });
   */
  publishedPlans(): Promise<PublishedPlan[]>;
}

/**
 * The Node client for host backends. Every call has one deadline (`timeoutMs`, retries included);
 * an unreachable or hung Tollgate ends in {@link TollgateUnavailableError}, and a refused server key
 * in {@link TollgateRequestError} with `code: 'UNAUTHENTICATED'`.
 *
 * @example
 * const tollgate = createTollgate({ url: process.env.TOLLGATE_URL!, apiKey: process.env.TOLLGATE_SERVER_KEY!, timeoutMs: 2000 });
 * await tollgate.requireEntitlement(user.accountId, 'export_csv'); // throws ENTITLEMENT_DENIED when not allowed
 */
export function createTollgate(options: TollgateOptions): TollgateClient {
  const send = transport(options);
  const lastKnown = new Map<string, Entitlement>();
  const live = options.live ? new LiveDecisions(options.url, options.apiKey, options.live === true ? {} : options.live) : null;
  // One attempt per batch: a retry after a lost answer could record the same comparisons twice.
  const shadowQueue = new ShadowQueue(async (inputs) => (await send(TollgateCompareEntitlementsDocument, { inputs })).compareEntitlements, options.shadow);
  // Tried twice per attempt like every keyed call: each event's key makes a repeated batch count once.
  const trackQueue = new TrackQueue(async (events) => (await send(TollgateReportUsageDocument, { events }, REPEATABLE)).reportUsage, options.track);

  async function check(accountId: string, feature: string, checkOptions: CheckOptions = {}): Promise<CheckedEntitlement> {
    const remembered = live?.answer(accountId, feature, checkOptions.amount);
    if (remembered) return { ...remembered.entitlement, stale: remembered.stale };
    const cacheKey = JSON.stringify([accountId, feature, checkOptions.amount ?? null]);
    try {
      const { entitlement } = await send(TollgateEntitlementDocument, { accountId, feature, amount: checkOptions.amount ?? null }, REPEATABLE);
      live?.remember(accountId, checkOptions.amount === undefined || checkOptions.amount === null ? entitlement : null);
      // Bounded, oldest answer first out: a backend asks about any number of accounts.
      lastKnown.delete(cacheKey);
      lastKnown.set(cacheKey, entitlement);
      if (lastKnown.size > MAX_LAST_KNOWN) lastKnown.delete(lastKnown.keys().next().value!);
      return { ...entitlement, stale: false };
    } catch (error) {
      const last = newest(lastKnown.get(cacheKey), live?.lastKnown(accountId, feature, checkOptions.amount));
      if (error instanceof TollgateUnavailableError && checkOptions.allowStale && last) return { ...last, stale: true };
      throw error;
    }
  }

  async function consume(accountId: string, feature: string, consumeOptions: ConsumeOptions = {}): Promise<ConsumeResult> {
    const input = { accountId, feature, amount: consumeOptions.amount ?? 1, idempotencyKey: consumeOptions.idempotencyKey ?? randomUUID() };
    // The key makes a retry safe: if the first attempt was counted, the retry only replays it.
    return (await send(TollgateConsumeDocument, { input }, REPEATABLE)).consume;
  }

  return {
    check,
    consume,
    async release(accountId, feature, consumeOptions = {}) {
      const input = { accountId, feature, amount: consumeOptions.amount ?? 1, idempotencyKey: consumeOptions.idempotencyKey ?? randomUUID() };
      return (await send(TollgateReleaseDocument, { input }, REPEATABLE)).release;
    },
    async upgradeOffers(accountId, feature, amount) {
      return (await send(TollgateUpgradeOffersDocument, { accountId, feature, amount: amount ?? null }, REPEATABLE)).upgradeOffers;
    },
    async requireEntitlement(accountId, feature, amount) {
      const decision = await check(accountId, feature, { amount });
      if (!decision.allowed) throw entitlementError(decision, amount);
      return decision;
    },
    async consumeOrThrow(accountId, feature, consumeOptions = {}) {
      const result = await consume(accountId, feature, consumeOptions);
      if (!result.ok) throw entitlementError(result.entitlement, consumeOptions.amount ?? 1);
      return result;
    },
    async upsertAccount(accountId, name) {
      await send(TollgateUpsertAccountDocument, { input: { id: accountId, name, metadata: null } }, REPEATABLE);
    },
    async changePlan(accountId, plan, planOptions = {}) {
      await send(TollgateChangePlanDocument, {
        input: {
          accountId, plan, version: planOptions.version ?? null, trial: planOptions.trial ?? null, allowTrialRestart: null, at: null, pinned: null,
          reason: planOptions.reason ?? null, prorationBehavior: null, idempotencyKey: null,
        },
      });
    },
    async createClientToken(accountId, ttlSeconds) {
      return (await send(TollgateClientTokenDocument, { accountId, ttlSeconds: ttlSeconds ?? null })).createClientToken;
    },
    shadow(accountId, feature, legacyAllowed, shadowOptions) {
      shadowQueue.add(accountId, feature, legacyAllowed, shadowOptions);
    },
    shadowStats: () => shadowQueue.snapshot(),
    track(accountId, feature, amount = 1, trackOptions) {
      trackQueue.add(accountId, feature, amount, trackOptions);
    },
    trackStats: () => trackQueue.snapshot(),
    async flush() {
      await Promise.all([shadowQueue.flush(), trackQueue.flush()]);
    },
    async close() {
      await Promise.all([shadowQueue.close(), trackQueue.close(), live?.close()]);
    },
    liveStats: () =>
      live?.stats() ?? { status: 'off', accounts: 0, maxAccounts: 0, synced: 0, sockets: 0, connected: 0, pushes: 0, fromMemory: 0 },
    async publishedPlans() {
      return (await send(TollgatePublishedPlansDocument, {}, REPEATABLE)).publishedPlans;
    },
  };
}

/**
 * The GraphQLError of the contract for a refused decision, for a host's own resolvers.
 *
 * @example
 * if (!decision.allowed) throw entitlementError(decision);
 */
export function entitlementError(
  decision: Pick<Entitlement, 'accountId' | 'feature' | 'featureName' | 'reason' | 'limit' | 'used' | 'requested'>,
  requested?: number,
): GraphQLError {
  const extensions = entitlementErrorExtensions(decision, requested);
  return new GraphQLError(entitlementErrorMessage(extensions, decision.featureName), { extensions: { ...extensions } });
}

/** Of two answers to one question, the one made later (asOf), or the only one. */
function newest(a: Entitlement | undefined, b: Entitlement | undefined): Entitlement | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b.asOf) > Date.parse(a.asOf) ? b : a;
}

/** Questions whose last answer `allowStale` can give (about 1 KiB each). */
const MAX_LAST_KNOWN = 10_000;

/** Attempts of a call that is safe to repeat: a read, a keyed consume or release, an upsert. */
const REPEATABLE = 2;

type Send = <T, V>(document: TypedDocumentNode<T, V>, variables: V, attempts?: number) => Promise<T>;

/** Why one attempt got no usable answer; the call turns it into a TollgateUnavailableError. */
class Unreachable extends Error {}

/**
 * Sends one operation with a deadline for the whole call: `attempts` tries, each cut at an equal
 * share of the time left, so a hung first try still leaves the retry its share and the call never
 * outlasts `timeoutMs`. Only unavailability is retried; Tollgate's answers never are.
 */
function transport(options: TollgateOptions): Send {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 5000;
  const printed = new WeakMap<object, string>();
  return async function send<T, V>(document: TypedDocumentNode<T, V>, variables: V, attempts = 1): Promise<T> {
    let query = printed.get(document);
    if (!query) {
      query = print(document);
      printed.set(document, query);
    }
    const body = JSON.stringify({ query, variables });
    const deadline = performance.now() + timeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      const share = Math.floor((deadline - performance.now()) / (attempts - attempt + 1));
      try {
        return await sendOnce<T>(fetchImpl, options, body, Math.max(1, share));
      } catch (error) {
        if (!(error instanceof Unreachable)) throw error;
        if (attempt < attempts && deadline - performance.now() >= 1) continue;
        const tries = attempts === 1 ? '' : `${attempt} attempt${attempt === 1 ? '' : 's'} within the ${timeoutMs} ms deadline; last: `;
        throw new TollgateUnavailableError(`Tollgate did not answer (${tries}${error.message}).`, { cause: error.cause });
      }
    }
  };
}

/** One HTTP request, aborted after `timeoutMs` (the abort also covers reading the body). */
async function sendOnce<T>(fetchImpl: typeof fetch, options: TollgateOptions, body: string, timeoutMs: number): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new Unreachable(failure(error, timeoutMs), { cause: error });
  }
  if (response.status >= 500) throw new Unreachable(`HTTP ${response.status}`);
  let payload: { data?: T; errors?: TollgateErrorPayload[] };
  try {
    payload = JSON.parse(text) as typeof payload;
  } catch (error) {
    // A refused credential is never "unavailable", whatever a proxy put in the body.
    if (response.status === 401) throw new TollgateRequestError([{ message: text.slice(0, 200), extensions: { code: 'UNAUTHENTICATED' } }], 401);
    throw new Unreachable(`a response that is not JSON, HTTP ${response.status}`, { cause: error });
  }
  if (payload.errors?.length) throw new TollgateRequestError(payload.errors, response.status);
  return payload.data as T;
}

/** A fetch failure in words: the timeout, or the network error under undici's "fetch failed". */
function failure(error: unknown, timeoutMs: number): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer after ${timeoutMs} ms`;
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
