import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrmConfig } from '../../server/dist/db/index.js';
import { entities } from '../../server/dist/entities.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { CONSUME, sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The usage ledger's horizon: `usage_event` partitioned by the UTC month a row was recorded in,
 * the migration that made it so keeping every existing row (and its idempotency key), partitions
 * ready ahead, and months past TOLLGATE_USAGE_RETENTION_DAYS dropped whole while counters stay.
 */
const PARTITIONS = `select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
  join pg_class p on p.oid = i.inhparent where p.relname = 'usage_event' order by 1`;
const REPORT = `mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { results { status used } } }`;

function monthName(offset: number, from = new Date()): string {
  const month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + offset, 1));
  return `usage_event_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

describe('the partitioned usage ledger migration', () => {
  let database: FreshDatabase;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database?.drop());

  it('keeps every existing row and key, drops only the months past the retention, and leaves counters alone', { timeout: 180_000 }, async () => {
    const before = await startTestServer({ databaseUrl: database.url });
    await createFeature(before.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(before.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: 1000, period: 'MONTH' }]);
    await createAccount(before.admin, 'acme');
    await before.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', amount: 7, idempotencyKey: 'kept-consume' } });
    await before.admin.request(REPORT, { events: [{ accountId: 'acme', feature: 'api_calls', amount: 5, idempotencyKey: 'kept-report' }] });
    await before.stop();

    const orm = await MikroORM.init(createOrmConfig({ clientUrl: database.url, poolMax: 2, entities }));
    try {
      // Back to the unpartitioned ledger, as every database was before this migration.
      await orm.migrator.down({ to: 'Migration20261126061624' });
      const em = orm.em.fork();
      expect(await em.execute(`select relkind from pg_class where relname = 'usage_event'`)).toEqual([{ relkind: 'r' }]);
      // Rows recorded long ago, as an older database holds them: one 2 months back, one 2 years back.
      await em.execute(`insert into usage_event (account_id, feature_key, kind, amount, period_start, occurred_at, idempotency_key, fingerprint, result, actor, created_at)
        values ('acme', 'api_calls', 'CONSUME', 3, date_trunc('month', now() - interval '2 months'), now() - interval '2 months', 'recent-old', null, null, 'test', now() - interval '2 months'),
               ('acme', 'api_calls', 'CONSUME', 4, date_trunc('month', now() - interval '2 years'), now() - interval '2 years', 'ancient', null, null, 'test', now() - interval '2 years')`);
    } finally {
      await orm.close(true);
    }

    const after = await startTestServer({ databaseUrl: database.url, env: { TOLLGATE_USAGE_RETENTION_DAYS: '400' } });
    try {
      const relkind = await sql(after, `select relkind from pg_class where relname = 'usage_event'`);
      expect(relkind).toEqual([{ relkind: 'p' }]);
      const names = (await sql<{ name: string }>(after, PARTITIONS)).map((row) => row.name);
      // This month and the next two exist; the month 2 months back holds its row; 2 years back is past 400 days: dropped.
      expect(names).toEqual(expect.arrayContaining([monthName(-2), monthName(0), monthName(1), monthName(2)]));
      expect(names).not.toContain(monthName(-24));
      const rows = await sql<{ idempotency_key: string; amount: string; ledger_month: string }>(after,
        `select idempotency_key, amount, to_char(ledger_month, 'YYYY-MM') as ledger_month from usage_event where account_id = 'acme' order by id`);
      expect(rows.map((row) => row.idempotency_key)).toEqual(['kept-consume', 'kept-report', 'recent-old']);
      // Keys recorded before the migration still hold: retries replay the first answers, counting nothing.
      const retry = await after.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', amount: 7, idempotencyKey: 'kept-consume' } });
      expect(retry.consume).toMatchObject({ ok: true, entitlement: { used: 7 } });
      const report = await after.admin.request(REPORT, { events: [{ accountId: 'acme', feature: 'api_calls', amount: 5, idempotencyKey: 'kept-report' }] });
      expect(report.reportUsage.results).toEqual([{ status: 'DUPLICATE', used: 12 }]);
      const conflict = await after.admin.raw(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', amount: 8, idempotencyKey: 'kept-consume' } });
      expect(conflict.errors[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
      // Counters are another table: untouched by the migration and by the dropped month.
      const next = await after.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', amount: 1, idempotencyKey: 'after-migration' } });
      expect(next.consume).toMatchObject({ ok: true, entitlement: { used: 13 } });

      // A shorter retention drops, at the next run, every month that ended more than 35 days ago, and nothing else.
      const { LedgerHorizon } = await import('../../server/dist/metering/index.js');
      const report35 = await new LedgerHorizon(after.server.orm, 35).maintain();
      const now = new Date();
      const ended = (offset: number) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset + 1, 1) <= now.getTime() - 35 * 86_400_000;
      expect(report35.dropped.includes(monthName(-2))).toBe(ended(-2));
      const remaining = (await sql<{ name: string }>(after, PARTITIONS)).map((row) => row.name);
      for (const name of remaining) {
        const [, year, month] = /^usage_event_(\d{4})_(\d{2})$/.exec(name)!;
        expect(Date.UTC(Number(year), Number(month), 1), name).toBeGreaterThan(now.getTime() - 35 * 86_400_000);
      }
      expect(remaining).toEqual(expect.arrayContaining([monthName(0), monthName(1), monthName(2)]));
      const left = (await sql<{ n: string }>(after, `select count(*) as n from usage_event where account_id = 'acme'`))[0]!.n;
      expect(Number(left)).toBe(ended(-2) ? 3 : 4);
      const usage = await after.admin.request(`query { usage(accountId: "acme", feature: "api_calls") { used } }`);
      expect(usage.usage.used).toBe(13);
    } finally {
      await after.stop();
    }
  });
});

describe.each(['postgresql', 'embedded'] as const)('the usage ledger on %s', (database) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ database });
  }, 120_000);
  afterAll(() => t?.stop());

  it('is partitioned by month with this month and the next two ready, and counts through them', async () => {
    const names = (await sql<{ name: string }>(t, PARTITIONS)).map((row) => row.name);
    expect(names).toEqual(expect.arrayContaining([monthName(0), monthName(1), monthName(2)]));
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'api_calls', limit: 10, period: 'MONTH' }]);
    await createAccount(t.admin, 'acme');
    const first = await t.admin.request(CONSUME, { input: { accountId: 'acme', feature: 'api_calls', amount: 4, idempotencyKey: 'k' } });
    expect(first.consume).toMatchObject({ ok: true, entitlement: { used: 4 } });
    const [row] = await sql<{ partition: string }>(t, `select tableoid::regclass::text as partition from usage_event where idempotency_key = 'k'`);
    expect(row!.partition).toBe(monthName(0));
    // Running the maintenance again creates and drops nothing.
    const { LedgerHorizon } = await import('../../server/dist/metering/index.js');
    expect(await new LedgerHorizon(t.server.orm, 400).maintain()).toEqual({ created: [], dropped: [] });
  });
});
