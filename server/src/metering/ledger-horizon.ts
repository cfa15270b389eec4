import type { MikroORM } from '@mikro-orm/postgresql';
import { KEY_WINDOW_DAYS } from './usage-ledger.js';

/** Months of partitions kept ready ahead of the current one. */
const MONTHS_AHEAD = 2;
/** How often a running process checks its partitions (creating ahead, dropping past the horizon). */
const CHECK_EVERY_MS = 3_600_000;
const PARTITION_NAME = /^usage_event_(\d{4})_(\d{2})$/;

/** What one maintenance run did, for logs and tests. */
export interface HorizonReport {
  created: string[];
  dropped: string[];
}

/**
 * Keeps the usage ledger (`usage_event`, one partition per UTC month) within its horizon: the
 * partitions of this month and the next two exist before any row needs them, and a month whose
 * last day is more than `retentionDays` ago (and out of the idempotency key window) is dropped
 * whole: no DELETE, no bloat, and the unique index shrinks with it. Counters are another table
 * and are never touched: usage already counted stays counted.
 *
 * Runs at start (before requests) and hourly. Several processes may run it at once: creating
 * and dropping are idempotent, and a lost race is retried on the next run. Database time decides
 * the month, as it decides `ledger_month` of every row. Each DDL statement waits at most five
 * seconds for its lock (SET LOCAL, inside its own transaction), so it never queues writers for long.
 */
export class LedgerHorizon {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly orm: MikroORM,
    private readonly retentionDays: number,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  /** Runs once now, then every hour until {@link stop}. */
  async start(): Promise<HorizonReport> {
    const report = await this.maintain();
    this.timer = setInterval(() => {
      this.maintain().catch(this.onError);
    }, CHECK_EVERY_MS);
    this.timer.unref();
    return report;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Creates the missing partitions ahead and drops those past the horizon. */
  async maintain(): Promise<HorizonReport> {
    const em = this.orm.em.fork();
    const [clock] = await em.execute<{ month: string; cutoff: string }[]>(
      `select to_char(date_trunc('month', now() at time zone 'UTC'), 'YYYY-MM-DD') as month,
              to_char((now() - make_interval(days => ?)) at time zone 'UTC', 'YYYY-MM-DD') as cutoff`,
      [Math.max(this.retentionDays, KEY_WINDOW_DAYS)],
    );
    const partitions = await em.execute<{ name: string }[]>(
      `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
       where p.relname = 'usage_event' and p.relnamespace = to_regnamespace(current_schema())`,
    );
    const existing = new Set(partitions.map((partition) => partition.name));
    const report: HorizonReport = { created: [], dropped: [] };
    const current = monthOf(clock!.month);
    for (let ahead = 0; ahead <= MONTHS_AHEAD; ahead += 1) {
      const month = addMonths(current, ahead);
      const name = partitionName(month);
      if (existing.has(name)) continue;
      await this.ddl(`create table if not exists ${name} partition of usage_event for values from ('${isoDay(month)}') to ('${isoDay(addMonths(month, 1))}')`);
      report.created.push(name);
    }
    const cutoff = clock!.cutoff;
    for (const name of existing) {
      const match = PARTITION_NAME.exec(name);
      if (!match) continue;
      // A month is past the horizon once its end (the next month's first day) is before the cutoff.
      const end = isoDay(addMonths(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1), 1));
      if (end > cutoff) continue;
      await this.ddl(`drop table if exists ${name}`);
      report.dropped.push(name);
    }
    // Guards matter for the minutes around a month boundary; a day later they only take room.
    await em.execute(`delete from usage_key_guard where created_at < now() - interval '1 day'`);
    return report;
  }

  private async ddl(sql: string): Promise<void> {
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute(`set local lock_timeout = '5s'`);
      await em.execute(sql);
    });
  }
}

function monthOf(isoDate: string): number {
  const [year, month] = isoDate.split('-').map(Number);
  return Date.UTC(year!, month! - 1, 1);
}

function addMonths(month: number, count: number): number {
  const date = new Date(month);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1);
}

function isoDay(month: number): string {
  return new Date(month).toISOString().slice(0, 10);
}

function partitionName(month: number): string {
  const date = new Date(month);
  return `usage_event_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}
