import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDatabaseServer, type FreshDatabase } from '../support/database.js';
import { changePlan, createAccount, seedBasicCatalog } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { decisionOf, liveClient, type LiveClient } from '../support/live-client.js';
import { CONSUME } from '../support/metering.js';
import { startPgBouncer, type PgBouncer } from '../support/pgbouncer.js';
import { MIGRATION, START } from '../support/plan-migrations.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { deliver, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET } from '../support/stripe.js';
import { publishPricedVersion, stripePrices, SUBSCRIPTION_STATE } from '../support/stripe-catalog.js';

/**
 * Four Tollgate processes behind Debian's pgbouncer in transaction pooling mode, as docs/operations.md's
 * "Running more than one process" deploys them: every pooled connection goes through PgBouncer,
 * each process's LISTEN connection goes direct (TOLLGATE_LISTEN_URL). Nothing may rely on a
 * pooled connection's session state; what a single process on a direct connection guarantees
 * must hold here too. The pgbouncer is the test's own (its own port, ini and auth file), stopped
 * by its PID. Stripe's API is not involved: webhooks are signed with the stripe package's helper.
 */
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

let bouncer: PgBouncer;
let database: FreshDatabase;
let processes: ServerProcess[];
let clients: GraphQLTestClient[];
let direct: TestServer;

