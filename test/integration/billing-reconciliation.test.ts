import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts, seedStripeCatalog, SUBSCRIPTION_STATE } from '../support/stripe-catalog.js';
import { ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { sql } from '../support/metering.js';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../support/server.js';
import { deliver, startStripeStandIn, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeStandIn } from '../support/stripe.js';

/**
 * Reconciliation against Stripe's subscription list. Stripe cannot be reached from where the
 * tests run: the `stripe` client Tollgate uses talks to a local stand-in (STRIPE_API_BASE) that
 * serves the recorded, Stripe-shaped list of test/fixtures/stripe-api/subscriptions.json, two
 * subscriptions a page, so the client pages through it as it would through Stripe's. Tollgate's
 * side is built by signed webhooks carrying older states, so the list holds one mismatch of each
 * kind.
 */
const recorded: { data: Record<string, any>[] } = JSON.parse(readFileSync(new URL('../fixtures/stripe-api/subscriptions.json', import.meta.url), 'utf8'));
const listed = (id: string) => structuredClone(recorded.data.find((subscription) => subscription.id === id)!);

const REPORT = `
  id applied providerSubscriptions tollgateSubscriptions fixed
  mismatches { kind accountId providerSubscriptionId customerId tollgate provider message fixable fixed }
  refusals { kind message }`;
const RECONCILE = `mutation ($apply: Boolean!, $maxCancelPercent: Int) { reconcileBilling(apply: $apply, maxCancelPercent: $maxCancelPercent) { ${REPORT} } }`;

describe('reconcileBilling', () => {
  let t: TestServer;
  let standIn: StripeStandIn;
  const now = new Date();

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await startTestServer({ stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_standin', apiBase: standIn.url } });
    await seedStripeCatalog(t.admin);
    await createAccounts(t.admin, ['acme-synced', 'acme-missing', 'acme-gone', 'acme-plan', 'acme-status', 'acme-period', 'acme-price']);

    // Tollgate's side, as webhooks left it: older states of the same subscriptions. With an API
    // key each event reads the subscription, so the stand-in holds those older states while they
    // are delivered, and Stripe's list of today afterwards.
    const created = (object: Record<string, any>, id: string) => {
      standIn.subscriptions.set(object.id, structuredClone(object));
      return deliver(t.url, stripeEvent(id, 'customer.subscription.created', Math.floor(now.getTime() / 1000) - 3600, object), { now });
    };
    const older = (id: string, change: (object: Record<string, any>) => void) => {
      const object = listed(id);
      change(object);
      return object;
    };
    const answers = await Promise.all([
      created(listed('sub_1RInSync'), 'evt_1RInSync'),
      created(stripeSubscription({ id: 'sub_1RGone', customer: 'cus_1RGone', status: 'active', items: [{ price: 'price_1QProMonthly' }], account: 'acme-gone', periodStart: '2026-03-01T00:00:00Z', periodEnd: '2026-04-01T00:00:00Z' }), 'evt_1RGone'),
      created(older('sub_1RPlan', (object) => { object.items.data[0].price.id = 'price_1QProMonthly'; }), 'evt_1RPlan'),
      created(older('sub_1RStatus', (object) => { object.status = 'active'; }), 'evt_1RStatus'),
      created(older('sub_1RPeriod', (object) => {
        object.items.data[0].current_period_start = 1772323200; // 2026-03-01
        object.items.data[0].current_period_end = 1775001600; // 2026-04-01
      }), 'evt_1RPeriod'),
    ]);
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });
    standIn.subscriptions.clear();
    for (const subscription of recorded.data) standIn.subscriptions.set(subscription.id, structuredClone(subscription));
  });
  afterAll(async () => {
    await t?.stop();
    await standIn?.close();
  });

  const stateOf = async (accountId: string) => (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${SUBSCRIPTION_STATE} } }`, { id: accountId })).account;
  const tables = async () => {
    const [row] = await sql<{ audit: string; subscriptions: string }>(t, `select (select count(*) from audit_entry) as audit,
      (select md5(string_agg(s::text, ',' order by s.id)) from subscription s) as subscriptions`);
    return row;
  };
  const byKind = (mismatches: { kind: string; providerSubscriptionId: string | null }[]) =>
    mismatches.map((mismatch) => `${mismatch.kind} ${mismatch.providerSubscriptionId}`).sort();

  it('reports one mismatch of each kind, paging through Stripe\'s list, and writes nothing without apply', async () => {
    const before = await tables();
    const { reconcileBilling: report } = await t.admin.request(RECONCILE, { apply: false });
    expect(report).toMatchObject({ applied: false, providerSubscriptions: 7, tollgateSubscriptions: 5, fixed: 0 });
    expect(byKind(report.mismatches)).toEqual([
      'MISSING_IN_PROVIDER sub_1RGone',
      'MISSING_IN_TOLLGATE sub_1RMissing',
      'MISSING_IN_TOLLGATE sub_1ROrphan',
      'PERIOD_MISMATCH sub_1RPeriod',
      'PLAN_MISMATCH sub_1RPlan',
      'STATUS_MISMATCH sub_1RStatus',
      'UNKNOWN_PRICE sub_1RPrice',
    ]);
    const find = (id: string) => report.mismatches.find((mismatch: { providerSubscriptionId: string }) => mismatch.providerSubscriptionId === id);
    expect(find('sub_1ROrphan')).toMatchObject({ accountId: null, customerId: 'cus_1ROrphan', fixable: false, message: expect.stringMatching(/linkBillingCustomer/) });
    expect(find('sub_1RPrice')).toMatchObject({ accountId: 'acme-price', fixable: false, message: expect.stringMatching(/price_1RRetiredLegacy.*billingPriceIds/) });
    expect(find('sub_1RMissing')).toMatchObject({ accountId: 'acme-missing', fixable: true, tollgate: null, provider: expect.stringMatching(/^team v1, ACTIVE/) });
    expect(find('sub_1RPlan')).toMatchObject({ accountId: 'acme-plan', fixable: true, tollgate: expect.stringMatching(/^pro v1/), provider: expect.stringMatching(/^team v1/) });
    expect(find('sub_1RStatus')).toMatchObject({ fixable: true, message: expect.stringMatching(/Tollgate has ACTIVE; the provider says past_due \(PAST_DUE\)/) });
    expect(find('sub_1RGone')).toMatchObject({ accountId: 'acme-gone', fixable: true, provider: null });
    // Stripe's list was read page by page (two a page), as the stripe client pages through Stripe.
    expect(standIn.requests.filter((request) => request.startsWith('GET /v1/subscriptions?')).length).toBe(4);
    expect(await tables()).toEqual(before);
  });

  it('refuses to apply when more than maxCancelPercent (default 10) would be canceled, saying why, and writes nothing', async () => {
    const before = await tables();
    const { reconcileBilling: report } = await t.admin.request(RECONCILE, { apply: true });
    expect(report).toMatchObject({ applied: false, fixed: 0, refusals: [{ kind: 'TOO_MANY_CANCELS', message: expect.stringMatching(/1 of 5 .*maxCancelPercent \(10%\)/) }] });
    const [{ audit }] = await sql<{ audit: string }>(t, 'select count(*) as audit from audit_entry');
    // Only the run itself is audited.
    expect(Number(audit)).toBe(Number(before!.audit) + 1);
    expect((await stateOf('acme-gone')).subscription).toMatchObject({ status: 'ACTIVE' });
  });

  it('fixes what it can with apply, audited with actor reconciliation, and a second run finds only what needs an admin', async () => {
    const { reconcileBilling: report } = await t.admin.request(RECONCILE, { apply: true, maxCancelPercent: 50 });
    expect(report).toMatchObject({ applied: true, fixed: 5, refusals: [] });
    expect(report.mismatches.filter((mismatch: { fixed: boolean }) => mismatch.fixed).map((mismatch: { kind: string }) => mismatch.kind).sort()).toEqual([
      'MISSING_IN_PROVIDER', 'MISSING_IN_TOLLGATE', 'PERIOD_MISMATCH', 'PLAN_MISMATCH', 'STATUS_MISMATCH',
    ]);

    expect((await stateOf('acme-missing')).subscription).toMatchObject({ plan: 'team', status: 'ACTIVE', billingProviderIds: { stripeSubscriptionId: 'sub_1RMissing' } });
    expect((await stateOf('acme-plan')).subscription).toMatchObject({ plan: 'team' });
    // Past due since the period that began 2026-03-01 with no failed invoice seen: the grace (pro: 3 days) runs from
    // that period's start, so it has long ended; retries never move it.
    expect((await stateOf('acme-status')).subscription).toMatchObject({ status: 'PAST_DUE', phase: 'EXPIRED', graceEndsAt: '2026-03-04T00:00:00.000Z' });
    expect((await stateOf('acme-period')).subscription).toMatchObject({ currentPeriodStart: '2026-04-01T00:00:00.000Z', currentPeriodEnd: '2026-05-01T00:00:00.000Z' });
    expect((await stateOf('acme-gone')).subscription).toMatchObject({ status: 'CANCELED' });
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme-plan', feature: 'seats' });
    expect(entitlement).toMatchObject({ limit: 50, plan: { key: 'team' } });

    const { auditLog } = await t.admin.request(`{ auditLog(first: 100) { edges { node { actor action accountId reason } } } }`);
    const entries = auditLog.edges.map((edge: { node: { actor: string; action: string; accountId: string | null; reason: string | null } }) => edge.node);
    const fixes = entries.filter((entry: { actor: string; action: string }) => entry.actor === 'reconciliation' && entry.action === 'subscription.sync_from_billing');
    expect(fixes.map((entry: { accountId: string }) => entry.accountId).sort()).toEqual(['acme-gone', 'acme-missing', 'acme-period', 'acme-plan', 'acme-status']);
    for (const fix of fixes) expect(fix.reason).toContain(`reconciliation ${report.id}`);
    expect(entries.find((entry: { action: string }) => entry.action === 'billing.reconcile')).toBeDefined();
    // The cancel was confirmed by reading the subscription from Stripe: 404.
    expect(standIn.requests.some((request) => request.startsWith('GET /v1/subscriptions/sub_1RGone'))).toBe(true);

    const { reconcileBilling: again } = await t.admin.request(RECONCILE, { apply: true });
    expect(byKind(again.mismatches)).toEqual(['MISSING_IN_TOLLGATE sub_1ROrphan', 'UNKNOWN_PRICE sub_1RPrice']);
    expect(again.fixed).toBe(0);
  });

  it('runs as `npm run reconcile` against the running server: a table, the messages, and exit status 1 while mismatches remain', async () => {
    const cli = promisify(execFile)(process.execPath, ['server/dist/reconcile.js'], {
      env: { ...process.env, TOLLGATE_URL: `${t.url}/graphql`, TOLLGATE_ADMIN_KEY: TEST_ADMIN_KEY },
    });
    const failure = await cli.then(() => null, (error: { code: number; stdout: string }) => error);
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toMatch(/7 Stripe subscriptions, \d+ mirrored in Tollgate, 2 mismatches/);
    expect(failure?.stdout).toMatch(/UNKNOWN_PRICE.*acme-price.*sub_1RPrice.*needs an admin/);
    expect(failure?.stdout).toMatch(/- Stripe customer "cus_1ROrphan" is linked to no Tollgate account/);
  });

  it('changes nothing when Stripe fails while listing, and says so', async () => {
    const before = await tables();
    standIn.failing.add('list');
    try {
      const result = await t.admin.raw(RECONCILE, { apply: true });
      expect(result.errors?.[0]?.extensions?.code).toBe('STRIPE_UNAVAILABLE');
      expect(result.errors?.[0]?.message).toMatch(/Nothing was changed/);
    } finally {
      standIn.failing.delete('list');
    }
    expect(await tables()).toEqual(before);
  });

  it('is refused without STRIPE_API_KEY, saying how to enable it', async () => {
    const bare = await startTestServer();
    try {
      const result = await bare.admin.raw(RECONCILE, { apply: false });
      expect(result.errors?.[0]?.extensions?.code).toBe('STRIPE_NOT_CONFIGURED');
      expect(result.errors?.[0]?.message).toMatch(/STRIPE_API_KEY/);
    } finally {
      await bare.stop();
    }
  });
});
