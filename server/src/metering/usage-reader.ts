import type { MikroORM } from '@mikro-orm/postgresql';
import { retryOnConnectionFault, type ChangeFeed } from '../db/index.js';
import { fromBigint } from '../validation/index.js';

const FRESH_FOR_MS = 500;
const MAX_CACHED = 100_000;

interface CachedUsage {
  value: Promise<number>;
  loadedAt: number;
}

/**
 * Reads usage counters for the entitlement read path. Values are cached for half a second and
 * dropped at once when this process counts usage, so an account's own reads see its writes;
 * usage counted by another process drops them when the change feed brings it (within
 * milliseconds), and the half second bounds staleness if it does not. Enforcement never reads
 * from here: consume checks the limit inside its SQL statement.
 */
export class UsageReader {
  /** By account and feature, then by period start. */
  private readonly cache = new Map<string, Map<number, CachedUsage>>();

  constructor(
    private readonly orm: MikroORM,
    feed: ChangeFeed,
  ) {
    feed.subscribe((change) => {
      if (change.scope === 'usage') this.forget(change.accountId, change.featureKey);
      if (change.scope === 'all') this.cache.clear();
    });
  }

  read(accountId: string, featureKey: string, periodStart: Date): Promise<number> {
    const key = `${accountId}\u0000${featureKey}`;
    const periods = this.cache.get(key);
    const cached = periods?.get(periodStart.getTime());
    const now = performance.now();
    if (cached && now - cached.loadedAt < FRESH_FOR_MS) return cached.value;
    const value = this.load(accountId, featureKey, periodStart);
    const entry = { value, loadedAt: now };
    if (!periods && this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    const target = periods ?? new Map<number, CachedUsage>();
    target.set(periodStart.getTime(), entry);
    if (!periods) this.cache.set(key, target);
    value.catch(() => {
      if (target.get(periodStart.getTime()) === entry) target.delete(periodStart.getTime());
    });
    return value;
  }

  /** The counter straight from the database, bypassing the cache (a read: retried once on a lost connection). */
  async load(accountId: string, featureKey: string, periodStart: Date): Promise<number> {
    const rows = await retryOnConnectionFault(() =>
      this.orm.em
        .fork()
        .execute<{ used: string }[]>(
          'select used from usage_counter where account_id = ? and feature_key = ? and period_start = ?',
          [accountId, featureKey, periodStart],
        ),
    );
    return rows[0] ? fromBigint(rows[0].used) : 0;
  }

  /** Forgets one account's feature in every period; called after this process counts usage. */
  forget(accountId: string, featureKey: string): void {
    this.cache.delete(`${accountId}\u0000${featureKey}`);
  }
}
