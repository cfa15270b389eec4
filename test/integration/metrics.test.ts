import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createFeature, createPublishedPlan, publishVersion } from '../support/fixtures.js';
import { liveClient } from '../support/live-client.js';
import { START } from '../support/plan-migrations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, stripeEvent, TEST_WEBHOOK_SECRET } from '../support/stripe.js';
import { budget } from '../support/time-budget.js';

/**
 * GET /metrics against a real server on PostgreSQL, scraped as Prometheus does: protected by
 * TOLLGATE_METRICS_TOKEN (absent without it), in Prometheus's text format, and every counter and
 * gauge the issue names moves with the work that should move it: requests and latency by
 * operation, decisions by reason, consumes refused, live sockets and subscriptions, the change
 * feed's connection and reconnects, Stripe webhook outcomes, a running migration's progress, the
 * pool. Each wait is on the scraped value, with a deadline.
 */
const TOKEN = 'metrics-token-0123456789abcdef';
let t: TestServer;
let db: pg.Client;

beforeAll(async () => {
  t = await startTestServer({ env: { TOLLGATE_METRICS_TOKEN: TOKEN }, stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
  await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
  await createFeature(t.admin, { key: 'reports', kind: 'METERED', unit: 'reports' });
  await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'reports', limit: 2, period: 'MONTH' }]);
  await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900 }, [{ feature: 'export_csv' }, { feature: 'reports', limit: 100, period: 'MONTH' }]);
  await publishVersion(t.admin, 'pro', [{ feature: 'reports', limit: 50, period: 'MONTH' }], { price: 3900 });
  db = new pg.Client({ connectionString: t.server.orm.config.get('clientUrl') });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

