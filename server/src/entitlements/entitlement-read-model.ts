import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Clock } from '../clock.js';
import { retryOnConnectionFault, type ChangeFeed } from '../db/index.js';
import type { AccountState, CatalogSnapshot } from './evaluation-input.js';

const MAX_CACHED_ACCOUNTS = 50_000;

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
 * feed is not live (PostgreSQL LISTEN reconnecting) nothing is cached.
 */
export class EntitlementReadModel {
  private catalog: Promise<CatalogSnapshot> | null = null;
  private readonly accounts = new Map<string, Promise<AccountState | null>>();

  constructor(
    private readonly orm: MikroORM,
    private readonly feed: ChangeFeed,
    private readonly clock: Clock,
    private readonly loaders: ReadModelLoaders,
  ) {
    feed.subscribe((change) => {
      if (change.scope === 'catalog' || change.scope === 'all') this.catalog = null;
      if (change.scope === 'account') this.accounts.delete(change.accountId);
      if (change.scope === 'accounts') for (const accountId of change.accountIds) this.accounts.delete(accountId);
      if (change.scope === 'all') this.accounts.clear();
    });
  }

  catalogSnapshot(): Promise<CatalogSnapshot> {
    if (this.catalog) return this.catalog;
    const loading = retryOnConnectionFault(() => this.loaders.catalogSnapshot(this.orm.em.fork()));
    if (this.feed.live) {
      this.catalog = loading;
      loading.catch(() => {
        if (this.catalog === loading) this.catalog = null;
      });
    }
    return loading;
  }

  /** The account's state, or null when no such account exists (never cached). */
  accountState(accountId: string): Promise<AccountState | null> {
    const cached = this.accounts.get(accountId);
    if (cached) return cached;
    const loading = retryOnConnectionFault(() => this.loaders.accountState(this.orm.em.fork(), accountId, this.clock()));
    if (this.feed.live) {
      if (this.accounts.size >= MAX_CACHED_ACCOUNTS) {
        // Maps iterate in insertion order: drop the oldest entry.
        this.accounts.delete(this.accounts.keys().next().value!);
      }
      this.accounts.set(accountId, loading);
      const forget = () => {
        if (this.accounts.get(accountId) === loading) this.accounts.delete(accountId);
      };
      loading.then((state) => { if (!state) forget(); }, forget);
    }
    return loading;
  }
}
