import type { Principal } from '../access/index.js';
import type { Clock } from '../clock.js';
import type { Change, ChangeFeed } from '../db/index.js';
import type { CheckedEntitlement, EntitlementsService } from '../entitlements/index.js';
import { fireAt, type Timers } from './boundary-timer.js';
import { LatestOnlyIterator } from './latest-only-iterator.js';
import { tooManySubscriptions } from './live.errors.js';
import { nextDecisionChange } from './next-decision-change.js';

/** One push: every decision of one account, as they stood at `at`. */
export interface EntitlementsChange {
  accountId: string;
  /** When the decisions' inputs were read; never earlier than the previous push's for the account. */
  at: Date;
  entitlements: CheckedEntitlement[];
}

/** The bounds and pacing of live updates (from the config), and how many accounts are recomputed at once. */
export interface LiveSettings {
  coalesceMs: number;
  maxSubscriptions: number;
  maxSubscriptionsPerKey: number;
  /** Accounts recomputed at once when one change touches many (a catalog change); the rest wait their turn. */
  concurrency: number;
}

/** How a failed recomputation is reported (the server's logger). */
export type LiveErrorLog = (error: unknown, accountId: string) => void;

/** After a failed recomputation (the database away), the account is tried again this much later. */
const RETRY_AFTER_MS = 1000;

/** Everything held for one watched account: its subscribers, its pacing and its boundary timer. */
interface AccountWatch {
  accountId: string;
  subscribers: Set<LatestOnlyIterator<EntitlementsChange>>;
  /** The first computation, which every early subscriber awaits (and whose error it answers with). */
  ready: Promise<void>;
  /** Settles `ready`; null once it has. */
  settleReady: ((error?: unknown) => void) | null;
  /** The last state pushed; null until the first computation ends. */
  latest: EntitlementsChange | null;
  /** Something changed since the current (or last) computation read its inputs. */
  dirty: boolean;
  computing: boolean;
  queued: boolean;
  /** Monotonic time (Timers.now) before which the next computation may not start (coalescing, retry). */
  notBefore: number;
  coalesceTimer: unknown;
  cancelBoundary: (() => void) | null;
}

/**
 * Live entitlements: turns changes (from this process or, through the change feed, any other)
 * and timed boundaries into pushes of an account's decisions to its subscribers.
 *
 * Per watched account: one computation at a time; at most one push per `coalesceMs`, the first
 * at once, and a change that lands during a computation or a pause is never lost (the account
 * is marked dirty and computed again, so the latest state is always delivered); one timer for
 * the next instant its decisions change by themselves (see {@link nextDecisionChange}), armed
 * again after every push. Subscribers read through {@link LatestOnlyIterator}s, so memory per
 * subscriber is one message whatever its pace. Every structure is bounded by the number of
 * subscriptions, which `maxSubscriptions` and `maxSubscriptionsPerKey` bound.
 */
export class LiveEntitlements {
  private readonly accounts = new Map<string, AccountWatch>();
  private readonly perKey = new Map<string, number>();
  private total = 0;
  private running = 0;
  /** Accounts waiting for a computation slot, in arrival order. */
  private readonly waiting = new Set<AccountWatch>();
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(
    private readonly entitlements: EntitlementsService,
    feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly timers: Timers,
    private readonly settings: LiveSettings,
    private readonly logError: LiveErrorLog = () => {},
  ) {
    this.unsubscribe = feed.subscribe((change) => this.changed(change));
  }

  /** Active subscriptions in this process. */
  get subscriptions(): number {
    return this.total;
  }

  /** Accounts with at least one subscriber in this process. */
  get watchedAccounts(): number {
    return this.accounts.size;
  }

  /**
   * Subscribes to one account's decisions: the first value is the current state, then one after
   * every change. The caller has checked that `principal` may read the account. Refused with
   * TOO_MANY_SUBSCRIPTIONS past a bound, and with ACCOUNT_NOT_FOUND (or the database's error)
   * when the first computation fails.
   */
  async watch(principal: Exclude<Principal, { kind: 'anonymous' }>, accountId: string): Promise<AsyncIterableIterator<EntitlementsChange>> {
    if (this.closed) throw new Error('live updates are shutting down');
    const key = keyOf(principal);
    const held = this.perKey.get(key) ?? 0;
    if (this.total >= this.settings.maxSubscriptions) throw tooManySubscriptions('server', this.settings.maxSubscriptions);
    if (held >= this.settings.maxSubscriptionsPerKey) throw tooManySubscriptions('key', this.settings.maxSubscriptionsPerKey);
    // Counted before the first await, so a burst of subscribes cannot pass a bound together.
    this.perKey.set(key, held + 1);
    this.total += 1;

    let watch = this.accounts.get(accountId);
    if (!watch) {
      watch = this.open(accountId);
      this.accounts.set(accountId, watch);
      this.schedule(watch);
    }
    const subscriber: LatestOnlyIterator<EntitlementsChange> = new LatestOnlyIterator(() => {
      this.release(key);
      watch.subscribers.delete(subscriber);
      if (watch.subscribers.size === 0) this.dispose(watch);
    });
    watch.subscribers.add(subscriber);
    try {
      await watch.ready;
    } catch (error) {
      subscriber.end();
      throw error;
    }
    // A subscriber that joined a watched account starts from its last state at once; if a change
    // is pending, that computation's push follows.
    if (!subscriber.offered && watch.latest) subscriber.put(watch.latest);
    return subscriber;
  }

