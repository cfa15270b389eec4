import { once } from 'node:events';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createFeature } from '../support/fixtures.js';
import { GraphQLTestClient } from '../support/graphql-client.js';
import { migrationFinished, START } from '../support/plan-migrations.js';
import { spawnServer, type ServerProcess } from '../support/process.js';
import { TEST_ADMIN_KEY } from '../support/server.js';
import { startStripeStandIn, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';
import { publishPricedVersion } from '../support/stripe-catalog.js';

/**
 * A plan migration of 1,000 accounts Stripe bills, killed with SIGKILL while Stripe is answering
 * its plan changes, then resumed by a new server process: each Stripe subscription is written
 * exactly once, counted at the stand-in (an update whose Idempotency-Key was seen before is
 * answered from the first answer and is not a write, as Stripe's API does), every account ends on
 * the new version, and each has exactly one `subscription.migrate` audit entry. Stripe cannot be
 * reached from where the tests run: the servers' `stripe` client talks to the local stand-in of
 * test/support/stripe.ts.
 */
const ACCOUNTS = 1000;
const KILL_AFTER_WRITES = 600;
/** Time allowed per account for a Stripe round trip and the apply, on a machine other tests share: the waits scale with the work. */
const PER_ACCOUNT_MS = 400;
let database: FreshDatabase;
let db: pg.Client;
let standIn: StripeStandIn;
const servers: ServerProcess[] = [];

beforeEach(async () => {
  database = await freshDatabase();
  db = new pg.Client({ connectionString: database.url });
  standIn = await startStripeStandIn();
});
afterEach(async () => {
  for (const server of servers.splice(0)) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  await db.end().catch(() => {});
  await standIn.close();
  await database.drop();
});

async function start(): Promise<{ server: ServerProcess; admin: GraphQLTestClient }> {
  const server = await spawnServer({
    DATABASE_URL: database.url, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY, TOLLGATE_DEMO_DATA: 'off',
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_KEY: 'sk_test_tollgate_migration', STRIPE_API_BASE: standIn.url,
  });
  servers.push(server);
  return { server, admin: new GraphQLTestClient(server.graphqlUrl, TEST_ADMIN_KEY) };
}

/** Polls `read` until it gives true, or fails after `timeoutMs`: waits on observed state, never on a guessed duration. */
async function until(what: string, read: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await read())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const count = async (query: string, params: unknown[] = []) => (await db.query<{ n: number }>(query, params)).rows[0]!.n;
const totalWrites = () => [...standIn.writes.values()].reduce((sum, writes) => sum + writes, 0);

describe('a plan migration of Stripe-billed accounts', () => {
  it('killed with kill -9 mid-way and resumed, writes each Stripe subscription exactly once', { timeout: 120_000 + 2 * ACCOUNTS * PER_ACCOUNT_MS }, async () => {
    const first = await start();
    await createFeature(first.admin, { key: 'seats', kind: 'QUANTITY' });
    await first.admin.request(`mutation { createPlan(input: { key: "pro", name: "Pro", rank: 10 }) { key } }`);
    await publishPricedVersion(first.admin, { plan: 'pro', price: 2900, billingPriceIds: ['price_ProV1'], entitlements: [{ feature: 'seats', limit: 20 }] });
    await publishPricedVersion(first.admin, { plan: 'pro', price: 3900, billingPriceIds: ['price_ProV2'], entitlements: [{ feature: 'seats', limit: 10 }] });
    await db.connect();
    // 1,000 accounts Stripe bills on pro v1, seeded with SQL as a bulk import would; Stripe holds their subscriptions.
    await db.query(
      `insert into account (id, name, metadata, created_at, updated_at)
       select 'acct-' || lpad(i::text, 4, '0'), 'Account ' || i, '{}', now(), now() from generate_series(0, $1 - 1) as i`,
      [ACCOUNTS],
    );
    await db.query(
      `insert into subscription (id, account_id, plan_version_id, status, current_period_start, current_period_end, add_ons, billing_provider_ids, created_at, updated_at)
       select gen_random_uuid(), 'acct-' || lpad(i::text, 4, '0'),
         (select pv.id from plan_version pv join plan p on p.id = pv.plan_id where p.key = 'pro' and pv.version = 1),
         'ACTIVE', '2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z', '[]',
         jsonb_build_object('stripeCustomerId', 'cus_M' || lpad(i::text, 4, '0'), 'stripeSubscriptionId', 'sub_M' || lpad(i::text, 4, '0')), now(), now()
       from generate_series(0, $1 - 1) as i`,
      [ACCOUNTS],
    );
    // As webhooks leave them: each Stripe customer linked to its account.
    await db.query(
      `insert into billing_customer (customer_id, account_id, linked_by, linked_at)
       select 'cus_M' || lpad(i::text, 4, '0'), 'acct-' || lpad(i::text, 4, '0'), 'stripe', now() from generate_series(0, $1 - 1) as i`,
      [ACCOUNTS],
    );
    const ids = Array.from({ length: ACCOUNTS }, (_, index) => String(index).padStart(4, '0'));
    for (const suffix of ids) {
      const subscription = stripeSubscription({
        id: `sub_M${suffix}`, customer: `cus_M${suffix}`, status: 'active', account: `acct-${suffix}`,
        items: [{ price: 'price_ProV1' }], periodStart: '2026-11-01T00:00:00Z', periodEnd: '2026-12-01T00:00:00Z',
      });
      standIn.subscriptions.set(subscription.id, subscription);
    }

    // Stripe stops answering once 600 subscriptions are written: the migration is mid-way, with
    // updates in flight, when the server is killed.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    standIn.beforeUpdate = async () => {
      if (totalWrites() >= KILL_AFTER_WRITES) await held;
    };
    const startedAt = Date.now();
    const started = first.admin.request(START, { input: { plan: 'pro', prorationBehavior: 'NONE' }, reason: 'Pro v2 for everyone' }).catch(() => null);
    await until('600 Stripe subscriptions are written', () => totalWrites() >= KILL_AFTER_WRITES, KILL_AFTER_WRITES * PER_ACCOUNT_MS);
    const migrationId = (await db.query<{ id: string }>(`select id from plan_migration`)).rows[0]!.id;
    const exited = once(first.server.child, 'exit');
    first.server.child.kill('SIGKILL');
    await exited;
    await started;
    // The updates Stripe received before the kill still happen, as Stripe's would.
    release();
    standIn.beforeUpdate = null;
    const writtenBeforeResume = totalWrites();
    expect(writtenBeforeResume).toBeGreaterThanOrEqual(KILL_AFTER_WRITES);
    expect(writtenBeforeResume).toBeLessThan(ACCOUNTS);
    expect((await db.query(`select status from plan_migration where id = $1`, [migrationId])).rows[0]).toEqual({ status: 'RUNNING' });

    // A restarted server resumes the RUNNING migration on its own.
    const killedAt = Date.now();
    const second = await start();
    // Scaled to the work: a thousand Stripe round trips and applies on a machine other tests share.
    const finished = await migrationFinished(second.admin, migrationId, ACCOUNTS * PER_ACCOUNT_MS);
    expect(finished).toMatchObject({ status: 'COMPLETED', total: ACCOUNTS, failed: 0, pending: 0 });
    // Accounts whose Stripe answer was applied just before the kill are already on the target when resumed.
    expect(finished.migrated + finished.skipped).toBe(ACCOUNTS);

    // Exactly one write per Stripe subscription, every one on the new price.
    expect(standIn.writes.size).toBe(ACCOUNTS);
    expect([...standIn.writes.values()].filter((writes) => writes !== 1)).toEqual([]);
    expect([...standIn.subscriptions.values()].filter((subscription) => subscription.items.data[0].price.id !== 'price_ProV2')).toEqual([]);
    expect([...standIn.subscriptions.values()].every((subscription) => subscription.latest_proration_behavior === 'none')).toBe(true);
    expect(await count(`select count(*)::int as n from subscription s join plan_version pv on pv.id = s.plan_version_id where pv.version = 2`)).toBe(ACCOUNTS);
    const audit = (await db.query<{ entries: number; accounts: number; carrying: number }>(
      `select count(*)::int as entries, count(distinct account_id)::int as accounts,
         (count(*) filter (where after->>'migrationId' = $1 and after->>'version' = '2'))::int as carrying
       from audit_entry where action = 'subscription.migrate'`,
      [migrationId],
    )).rows[0];
    expect(audit).toEqual({ entries: ACCOUNTS, accounts: ACCOUNTS, carrying: ACCOUNTS });
    console.info(`Stripe-billed migration: ${writtenBeforeResume} written before kill -9 (${Date.now() - startedAt} ms in all, ${killedAt - startedAt} ms to the kill), ` +
      `${ACCOUNTS} in all, ${standIn.idempotentReplays} idempotent replays after the resume`);
  });
});