beforeAll(async () => {
  bouncer = await startPgBouncer(testDatabaseServer(), { poolSize: 20 });
  cleanups.push(() => bouncer.stop());
  database = await freshDatabase();
  cleanups.push(() => database.drop());
  const name = new URL(database.url).pathname.slice(1);
  const env = {
    DATABASE_URL: bouncer.url(name),
    TOLLGATE_LISTEN_URL: database.url,
    TOLLGATE_DB_POOL_MAX: '8',
    TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY,
    TOLLGATE_DEMO_DATA: 'off',
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
  };
  // All four at once on a new database: their migrations meet at the (transaction-scoped) lock.
  processes = await Promise.all([1, 2, 3, 4].map(() => spawnServer(env)));
  cleanups.push(...processes.map((process) => () => process.stop()));
  clients = processes.map((process) => new GraphQLTestClient(process.graphqlUrl, TEST_ADMIN_KEY));
  // The same scenarios on one process with a direct connection, to compare with.
  direct = await startTestServer({ stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
  cleanups.push(() => direct.stop());
  for (const admin of [clients[0]!, direct.admin]) {
    await seedBasicCatalog(admin);
    // A plan sold through Stripe, for the webhooks.
    await admin.request(`mutation { createPlan(input: { key: "team", name: "Team", rank: 20 }) { key } }`);
    await publishPricedVersion(admin, { plan: 'team', price: 9900, billingPriceIds: [stripePrices.teamMonthly], entitlements: [{ feature: 'seats', limit: 50 }, { feature: 'export_csv' }] });
  }
}, 120_000);

/** Rows straight from PostgreSQL (not through PgBouncer, nor any process). */
async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('four processes through PgBouncer in transaction mode', () => {
  it('started together on a new database, each migrated it once and answers', async () => {
    const migrations = await query<{ count: string }>('select count(*) from mikro_orm_migrations', []);
    const names = await query<{ count: string }>('select count(distinct name) from mikro_orm_migrations', []);
    expect(Number(migrations[0]!.count)).toBe(Number(names[0]!.count));
    for (const process of processes) expect((await fetch(process.graphqlUrl.replace(/graphql$/, 'readyz'))).status).toBe(200);
  });

  it('gives exactly 100 of 800 concurrent consumes across them ok at a limit of 100, the counter equal to the ledger', async () => {
    await createAccount(clients[0]!, 'race');
    const answers = await Promise.all(
      Array.from({ length: 800 }, (_, index) =>
        clients[index % 4]!.request(CONSUME, { input: { accountId: 'race', feature: 'api_calls', idempotencyKey: `race-${index}` } }),
      ),
    );
    const ok = answers.filter((answer) => answer.consume.ok);
    expect(ok).toHaveLength(100);
    expect(answers.filter((answer) => !answer.consume.ok).every((answer) => answer.consume.entitlement.reason === 'LIMIT_REACHED')).toBe(true);
    expect(new Set(ok.map((answer) => answer.consume.entitlement.used))).toEqual(new Set(Array.from({ length: 100 }, (_, index) => index + 1)));
    const [counter] = await query<{ used: string }>(`select sum(used) as used from usage_counter where account_id = 'race' and feature_key = 'api_calls'`, []);
    const [ledger] = await query<{ amount: string; events: string }>(
      `select sum(amount) as amount, count(*) as events from usage_event where account_id = 'race' and feature_key = 'api_calls'`,
      [],
    );
    expect(Number(counter!.used)).toBe(100);
    expect({ amount: Number(ledger!.amount), events: Number(ledger!.events) }).toEqual({ amount: 100, events: 100 });
    // Every process reads the same count.
    for (const client of clients) {
      expect((await client.request(`{ usage(accountId: "race", feature: "api_calls") { used } }`)).usage.used).toBe(100);
    }
  });

  it('brings a change made on one to live subscribers on the other three within a second', async () => {
    await createAccount(clients[0]!, 'watched');
    const subscribers: LiveClient[] = processes.slice(1).map((process) => liveClient(process.graphqlUrl, TEST_ADMIN_KEY));
    cleanups.push(...subscribers.map((subscriber) => () => subscriber.dispose()));
    const subscriptions = subscribers.map((subscriber) => subscriber.subscribe('watched'));
    await Promise.all(subscriptions.map((subscription) => subscription.until((push) => decisionOf(push, 'seats').plan?.key === 'free', 5000, 'the first push')));
    const changedAt = performance.now();
    await changePlan(clients[0]!, { accountId: 'watched', plan: 'pro' });
    const pushes = await Promise.all(subscriptions.map((subscription) => subscription.until((push) => decisionOf(push, 'seats').plan?.key === 'pro', 1000, 'the push of pro')));
    for (const push of pushes) expect(push.receivedAt - changedAt).toBeLessThan(1000);
  });

  it('runs a plan migration as one process on a direct connection does', async () => {
    /** The same migration: six accounts on pro v1 moved to a v2 with fewer seats, started through `start`, read through `read`. */
    const migrate = async (start: GraphQLTestClient, read: GraphQLTestClient) => {
      await start.request(
        `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 3900, currency: "USD" }, entitlements: [{ feature: "export_csv" }, { feature: "seats", limit: 10 }, { feature: "api_calls", limit: 10000, period: MONTH }] }) { version } }`,
      );
      await start.request(`mutation { publishPlanVersion(plan: "pro", version: 2) { status } }`);
      for (let index = 0; index < 6; index++) {
        await createAccount(start, `migrated-${index}`);
        await changePlan(start, { accountId: `migrated-${index}`, plan: 'pro', version: 1 });
      }
      const { startPlanMigration } = await start.request(START, { input: { plan: 'pro', fromVersions: [1], toVersion: 2, accountIds: Array.from({ length: 6 }, (_, index) => `migrated-${index}`) }, reason: 'v2' });
      let migration = startPlanMigration;
      const deadline = Date.now() + 20_000;
      while (migration.status === 'RUNNING' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        migration = (await read.request(MIGRATION, { id: migration.id })).planMigration;
      }
      const accounts = await Promise.all(
        Array.from({ length: 6 }, async (_, index) => (await read.request(`query ($id: ID!) { entitlement(accountId: $id, feature: "seats") { limit plan { key version } } }`, { id: `migrated-${index}` })).entitlement),
      );
      const { status, total, migrated, skipped, failed } = migration;
      return { status, total, migrated, skipped, failed, accounts };
    };
    const pooled = await migrate(clients[1]!, clients[2]!);
    const alone = await migrate(direct.admin, direct.admin);
    expect(pooled).toEqual(alone);
    expect(pooled.status).toBe('COMPLETED');
    expect(pooled.migrated).toBeGreaterThan(0);
  });

  it('applies Stripe webhooks, duplicates and a race between processes included, as one process on a direct connection does', async () => {
    const periodStart = new Date(Date.now() - 86_400_000).toISOString();
    const periodEnd = new Date(Date.now() + 29 * 86_400_000).toISOString();
    const subscription = (status: string) =>
      stripeSubscription({ id: 'sub_Pooled1', customer: 'cus_Pooled1', status, account: 'hooked', items: [{ price: stripePrices.teamMonthly }], periodStart, periodEnd });
    const created = stripeEvent('evt_Pooled1', 'customer.subscription.created', new Date(Date.now() - 2000).toISOString(), subscription('active'));
    const pastDue = stripeEvent('evt_Pooled2', 'customer.subscription.updated', new Date(Date.now() - 1000).toISOString(), subscription('past_due'));
    /** Delivers the events to the given base URLs (the same event to two at once: a retry racing the original) and reads the account. */
    const run = async (bases: string[], admin: GraphQLTestClient) => {
      await createAccount(admin, 'hooked');
      const first = await Promise.all([deliver(bases[0]!, created), deliver(bases[1 % bases.length]!, created)]);
      const second = await deliver(bases[2 % bases.length]!, pastDue);
      const again = await deliver(bases[3 % bases.length]!, created);
      const { account } = await admin.request(`query { account(id: "hooked") { ${SUBSCRIPTION_STATE} } }`);
      return {
        statuses: [...first, second, again].map((answer) => answer.status),
        outcomes: [first.map((answer) => answer.body.outcome).sort(), second.body.outcome, again.body.outcome],
        account,
      };
    };
    const pooled = await run(processes.map((process) => process.graphqlUrl.replace(/\/graphql$/, '')), clients[3]!);
    const alone = await run([direct.url], direct.admin);
    expect(pooled).toEqual(alone);
    expect(pooled.statuses.every((status) => status === 200)).toBe(true);
    expect(pooled.account.subscription.plan).toBe('team');
  });
});
