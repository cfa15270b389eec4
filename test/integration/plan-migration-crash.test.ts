import { once } from 'node:events';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, createFeature, createPublishedPlan, publishVersion } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { migrationFinished, START } from '../support/plan-migrations.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { budget } from '../support/time-budget.js';

/**
 * Plan migrations across server processes on one PostgreSQL: a server killed with SIGKILL in
 * the middle of a migration, then started again, finishes it with every account moved exactly
 * once; and a batch is announced to every process's caches.
 */
const ACCOUNTS = 1200;
let database: FreshDatabase;
let db: pg.Client;
const servers: ServerProcess[] = [];

beforeEach(async () => {
  database = await freshDatabase();
  db = new pg.Client({ connectionString: database.url });
});
afterEach(async () => {
  for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  await db.end().catch(() => {});
  await database.drop();
});

async function start(): Promise<{ server: ServerProcess; admin: GraphQLTestClient }> {
  const server = await spawnServer({ DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off' });
  servers.push(server);
  return { server, admin: new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY) };
}

/** pro v1 (CSV export, 20 seats) and v2 (10 seats, no export). */
async function seedCatalog(admin: GraphQLTestClient): Promise<void> {
  await createFeature(admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(admin, { key: 'seats', kind: 'QUANTITY' });
  await createPublishedPlan(admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'export_csv' }, { feature: 'seats', limit: 20 }]);
  await publishVersion(admin, 'pro', [{ feature: 'seats', limit: 10 }], { price: 3900 });
}

/** Polls `read` until it gives true, or fails after `timeoutMs`: waits on observed state, never on a guessed duration. */
async function until(what: string, read: () => Promise<boolean>, timeoutMs = budget(30_000)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const count = async (query: string, params: unknown[] = []) => (await db.query<{ n: number }>(query, params)).rows[0]!.n;

describe('a plan migration across server processes', () => {
  it('finishes a migration killed mid-way with kill -9 after a restart, moving every account exactly once', { timeout: budget(180_000) }, async () => {
    const first = await start();
    await seedCatalog(first.admin);
    await db.connect();
    // 1,200 accounts on pro v1, seeded with SQL as a bulk import would.
    await db.query(
      `insert into account (id, name, metadata, created_at, updated_at)
       select 'acct-' || lpad(i::text, 4, '0'), 'Account ' || i, '{}', now(), now() from generate_series(0, $1 - 1) as i`,
      [ACCOUNTS],
    );
    await db.query(
      `insert into subscription (id, account_id, plan_version_id, status, current_period_start, current_period_end, add_ons, billing_provider_ids, created_at, updated_at)
       select gen_random_uuid(), 'acct-' || lpad(i::text, 4, '0'),
         (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro' and pv.version = 1),
         'ACTIVE', now(), now() + interval '1 month', '[]', '{}', now(), now()
       from generate_series(0, $1 - 1) as i`,
      [ACCOUNTS],
    );

    // Hold the subscription of one account of the second batch (accounts 500 to 999): that batch,
    // having claimed and locked its accounts, waits for it mid-way.
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    await holder.query('begin');
    await holder.query(`select 1 from subscription where account_id = 'acct-0700' for update`);

    const { startPlanMigration: migration } = await first.admin.request(START, { input: { plan: 'pro' }, reason: 'Pro v2 for everyone' });
    expect(migration).toMatchObject({ status: 'RUNNING', total: ACCOUNTS, migrated: 500, pending: ACCOUNTS - 500 });
    await until('the second batch waits for the held account', async () =>
      (await count(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) > 0);

    const exited = once(first.server.child, 'exit');
    first.server.child.kill('SIGKILL');
    await exited;
    await holder.query('rollback');
    await holder.end();

    // The first batch is committed, the second was not: nothing of it is visible.
    expect((await db.query(`select status, migrated from plan_migration where id = $1`, [migration.id])).rows[0]).toEqual({ status: 'RUNNING', migrated: 500 });
    expect(await count(`select count(*)::int as n from audit_entry where action = 'subscription.migrate'`)).toBe(500);

    // A restarted server resumes the RUNNING migration on its own.
    const second = await start();
    const finished = await migrationFinished(second.admin, migration.id);
    expect(finished).toMatchObject({ status: 'COMPLETED', total: ACCOUNTS, migrated: ACCOUNTS, skipped: 0, failed: 0, pending: 0 });

    expect(await count(`select count(*)::int as n from subscription s join plan_version pv on pv.id = s.plan_version_id where pv.version = 2`)).toBe(ACCOUNTS);
    const audit = (await db.query<{ entries: number; accounts: number; carrying: number }>(
      `select count(*)::int as entries, count(distinct account_id)::int as accounts,
         (count(*) filter (where after->>'migrationId' = $1 and before->>'version' = '1' and after->>'version' = '2'))::int as carrying
       from audit_entry where action = 'subscription.migrate'`,
      [migration.id],
    )).rows[0];
    expect(audit).toEqual({ entries: ACCOUNTS, accounts: ACCOUNTS, carrying: ACCOUNTS });
    expect(await count(`select count(*)::int as n from plan_migration_account where migration_id = $1 and outcome = 'MIGRATED'`, [migration.id])).toBe(ACCOUNTS);

    // Running it again moves nobody: every account is already on the target.
    const { startPlanMigration: again } = await second.admin.request(START, { input: { plan: 'pro' }, reason: 'Pro v2 for everyone' });
    expect(await migrationFinished(second.admin, again.id)).toMatchObject({ status: 'COMPLETED', migrated: 0, skipped: ACCOUNTS });
    expect(await count(`select count(*)::int as n from audit_entry where action = 'subscription.migrate'`)).toBe(ACCOUNTS);
  });

  it('leaves an account a request is changing for a later batch instead of waiting for it', { timeout: budget(120_000) }, async () => {
    const { admin } = await start();
    await seedCatalog(admin);
    const ids = ['a-1', 'a-2', 'a-3'];
    for (const id of ids) {
      await createAccount(admin, id);
      await admin.request(`mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro", version: 1 }) { id } }`, { id });
    }
    await db.connect();
    // As changePlan does, a transaction holds the account row of a-2.
    await db.query('begin');
    await db.query(`select 1 from account where id = 'a-2' for update`);

    const { startPlanMigration: migration } = await admin.request(START, { input: { plan: 'pro' }, reason: 'v2' });
    expect(migration).toMatchObject({ status: 'RUNNING', total: 3, migrated: 2, pending: 1 });
    await db.query('commit');
    expect(await migrationFinished(admin, migration.id)).toMatchObject({ status: 'COMPLETED', migrated: 3, pending: 0 });
  });

  it('announces each batch to every process: another server\'s cached decisions show the migration at once', { timeout: budget(120_000) }, async () => {
    const writer = await start();
    const reader = await start();
    await seedCatalog(writer.admin);
    for (const id of ['alpha', 'beta']) {
      await createAccount(writer.admin, id);
      await writer.admin.request(`mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro", version: 1 }) { id } }`, { id });
    }
    const exportCsv = async (accountId: string) =>
      (await reader.admin.request(`query ($id: ID!) { entitlement(accountId: $id, feature: "export_csv") { allowed } }`, { id: accountId })).entitlement.allowed as boolean;
    expect(await exportCsv('alpha')).toBe(true); // cached in the reader now
    expect(await exportCsv('beta')).toBe(true);

    await writer.admin.request(START, { input: { plan: 'pro' }, reason: 'v2' });
    const started = Date.now();
    await until('the reader sees both accounts on v2', async () => !(await exportCsv('alpha')) && !(await exportCsv('beta')), 1000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