/** One scrape: every sample by its series (`name{labels}` as Prometheus prints it). */
async function scrape(token = TOKEN): Promise<Map<string, number>> {
  const response = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

/** Scrapes until `accept` holds, or fails after `timeoutMs`: a wait on the metric, never a sleep. */
async function scrapeUntil(what: string, accept: (samples: Map<string, number>) => boolean, timeoutMs = budget(10_000)): Promise<Map<string, number>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const samples = await scrape();
    if (accept(samples)) return samples;
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const value = (samples: Map<string, number>, series: string) => samples.get(series) ?? 0;

const entitlement = (accountId: string, feature: string) =>
  t.admin.request(`query Check($id: ID!, $feature: String!) { entitlement(accountId: $id, feature: $feature) { allowed } }`, { id: accountId, feature });
const consume = (accountId: string, key: string) =>
  t.admin.request(`mutation Count($input: ConsumeInput!) { consume(input: $input) { ok } }`, { input: { accountId, feature: 'reports', amount: 1, idempotencyKey: key } });

describe('GET /metrics', () => {
  it('answers only a scrape with TOLLGATE_METRICS_TOKEN, and does not exist without one', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', TOKEN, `Bearer ${TOKEN}x`]) {
      const response = await fetch(`${t.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect((await response.json()).error.code).toBe('UNAUTHENTICATED');
    }
    const off = await startTestServer();
    try {
      expect((await fetch(`${off.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
    } finally {
      await off.stop();
    }
  });

  it('counts requests and latency by operation, and decisions by reason', async () => {
    await createAccount(t.admin, 'm-free');
    const before = await scrape();
    for (let i = 0; i < 3; i += 1) await entitlement('m-free', 'reports'); // INCLUDED_IN_PLAN
    for (let i = 0; i < 2; i += 1) await entitlement('m-free', 'export_csv'); // NOT_IN_PLAN
    const after = await scrape();
    const moved = (series: string) => value(after, series) - value(before, series);
    expect(moved('tollgate_http_requests_total{route="/graphql",operation="Check",status="200"}')).toBe(5);
    expect(moved('tollgate_http_request_duration_seconds_count{route="/graphql",operation="Check"}')).toBe(5);
    expect(moved('tollgate_http_request_duration_seconds_sum{route="/graphql",operation="Check"}')).toBeGreaterThan(0);
    expect(moved('tollgate_decisions_total{reason="INCLUDED_IN_PLAN"}')).toBe(3);
    expect(moved('tollgate_decisions_total{reason="NOT_IN_PLAN"}')).toBe(2);
    // Every reason is there from the start, so a rate() sees its first decision.
    expect(before.has('tollgate_decisions_total{reason="TRIAL_EXPIRED"}')).toBe(true);
  });

  it('counts consumes counted, refused by reason, and replayed', async () => {
    await createAccount(t.admin, 'm-consumer');
    const before = await scrape();
    await consume('m-consumer', 'k1');
    await consume('m-consumer', 'k2');
    await consume('m-consumer', 'k3'); // the free plan's limit is 2: refused
    await consume('m-consumer', 'k1'); // a retry: replayed
    const after = await scrape();
    const moved = (series: string) => value(after, series) - value(before, series);
    expect(moved('tollgate_consumes_total{result="counted"}')).toBe(2);
    expect(moved('tollgate_consumes_total{result="refused"}')).toBe(1);
    expect(moved('tollgate_consumes_total{result="replayed"}')).toBe(1);
    expect(moved('tollgate_consumes_refused_total{reason="LIMIT_REACHED"}')).toBe(1);
  });

  it('shows live sockets and subscriptions while they are open', async () => {
    await createAccount(t.admin, 'm-live');
    const live = liveClient(t.server.graphqlUrl, 'test-admin-key-0123456789abcdef');
    const subscription = live.subscribe('m-live');
    try {
      await subscription.until(() => true);
      await scrapeUntil('one socket and one subscription', (samples) => value(samples, 'tollgate_live_sockets') === 1 && value(samples, 'tollgate_live_subscriptions') === 1);
    } finally {
      subscription.unsubscribe();
      await live.dispose();
    }
    await scrapeUntil('no socket left', (samples) => value(samples, 'tollgate_live_sockets') === 0 && value(samples, 'tollgate_live_subscriptions') === 0);
  });

  it('counts verified Stripe deliveries by outcome', async () => {
    const before = await scrape();
    const event = stripeEvent('evt_metrics_1', 'customer.created', new Date().toISOString(), { id: 'cus_metrics', object: 'customer', metadata: {} });
    expect((await deliver(t.url, event)).status).toBe(200);
    expect((await deliver(t.url, event)).status).toBe(200); // a redelivery
    expect((await deliver(t.url, event, { signatureHeader: 'v1=forged' })).status).toBe(400);
    const after = await scrape();
    const moved = (series: string) => value(after, series) - value(before, series);
    expect(moved('tollgate_stripe_webhook_events_total{outcome="IGNORED"}') + moved('tollgate_stripe_webhook_events_total{outcome="APPLIED"}')).toBe(1);
    expect(moved('tollgate_stripe_webhook_events_total{outcome="DUPLICATE"}')).toBe(1);
    expect(moved('tollgate_http_requests_total{route="/webhooks/stripe",operation="",status="400"}')).toBe(1);
  });

  it('shows a running plan migration\'s progress, and the pool in use', async () => {
    for (const id of ['m-1', 'm-2', 'm-3']) {
      await createAccount(t.admin, id);
      await t.admin.request(`mutation ($id: ID!) { changePlan(input: { accountId: $id, plan: "pro", version: 1 }) { id } }`, { id });
    }
    // As a request changing it would, a transaction holds m-2's account row: the migration leaves it for a later batch and keeps RUNNING.
    const holder = new pg.Client({ connectionString: t.server.orm.config.get('clientUrl') });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(`select 1 from account where id = 'm-2' for update`);
      const { startPlanMigration: migration } = await t.admin.request(START, { input: { plan: 'pro', accountIds: ['m-1', 'm-2', 'm-3'] }, reason: 'metrics' });
      expect(migration.status).toBe('RUNNING');
      const series = (state: string) => `tollgate_plan_migration_accounts{migration="${migration.id}",plan="pro",state="${state}"}`;
      const running = await scrape();
      expect(value(running, series('total'))).toBe(3);
      expect(value(running, series('migrated'))).toBe(2);
      await holder.query('commit');
      await scrapeUntil('the migration finished and left the gauge', (samples) => !samples.has(series('total')), 60_000);
    } finally {
      await holder.end();
    }
    const samples = await scrape();
    expect(value(samples, 'tollgate_db_pool_connections{state="max"}')).toBe(20);
    expect(value(samples, 'tollgate_db_pool_connections{state="idle"}') + value(samples, 'tollgate_db_pool_connections{state="busy"}')).toBeGreaterThan(0);
    expect(samples.has('tollgate_db_pool_waiting_queries')).toBe(true);
  });

  it('shows the change feed connected, and counts a reconnect after PostgreSQL drops its LISTEN connection', async () => {
    const before = await scrape();
    expect(value(before, 'tollgate_change_feed_connected')).toBe(1);
    // Every connection of the server's database but this one, the LISTEN connection among them.
    const { rowCount } = await db.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    expect(rowCount).toBeGreaterThan(0);
    await scrapeUntil('the feed reconnected', (samples) =>
      value(samples, 'tollgate_change_feed_reconnects_total') === value(before, 'tollgate_change_feed_reconnects_total') + 1 &&
      value(samples, 'tollgate_change_feed_connected') === 1,
    );
  });
});