  /** Ends every subscription (their clients get `complete`) and stops listening; for shutdown. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
    for (const watch of [...this.accounts.values()]) {
      for (const subscriber of [...watch.subscribers]) subscriber.end();
    }
  }

  private open(accountId: string): AccountWatch {
    let settle!: (error?: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    // Awaited by subscribers; an unawaited rejection must not crash the process.
    ready.catch(() => {});
    return {
      accountId,
      subscribers: new Set(),
      ready,
      settleReady: settle,
      latest: null,
      dirty: true,
      computing: false,
      queued: false,
      notBefore: 0,
      coalesceTimer: null,
      cancelBoundary: null,
    };
  }

  private changed(change: Change): void {
    if (change.scope === 'account' || change.scope === 'usage') {
      const watch = this.accounts.get(change.accountId);
      if (watch) this.markDirty(watch);
    } else if (change.scope === 'accounts') {
      // A plan migration's batch: only the watched accounts among them.
      for (const accountId of change.accountIds) {
        const watch = this.accounts.get(accountId);
        if (watch) this.markDirty(watch);
      }
    } else if (change.scope === 'catalog' || change.scope === 'all') {
      for (const watch of this.accounts.values()) this.markDirty(watch);
    }
  }

  private markDirty(watch: AccountWatch): void {
    watch.dirty = true;
    this.schedule(watch);
  }

  /** Starts the account's next computation now, or when its pause ends, unless one is already on its way. */
  private schedule(watch: AccountWatch): void {
    if (watch.computing || watch.queued || watch.coalesceTimer !== null || this.accounts.get(watch.accountId) !== watch) return;
    const wait = watch.notBefore - this.timers.now();
    if (wait > 0) {
      watch.coalesceTimer = this.timers.set(() => {
        watch.coalesceTimer = null;
        this.enqueue(watch);
      }, wait);
    } else {
      this.enqueue(watch);
    }
  }

  private enqueue(watch: AccountWatch): void {
    if (this.accounts.get(watch.accountId) !== watch) return;
    if (this.running < this.settings.concurrency) {
      void this.compute(watch);
    } else {
      watch.queued = true;
      this.waiting.add(watch);
    }
  }

  private async compute(watch: AccountWatch): Promise<void> {
    this.running += 1;
    watch.computing = true;
    watch.dirty = false;
    try {
      const decided = await this.entitlements.decideAll(watch.accountId);
      if (this.accounts.get(watch.accountId) !== watch) return;
      const previous = watch.latest?.at;
      const at = previous && previous > decided.asOf ? previous : decided.asOf;
      const change: EntitlementsChange = { accountId: watch.accountId, at, entitlements: decided.entitlements };
      watch.latest = change;
      watch.notBefore = this.timers.now() + this.settings.coalesceMs;
      for (const subscriber of watch.subscribers) subscriber.put(change);
      watch.cancelBoundary?.();
      const next = nextDecisionChange(decided, decided.asOf);
      watch.cancelBoundary = next
        ? fireAt(next, this.clock, this.timers, () => {
            watch.cancelBoundary = null;
            this.markDirty(watch);
          })
        : null;
      this.settle(watch);
    } catch (error) {
      if (watch.settleReady) {
        // The first computation failed (unknown account, database away): every subscriber so
        // far is answered with its error, and the watch goes with them.
        this.settle(watch, error);
        return;
      }
      this.logError(error, watch.accountId);
      watch.dirty = true;
      watch.notBefore = this.timers.now() + RETRY_AFTER_MS;
    } finally {
      watch.computing = false;
      this.running -= 1;
      if (watch.dirty) this.schedule(watch);
      this.next();
    }
  }

  /** Gives a freed computation slot to the account that has waited longest. */
  private next(): void {
    while (this.running < this.settings.concurrency && this.waiting.size > 0) {
      const watch = this.waiting.values().next().value!;
      this.waiting.delete(watch);
      watch.queued = false;
      if (this.accounts.get(watch.accountId) === watch) void this.compute(watch);
    }
  }

  private settle(watch: AccountWatch, error?: unknown): void {
    const settle = watch.settleReady;
    watch.settleReady = null;
    settle?.(error);
  }

  private release(key: string): void {
    this.total -= 1;
    const held = (this.perKey.get(key) ?? 1) - 1;
    if (held > 0) this.perKey.set(key, held);
    else this.perKey.delete(key);
  }

  /** Forgets an account nobody watches any more: its timers, its place in the queue. */
  private dispose(watch: AccountWatch): void {
    if (this.accounts.get(watch.accountId) === watch) this.accounts.delete(watch.accountId);
    if (watch.coalesceTimer !== null) this.timers.clear(watch.coalesceTimer);
    watch.coalesceTimer = null;
    watch.cancelBoundary?.();
    watch.cancelBoundary = null;
    this.waiting.delete(watch);
    watch.queued = false;
    // Nobody waits for a first state that will never be pushed.
    this.settle(watch, new Error('The live subscription ended before its first state was read.'));
  }
}

/**
 * Whose subscriptions count together against `maxSubscriptionsPerKey`: one API key's (the
 * bootstrap admin secret is one key), or all client tokens of one account (a browser mints a
 * new token every few minutes; its subscriptions are still the account's).
 */
function keyOf(principal: Exclude<Principal, { kind: 'anonymous' }>): string {
  switch (principal.kind) {
    case 'admin':
    case 'server':
      return `key:${principal.keyId ?? 'bootstrap-admin'}`;
    case 'client':
      return `client:${principal.accountId}`;
    case 'operator':
      return `operator:${principal.operatorId}`;
  }
}
