import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { Clock } from '../clock.js';
import { accountNotFound } from '../entitlements/index.js';
import { badUserInput } from '../validation/index.js';

/** One UTC day of an account's usage of a feature, from the usage ledger. */
export interface UsageDayView {
  /** Midnight UTC that starts the day. */
  day: Date;
  /** Units consumed and reported that day (CONSUME and REPORT rows, by when they happened). */
  counted: number;
  /** Units given back that day (RELEASE rows). */
  released: number;
  /** Ledger rows that day, setUsage corrections included. */
  events: number;
}

/** Days a history may span: a month's chart, a quarter at most. */
export const USAGE_HISTORY_MAX_DAYS = 90;

const DAY_MS = 86_400_000;

/**
 * Reads the usage ledger per UTC day for the console's 30-day chart. The ledger is append-only and
 * every counted request leaves exactly one row, so the sums are what was counted, retries once.
 * Kept apart from metering.service.ts: a read model of the ledger, not a way to count.
 */
export class UsageHistoryReader {
  constructor(
    private readonly orm: MikroORM,
    private readonly clock: Clock,
  ) {}

  /**
   * The last `days` UTC days (today included), oldest first, a row for every day (0 where nothing
   * happened). Unknown account or feature: ACCOUNT_NOT_FOUND or UNKNOWN_FEATURE.
   */
  async daily(accountId: string, feature: string, days: number): Promise<UsageDayView[]> {
    if (!Number.isInteger(days) || days < 1 || days > USAGE_HISTORY_MAX_DAYS) {
      throw badUserInput([{ path: 'days', message: `must be a whole number from 1 to ${USAGE_HISTORY_MAX_DAYS}` }]);
    }
    const em = this.orm.em.fork();
    const [known] = await em.execute<{ account: boolean; feature: boolean }[]>(
      'select exists(select 1 from account where id = ?) as account, exists(select 1 from feature where key = ?) as feature',
      [accountId, feature],
    );
    if (!known.account) throw accountNotFound(accountId);
    if (!known.feature) {
      // The catalog's UNKNOWN_FEATURE, in its words (metering does not depend on the catalog domain).
      throw new GraphQLError(`Unknown feature "${feature}". Create it with createFeature or check the key's spelling.`, {
        extensions: { code: 'UNKNOWN_FEATURE', feature },
      });
    }
    const today = Math.floor(this.clock().getTime() / DAY_MS) * DAY_MS;
    const first = new Date(today - (days - 1) * DAY_MS);
    const end = new Date(today + DAY_MS);
    // One range scan of (account_id, feature_key, occurred_at); the days are summed in JavaScript so
    // that every day appears, with no generate_series time-zone rules to get wrong.
    const rows = await em.execute<{ day: Date | string; kind: string; amount: string | number; events: string | number }[]>(
      `select date_trunc('day', occurred_at at time zone 'UTC') as day, kind, sum(amount) as amount, count(*) as events
         from usage_event
        where account_id = ? and feature_key = ? and occurred_at >= ? and occurred_at < ?
        group by 1, 2`,
      [accountId, feature, first, end],
    );
    const byDay = new Map<number, UsageDayView>();
    for (let time = first.getTime(); time < end.getTime(); time += DAY_MS) {
      byDay.set(time, { day: new Date(time), counted: 0, released: 0, events: 0 });
    }
    for (const row of rows) {
      // `timestamp without time zone` comes back as local time text or a Date read as local: take its UTC fields.
      const day = typeof row.day === 'string' ? Date.parse(`${row.day.slice(0, 10)}T00:00:00Z`) : Date.UTC(row.day.getFullYear(), row.day.getMonth(), row.day.getDate());
      const entry = byDay.get(day);
      if (!entry) continue;
      const amount = Number(row.amount);
      if (row.kind === 'CONSUME' || row.kind === 'REPORT') entry.counted += amount;
      else if (row.kind === 'RELEASE') entry.released += amount;
      entry.events += Number(row.events);
    }
    return [...byDay.values()];
  }
}
