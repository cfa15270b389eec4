import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { retryOnConnectionFault, type ChangeFeed } from '../db/index.js';
import type { AccountState, CatalogSnapshot } from './evaluation-input.js';

const MAX_CACHED_ACCOUNTS = 50_000;
/** The oldest a cached read may be when nothing says otherwise (the config's TOLLGATE_CACHE_MAX_AGE_MS). */
const DEFAULT_MAX_AGE_MS = 30_000;

/** A cached load and when it began (performance.now()). */
interface Cached<T> {
  value: Promise<T>;
  loadedAt: number;
}

/**
 * How the read model loads what it caches. The catalog and accounts domains own these reads;
 * the composition root hands them in, so entitlements depends on neither.
 */
export interface ReadModelLoaders {
  catalogSnapshot(em: EntityManager): Promise<CatalogSnapshot>;
  /** null when no such account exists. */
  accountState(em: EntityManager, accountId: string, now: Date): Promise<AccountState | null>;
}

/**
 * The hot read path's lean model: the catalog and account states, held in memory and dropped
 * the moment a change is announced by this or any other process.
 *
 * Loads are cached as promises and an invalidation deletes the promise itself, so a load that
 * began before a change can never be stored as the answer for reads after it. While the change
 * feed is not live (PostgreSQL LISTEN reconnecting) nothing is cached. Whatever the feed says,
 * nothing cached is older than `maxAgeMs` (at most 30 s): a feed whose link died silently is
 * found by its heartbeat within seconds, and until then this bounds how stale a read can be.
 */
export class EntitlementReadModel {
  private catalog: Cached<CatalogSnapshot> | null = null;
  private readonly accounts = new Map<string, Cached<AccountState | null>>();
  private readonly maxAgeMs: number;

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly loaders: ReadModelLoaders,
    options: { maxAgeMs?: number } = {},
  ) {
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    feed.subscribe((change) => {
      if (change.scope === 'catalog' || change.scope === 'all') this.catalog = null;
      if (change.scope === 'account') this.accounts.delete(change.accountId);
      if (change.scope === 'accounts') for (const accountId of change.accountIds) this.accounts.delete(accountId);
      if (change.scope === 'all') this.accounts.clear();
    });
  }

  catalogSnapshot(): Promise<CatalogSnapshot> {
    const now = performance.now();
    if (this.catalog && now - this.catalog.loadedAt < this.maxAgeMs) return this.catalog.value;
    const loading = retryOnConnectionFault(() => this.loaders.catalogSnapshot(this.orm.em.fork()));
    if (this.feed.live) {
      const entry = { value: loading, loadedAt: now };
      this.catalog = entry;
      loading.catch(() => {
        if (this.catalog === entry) this.catalog = null;
      });
    } else {
      this.catalog = null;
    }
    return loading;
  }

  /** The account's state, or null when no such account exists (never cached). */
  accountState(accountId: string): Promise<AccountState | null> {
    const now = performance.now();
    const cached = this.accounts.get(accountId);
    if (cached && now - cached.loadedAt < this.maxAgeMs) return cached.value;
    // Deleted first, so a reload goes to the end of the insertion order (the oldest is evicted first).
    if (cached) this.accounts.delete(accountId);
    const loading = retryOnConnectionFault(() => this.loaders.accountState(this.orm.em.fork(), accountId, this.clock()));
    if (this.feed.live) {
      if (this.accounts.size >= MAX_CACHED_ACCOUNTS) {
        // Maps iterate in insertion order: drop the oldest entry.
        this.accounts.delete(this.accounts.keys().next().value!);
      }
      const entry = { value: loading, loadedAt: now };
      this.accounts.set(accountId, entry);
      const forget = () => {
        if (this.accounts.get(accountId) === entry) this.accounts.delete(accountId);
      };
      loading.then((state) => { if (!state) forget(); }, forget);
    }
    return loading;
  }
}
