import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDatabase, snapshotDifferences } from '../support/database-snapshot.js';
import { createAccount, createFeature, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { CONSUME, sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  deliver,
  startStripeStandIn,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  TEST_WEBHOOK_SECRET,
  type StripeStandIn,
  type StripeTestEvent,
  type SubscriptionSpec,
} from '../support/stripe.js';
import { publishPricedVersion, seedStripeCatalog, stripePrices } from '../support/stripe-catalog.js';

/**
 * The eight event patterns of issue 19, each a scenario against the real server on PostgreSQL,
 * with the events Stripe really sends in the order (and the same second) it sends them. Stripe
 * cannot be reached from where the tests run: events are signed with the `stripe` package's own
 * helper, and Stripe's API is the local, stateful stand-in of test/support/stripe.ts (it holds
 * each subscription as Stripe would at that moment, answers retrieve, list and update with
 * idempotency keys, and fails on demand). One server runs with STRIPE_API_KEY (every event
 * reads the subscription from the stand-in), one without (each event's own snapshot).
 */

const START = new Date('2026-11-01T00:00:00.000Z');
let now = new Date(START);
let counter = 0;
/** A fresh id with Stripe's prefix (random case, as Stripe's are not in time order), unique in this file. */
const id = (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2, 8)}Z${(counter += 1).toString(36)}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const STATE = `billingCustomerIds subscription {
  status phase plan planVersion { version } graceEndsAt currentPeriodStart currentPeriodEnd cancelAtPeriodEnd cancelAt
  collectionPause { behavior resumesAt } planQuantity billingProviderIds { stripeCustomerId stripeSubscriptionId } }`;
const ISSUES = `query { billingSyncIssues(first: 100, resolved: false) { edges { node { kind eventId subscriptionId message } } } }`;
const CHANGE_PLAN = `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { subscription { plan status } } }`;

/** An active pro subscription of `customer`, for the current month. */
function spec(customer: string, overrides: Partial<SubscriptionSpec> = {}): SubscriptionSpec {
  return {
    id: id('sub'),
    customer,
    status: 'active',
    items: [{ price: stripePrices.proMonthly }],
    periodStart: '2026-10-20T00:00:00Z',
    periodEnd: '2026-11-20T00:00:00Z',
    ...overrides,
  };
}

/** The catalog of test/support/stripe-catalog.ts, and a metered plan counting by the billing period, and a per-seat plan. */
async function seedCatalog(t: TestServer): Promise<void> {
  await seedStripeCatalog(t.admin);
  await createFeature(t.admin, { key: 'api_calls', kind: 'METERED', unit: 'calls' });
  await t.admin.request(`mutation { createPlan(input: { key: "metered", name: "Metered", rank: 15 }) { key } }`);
  await publishPricedVersion(t.admin, {
    plan: 'metered', price: 4900, billingPriceIds: ['price_1QMetered'],
    entitlements: [{ feature: 'api_calls', limit: 100, period: 'BILLING_PERIOD' }, { feature: 'export_csv' }],
  });
  await t.admin.request(`mutation { createPlan(input: { key: "seat", name: "Per seat", rank: 12 }) { key } }`);
  const { createPlanVersion } = await t.admin.request(`mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version quantityFeature } }`, {
    input: { plan: 'seat', price: { amount: 800, currency: 'USD' }, billingPriceIds: ['price_1QSeat'], quantityFeature: 'seats', entitlements: [{ feature: 'seats', limit: 1 }, { feature: 'export_csv' }] },
  });
  expect(createPlanVersion.quantityFeature).toBe('seats');
  await t.admin.request(`mutation { publishPlanVersion(plan: "seat", version: 1) { status } }`);
}

describe('Stripe\'s real event patterns, with STRIPE_API_KEY', () => {
  let t: TestServer;
  let standIn: StripeStandIn;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await startTestServer({ clock: () => new Date(now), stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_patterns', apiBase: standIn.url } });
    await seedCatalog(t);
  });
  afterAll(async () => {
    await t?.stop();
    await standIn?.close();
  });

  const post = (event: StripeTestEvent) => deliver(t.url, event, { now });
  const state = async (accountId: string) => (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${STATE} } }`, { id: accountId })).account;
  const allowed = async (accountId: string, feature = 'export_csv') =>
    (await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature })).entitlement;
  /** Stripe changes the subscription (the stand-in holds it), and sends `type` about it. */
  const stripeSets = (subscription: SubscriptionSpec, at: Date, type = 'customer.subscription.updated') => {
    const object = stripeSubscription(subscription);
    standIn.subscriptions.set(subscription.id, object);
    return stripeEvent(id('evt'), type, seconds(at), object);
  };

  it('1. same second: created (incomplete), invoice.paid and updated (active) in any order end ACTIVE with access', async () => {
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const order of orders) {
      const accountId = id('acct');
      const customer = id('cus');
      await createAccount(t.admin, accountId);
      const subscription = spec(customer, { account: accountId });
      const created = stripeSets({ ...subscription, status: 'incomplete' }, now, 'customer.subscription.created');
      const paid = stripeEvent(id('evt'), 'invoice.paid', seconds(now), stripeInvoice({ id: id('in'), customer, subscription: subscription.id, account: accountId, amountPaid: 2900 }));
      const updated = stripeSets(subscription, now);
      // Stripe's state is the last one whenever the events arrive.
      const events = [created, paid, updated];
      for (const index of order) expect((await post(events[index]!)).status).toBe(200);
      expect((await state(accountId)).subscription, `order ${order}`).toMatchObject({ status: 'ACTIVE', phase: 'ACTIVE', plan: 'pro' });
      expect(await allowed(accountId)).toMatchObject({ allowed: true, plan: { key: 'pro' } });
    }
  });

  it('1b. same second: a read that began later wins over an earlier read answered late', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const subscription = spec(customer, { account: accountId });
    const first = stripeSets({ ...subscription, status: 'incomplete' }, now, 'customer.subscription.created');
    // Stripe moves on before the first event arrives: every event reads the newest state.
    const second = stripeSets(subscription, now);
    expect((await post(second)).body.outcome).toBe('APPLIED');
    expect((await post(first)).body.outcome).toBe('APPLIED');
    expect((await state(accountId)).subscription).toMatchObject({ status: 'ACTIVE' });
  });

  it('2. one customer pays for several accounts: each subscription goes to the account its metadata names', async () => {
    const [workspaceA, workspaceB] = [id('acct'), id('acct')];
    const customer = id('cus');
    await createAccount(t.admin, workspaceA);
    await createAccount(t.admin, workspaceB);
    await t.admin.request(`mutation ($a: ID!, $c: String!) { linkBillingCustomer(accountId: $a, customerId: $c) { id } }`, { a: workspaceA, c: customer });
    const team = spec(customer, { account: workspaceA, items: [{ price: stripePrices.teamMonthly }] });
    const pro = spec(customer, { account: workspaceB });
    expect((await post(stripeSets(team, now, 'customer.subscription.created'))).body.outcome).toBe('APPLIED');
    expect((await post(stripeSets(pro, now, 'customer.subscription.created'))).body.outcome).toBe('APPLIED');
    // An invoice of B's subscription carries no account: its stored subscription decides, not the customer link.
    const paid = stripeEvent(id('evt'), 'invoice.paid', seconds(now) + 5, stripeInvoice({ id: id('in'), customer, subscription: pro.id, amountPaid: 2900 }));
    expect((await post(paid)).body.outcome).toBe('APPLIED');
    expect((await state(workspaceA)).subscription).toMatchObject({ plan: 'team', billingProviderIds: { stripeSubscriptionId: team.id } });
    expect((await state(workspaceB)).subscription).toMatchObject({ plan: 'pro', billingProviderIds: { stripeSubscriptionId: pro.id } });
    // Both accounts show the customer that pays for them; the link stays with the first.
    expect((await state(workspaceA)).billingCustomerIds).toEqual([customer]);
    expect((await state(workspaceB)).billingCustomerIds).toEqual([customer]);
  });

  it('2b. a subscription whose metadata names another account than the one it was applied to is held as ACCOUNT_AMBIGUOUS', async () => {
    const [first, second] = [id('acct'), id('acct')];
    await createAccount(t.admin, first);
    await createAccount(t.admin, second);
    const subscription = spec(id('cus'), { account: first });
    await post(stripeSets(subscription, now, 'customer.subscription.created'));
    const moved = stripeSets({ ...subscription, account: second, items: [{ price: stripePrices.teamMonthly }] }, new Date(now.getTime() + 5000));
    expect(await post(moved)).toMatchObject({ status: 200, body: { outcome: 'HELD' } });
    expect((await state(first)).subscription).toMatchObject({ plan: 'pro' });
    expect((await state(second)).subscription).toBeNull();
    const issues = (await t.admin.request(ISSUES)).billingSyncIssues.edges.map((edge: any) => edge.node);
    expect(issues.find((issue: any) => issue.eventId === moved.id)).toMatchObject({ kind: 'ACCOUNT_AMBIGUOUS', message: expect.stringContaining(`names "${second}"`) });
  });

  it('3. changePlan of a Stripe-billed account changes it in Stripe once (idempotency key), and the next renewal keeps it', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const subscription = spec(customer, { account: accountId });
    await post(stripeSets(subscription, now, 'customer.subscription.created'));
    const input = { accountId, plan: 'team', prorationBehavior: 'NONE', idempotencyKey: 'upgrade-request-1', reason: 'asked by the customer' };
    expect((await t.admin.request(CHANGE_PLAN, { input })).changePlan.subscription).toMatchObject({ plan: 'team', status: 'ACTIVE' });
    // A retry of the same request: Stripe answers from its first answer and writes nothing.
    expect((await t.admin.request(CHANGE_PLAN, { input })).changePlan.subscription).toMatchObject({ plan: 'team' });
    expect(standIn.writes.get(subscription.id)).toBe(1);
    expect(standIn.subscriptions.get(subscription.id)!.items.data[0].price.id).toBe(stripePrices.teamMonthly);
    expect(standIn.subscriptions.get(subscription.id)!.latest_proration_behavior).toBe('none');
    // The renewal: Stripe charges the new price, and the event reads it.
    const renewal = stripeEvent(id('evt'), 'invoice.paid', seconds(now) + 60, stripeInvoice({ id: id('in'), customer, subscription: subscription.id, amountPaid: 9900 }));
    expect((await post(renewal)).body.outcome).toBe('APPLIED');
    expect((await state(accountId)).subscription).toMatchObject({ plan: 'team' });
    const { auditLog } = await t.admin.request(`query ($id: ID) { auditLog(accountId: $id, first: 10) { edges { node { action actor after } } } }`, { id: accountId });
    const change = auditLog.edges.map((edge: any) => edge.node).find((entry: any) => entry.action === 'subscription.change_plan');
    expect(change).toMatchObject({ actor: expect.any(String), after: { plan: 'team', prorationBehavior: 'NONE' } });
  });

  it('3b. a key without write access: changePlan is BILLING_MANAGED, naming the fix, and nothing changes', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscription = spec(id('cus'), { account: accountId });
    await post(stripeSets(subscription, now, 'customer.subscription.created'));
    standIn.failures.set(`update:${subscription.id}`, { status: 403, type: 'invalid_request_error', code: 'permission_error', message: 'The provided key does not have the required permissions for this endpoint.' });
    const refused = await t.admin.raw(CHANGE_PLAN, { input: { accountId, plan: 'team' } });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BILLING_MANAGED', accountId }, message: expect.stringMatching(/write access to Subscriptions/) });
    expect((await state(accountId)).subscription).toMatchObject({ plan: 'pro' });
  });

  it('4. reconciliation while a webhook lands mid-listing cancels nobody who pays', async () => {
    standIn.pageSize = 2;
    const accounts: string[] = [];
    for (let index = 0; index < 4; index += 1) {
      const accountId = id('acct');
      accounts.push(accountId);
      await createAccount(t.admin, accountId);
      await post(stripeSets(spec(id('cus'), { account: accountId }), now, 'customer.subscription.created'));
    }
    const newcomer = id('acct');
    await createAccount(t.admin, newcomer);
    const late = spec(id('cus'), { account: newcomer });
    let landed = false;
    standIn.beforeListPage = async (page) => {
      if (page !== 1 || landed) return;
      landed = true;
      // A customer pays while the listing is between pages: Stripe has it (on no page of this
      // listing, which is past it), and its webhook is applied at once.
      expect((await post(stripeSets(late, now, 'customer.subscription.created'))).body.outcome).toBe('APPLIED');
    };
    try {
      const { reconcileBilling } = await t.admin.request(`mutation { reconcileBilling(apply: true, maxCancelPercent: 100) { applied refusals { kind } mismatches { kind accountId fixed } } }`);
      expect(landed).toBe(true);
      expect(reconcileBilling.mismatches.filter((mismatch: any) => mismatch.kind === 'MISSING_IN_PROVIDER')).toEqual([]);
    } finally {
      standIn.beforeListPage = null;
    }
    for (const accountId of [...accounts, newcomer]) expect(await allowed(accountId), accountId).toMatchObject({ allowed: true });
  });

  it('4b. apply is refused when the key\'s mode is not the listed subscriptions\' (a test key against live data)', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const live = spec(id('cus'), { account: accountId });
    standIn.subscriptions.set(live.id, { ...stripeSubscription(live), livemode: true });
    try {
      const before = await snapshotDatabase(t);
      const { reconcileBilling } = await t.admin.request(`mutation { reconcileBilling(apply: true, maxCancelPercent: 100) { applied fixed refusals { kind message } } }`);
      expect(reconcileBilling).toMatchObject({ applied: false, fixed: 0, refusals: [{ kind: 'MODE_MISMATCH', message: expect.stringMatching(/test-mode key.*live-mode subscriptions/) }] });
      const changed = snapshotDifferences(before, await snapshotDatabase(t)).filter((table) => !String(table).startsWith('audit_entry'));
      expect(changed).toEqual([]);
    } finally {
      standIn.subscriptions.delete(live.id);
    }
  });

  it('5. a failed proration invoice leaves an active subscription active: the event only triggers a read', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const subscription = spec(customer, { account: accountId });
    await post(stripeSets(subscription, now, 'customer.subscription.created'));
    const failed = stripeEvent(id('evt'), 'invoice.payment_failed', seconds(now) + 10,
      { ...stripeInvoice({ id: id('in'), customer, subscription: subscription.id, amountPaid: 0, amountDue: 700 }), billing_reason: 'subscription_update' });
    expect((await post(failed)).body.outcome).toBe('APPLIED');
    expect((await state(accountId)).subscription).toMatchObject({ status: 'ACTIVE', phase: 'ACTIVE', graceEndsAt: null });
  });

  it('6. BILLING_PERIOD usage in a late renewal\'s gap counts in the period the renewal then shows, and late reports in the period of their timestamp', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const subscription = spec(customer, { account: accountId, items: [{ price: 'price_1QMetered' }], periodStart: '2026-10-01T10:00:00Z', periodEnd: '2026-11-01T10:00:00Z' });
    now = new Date('2026-10-20T00:00:00Z');
    try {
      await post(stripeSets(subscription, now, 'customer.subscription.created'));
      await t.admin.request(CONSUME, { input: { accountId, feature: 'api_calls', amount: 60, idempotencyKey: id('key') } });
      // The period ended at 10:00; Stripe's renewal webhook is two hours late.
      now = new Date('2026-11-01T12:00:00Z');
      const gap = (await t.admin.request(CONSUME, { input: { accountId, feature: 'api_calls', amount: 30, idempotencyKey: id('key') } })).consume;
      expect(gap).toMatchObject({ ok: true, entitlement: { used: 30, resetsAt: '2026-12-01T10:00:00.000Z' } });
      // A late report of October usage counts in October's period.
      const report = await t.admin.request(`mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted results { status } } }`,
        { events: [{ accountId, feature: 'api_calls', amount: 15, idempotencyKey: id('key'), timestamp: '2026-10-31T23:00:00.000Z' }] });
      expect(report.reportUsage.accepted).toBe(1);
      const renewed = stripeSets({ ...subscription, periodStart: '2026-11-01T10:00:00Z', periodEnd: '2026-12-01T10:00:00Z' }, now);
      expect((await post(renewed)).body.outcome).toBe('APPLIED');
      expect((await allowed(accountId, 'api_calls'))).toMatchObject({ used: 30, limit: 100, resetsAt: '2026-12-01T10:00:00.000Z' });
      const counters = await sql<{ period_start: Date; used: string }>(t, 'select period_start, used from usage_counter where account_id = ? order by period_start', [accountId]);
      expect(counters.map((row) => [new Date(row.period_start).toISOString(), Number(row.used)])).toEqual([
        ['2026-10-01T10:00:00.000Z', 75],
        ['2026-11-01T10:00:00.000Z', 30],
      ]);
    } finally {
      now = new Date(START);
    }
  });

  it('7. Stripe\'s 4xx become STRIPE_API_REFUSED sync issues answered 200; 5xx and 429 answer 503', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const cases: [number, string, number, string | null][] = [
      [401, 'authentication_error', 200, 'HELD'],
      [403, 'permission_error', 200, 'HELD'],
      [404, 'invalid_request_error', 200, 'HELD'],
      [429, 'rate_limit_error', 503, null],
      [500, 'api_error', 503, null],
      [503, 'api_error', 503, null],
    ];
    for (const [status, type, answered, outcome] of cases) {
      const subscription = spec(id('cus'), { account: accountId });
      const event = stripeSets(subscription, now, 'customer.subscription.created');
      standIn.failures.set(subscription.id, { status, type, ...(status === 404 ? { code: 'resource_missing', message: 'No such subscription; a similar object exists in live mode, but a test mode key was used.' } : {}) });
      const answer = await post(event);
      expect(answer.status, `${status}`).toBe(answered);
      if (outcome) {
        expect(answer.body.outcome).toBe(outcome);
        const issues = (await t.admin.request(ISSUES)).billingSyncIssues.edges.map((edge: any) => edge.node);
        expect(issues.find((issue: any) => issue.eventId === event.id)).toMatchObject({ kind: 'STRIPE_API_REFUSED', message: expect.stringMatching(/STRIPE_API_KEY/) });
      } else {
        expect(answer.body.error.code).toBe('STRIPE_UNAVAILABLE');
        // Stripe delivers again; once its API answers, the event applies.
        standIn.failures.delete(subscription.id);
        expect((await post(event)).body.outcome).toBe('APPLIED');
      }
      standIn.failures.delete(subscription.id);
    }
  });

  it('8. paused is a state without access, shown as such; cancel_at and pause_collection are shown as what they are', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscription = spec(id('cus'), { account: accountId });
    await post(stripeSets({ ...subscription, status: 'paused' }, now, 'customer.subscription.created'));
    expect((await state(accountId)).subscription).toMatchObject({ status: 'PAUSED', phase: 'PAUSED' });
    expect(await allowed(accountId)).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE' });
    const object = { ...stripeSubscription(subscription), cancel_at: seconds(new Date('2026-11-10T00:00:00Z')), pause_collection: { behavior: 'void', resumes_at: null } };
    standIn.subscriptions.set(subscription.id, object);
    await post(stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now) + 5, object));
    expect((await state(accountId)).subscription).toMatchObject({
      status: 'ACTIVE', phase: 'CANCELING', cancelAtPeriodEnd: false, cancelAt: '2026-11-10T00:00:00.000Z', collectionPause: { behavior: 'void', resumesAt: null },
    });
  });

  it('per seat: the plan item\'s quantity is the seats limit, through webhooks and reconciliation', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscription = spec(id('cus'), { account: accountId, items: [{ price: 'price_1QSeat', quantity: 12 }] });
    await post(stripeSets(subscription, now, 'customer.subscription.created'));
    expect(await allowed(accountId, 'seats')).toMatchObject({ allowed: true, limit: 12, plan: { key: 'seat' } });
    await post(stripeSets({ ...subscription, items: [{ price: 'price_1QSeat', quantity: 15 }] }, new Date(now.getTime() + 5000)));
    expect(await allowed(accountId, 'seats')).toMatchObject({ limit: 15 });
    expect((await state(accountId)).subscription.planQuantity).toBe(15);
    // Stripe changed the seats while webhooks were down: reconciliation finds and applies it.
    standIn.subscriptions.set(subscription.id, stripeSubscription({ ...subscription, items: [{ price: 'price_1QSeat', quantity: 20 }] }));
    const { reconcileBilling } = await t.admin.request(`mutation { reconcileBilling(apply: true, maxCancelPercent: 100) { mismatches { kind accountId fixed } } }`);
    expect(reconcileBilling.mismatches.filter((mismatch: any) => mismatch.accountId === accountId)).toEqual([{ kind: 'PLAN_MISMATCH', accountId, fixed: true }]);
    expect(await allowed(accountId, 'seats')).toMatchObject({ limit: 20 });
  });
});

describe('Stripe\'s real event patterns, without an API key', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedCatalog(t);
  });
  afterAll(() => t?.stop());

  const post = (event: StripeTestEvent | string) => deliver(t.url, event, { now });
  const state = async (accountId: string) => (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${STATE} } }`, { id: accountId })).account;
  const issues = async () => (await t.admin.request(ISSUES)).billingSyncIssues.edges.map((edge: any) => edge.node);

  it('1. same second: created (incomplete), invoice.paid and updated (active) in every order end ACTIVE, with no issue', async () => {
    for (const order of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
      const accountId = id('acct');
      const customer = id('cus');
      await createAccount(t.admin, accountId);
      const subscription = spec(customer, { account: accountId });
      const events = [
        stripeEvent(id('evt'), 'customer.subscription.created', seconds(now), stripeSubscription({ ...subscription, status: 'incomplete' })),
        stripeEvent(id('evt'), 'invoice.paid', seconds(now), { ...stripeInvoice({ id: id('in'), customer, subscription: subscription.id, account: accountId, amountPaid: 2900 }), billing_reason: 'subscription_create' }),
        stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now), stripeSubscription(subscription)),
      ];
      for (const index of order) expect((await post(events[index]!)).status).toBe(200);
      expect((await state(accountId)).subscription, `order ${order}`).toMatchObject({ status: 'ACTIVE', phase: 'ACTIVE' });
      expect((await issues()).filter((issue: any) => issue.subscriptionId === subscription.id)).toEqual([]);
    }
  });

  it('1c. two different snapshots of one second and one status are held as ORDER_AMBIGUOUS until the next event settles them', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscription = spec(id('cus'), { account: accountId, items: [{ price: stripePrices.proMonthly }, { price: stripePrices.seatsPack, quantity: 1 }] });
    const one = stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now), stripeSubscription(subscription));
    const two = stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now), stripeSubscription({ ...subscription, items: [{ price: stripePrices.proMonthly }, { price: stripePrices.seatsPack, quantity: 2 }] }));
    expect((await post(one)).body.outcome).toBe('APPLIED');
    expect((await post(two)).body.outcome).toBe('HELD');
    expect((await issues()).find((issue: any) => issue.eventId === two.id)).toMatchObject({ kind: 'ORDER_AMBIGUOUS', message: expect.stringMatching(/same second/) });
    const three = stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now) + 1, stripeSubscription({ ...subscription, items: [{ price: stripePrices.proMonthly }, { price: stripePrices.seatsPack, quantity: 3 }] }));
    expect((await post(three)).body.outcome).toBe('APPLIED');
    expect((await issues()).find((issue: any) => issue.eventId === two.id)).toBeUndefined();
    expect((await state(accountId)).subscription).toMatchObject({ status: 'ACTIVE' });
  });

  it('3. changePlan and plan migrations of a Stripe-billed account are BILLING_MANAGED without a key; the preview lists them as skipped', async () => {
    const billed = id('acct');
    const own = id('acct');
    await createAccount(t.admin, billed);
    await createAccount(t.admin, own);
    await post(stripeEvent(id('evt'), 'customer.subscription.created', seconds(now), stripeSubscription(spec(id('cus'), { account: billed, items: [{ price: 'price_1QMetered' }] }))));
    await t.admin.request(CHANGE_PLAN, { input: { accountId: own, plan: 'metered' } });
    const refused = await t.admin.raw(CHANGE_PLAN, { input: { accountId: billed, plan: 'team' } });
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BILLING_MANAGED' }, message: expect.stringMatching(/STRIPE_API_KEY/) });
    await publishPricedVersion(t.admin, { plan: 'metered', price: 5900, billingPriceIds: ['price_1QMeteredV2'], entitlements: [{ feature: 'api_calls', limit: 200, period: 'BILLING_PERIOD' }] });
    const { previewPlanMigration } = await t.admin.request(`query ($input: PlanMigrationInput!) { previewPlanMigration(input: $input) {
      accounts skippedByReason { reason accounts } skippedAccounts(first: 100) { edges { node { accountId reason } } } } }`, { input: { plan: 'metered', accountIds: [billed, own] } });
    expect(previewPlanMigration.accounts).toBe(1);
    expect(previewPlanMigration.skippedAccounts.edges.map((edge: any) => edge.node)).toEqual([{ accountId: billed, reason: 'BILLING_MANAGED' }]);
    const { startPlanMigration } = await t.admin.request(`mutation ($input: PlanMigrationInput!) { startPlanMigration(input: $input, reason: "v2") { status migrated skipped } }`, { input: { plan: 'metered', accountIds: [billed, own] } });
    expect(startPlanMigration).toMatchObject({ status: 'COMPLETED', migrated: 1, skipped: 1 });
    expect((await state(billed)).subscription.planVersion.version).toBe(1);
  });

  it('5. a failed proration invoice changes nothing; a cycle invoice\'s grace runs from its first failure, whatever the retries', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const subscription = spec(customer, { account: accountId });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', seconds(now), stripeSubscription(subscription)));
    const invoice = (invoiceId: string, reason: string) => ({ ...stripeInvoice({ id: invoiceId, customer, subscription: subscription.id, amountPaid: 0, amountDue: 2900 }), billing_reason: reason });
    const proration = await post(stripeEvent(id('evt'), 'invoice.payment_failed', seconds(now) + 10, invoice(id('in'), 'subscription_update')));
    expect(proration.body.outcome).toBe('IGNORED');
    expect((await state(accountId)).subscription).toMatchObject({ status: 'ACTIVE' });
    const cycle = id('in');
    const first = new Date('2026-11-01T00:10:00Z');
    // Days later (events are never from the future): the first failure, then Stripe's smart
    // retries of the same invoice, the one of day 1 delivered late.
    now = new Date('2026-11-07T00:00:00Z');
    try {
      for (const days of [0, 3, 5, 1]) {
        expect((await post(stripeEvent(id('evt'), 'invoice.payment_failed', seconds(first) + days * 86_400, invoice(cycle, 'subscription_cycle')))).status).toBe(200);
        // pro's pastDueGraceDays is 3: from the first failure, whatever retry came last.
        expect((await state(accountId)).subscription).toMatchObject({ status: 'PAST_DUE', graceEndsAt: '2026-11-04T00:10:00.000Z' });
      }
    } finally {
      now = new Date(START);
    }
  });

  it('8. impossible values are 400 MALFORMED_EVENT and write nothing; an unknown status is an issue that keeps the last good state', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscription = spec(id('cus'), { account: accountId });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', seconds(now), stripeSubscription(subscription)));
    const good = await state(accountId);
    const object = (change: (value: Record<string, any>) => void) => {
      const value = stripeSubscription(subscription);
      change(value);
      return stripeEvent(id('evt'), 'customer.subscription.updated', seconds(now) + 30, value);
    };
    const impossible = [
      object((value) => { value.items.data[0].quantity = -5; }),
      object((value) => { value.items.data[0].quantity = 2.5; }),
      object((value) => { value.items.data[0].current_period_end = value.items.data[0].current_period_start - 86_400; }),
      object((value) => { value.trial_end = 253_402_300_800 + 86_400 * 365; }),
      object((value) => { value.canceled_at = 1e20; }),
      // Created a day after Tollgate's now: it would outrank every real event.
      { ...object(() => {}), created: seconds(now) + 86_400 },
    ];
    for (const event of impossible) {
      const before = await snapshotDatabase(t);
      const answer = await post(event);
      expect(answer, JSON.stringify(event.data.object.items.data[0]).slice(0, 500)).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_EVENT' } } });
      expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
    }
    // 50,000 levels deep in a field Tollgate does not read (written as text: no JSON.stringify could): refused before it is parsed.
    const deep = JSON.stringify(object(() => {})).replace(/}$/, `,"unread":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`);
    const before = await snapshotDatabase(t);
    expect(await post(deep)).toMatchObject({ status: 400, body: { error: { code: 'MALFORMED_EVENT', message: expect.stringMatching(/nests deeper than 64/) } } });
    expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
    const frozen = object((value) => { value.status = 'frozen'; });
    expect(await post(frozen)).toMatchObject({ status: 200, body: { outcome: 'HELD' } });
    expect((await issues()).find((issue: any) => issue.eventId === frozen.id)).toMatchObject({ kind: 'UNKNOWN_STATUS', message: expect.stringContaining('"frozen"') });
    expect(await state(accountId)).toEqual(good);
  });
});

describe('a Tollgate-only subscription renews its period by itself at read time', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now) });
    await seedCatalog(t);
  });
  afterAll(() => t?.stop());

  it('6b. past its first period, the period moves on by the plan\'s interval and BILLING_PERIOD usage starts again at that boundary', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    now = new Date('2026-11-01T10:00:00Z');
    try {
      await t.admin.request(CHANGE_PLAN, { input: { accountId, plan: 'metered' } });
      await t.admin.request(CONSUME, { input: { accountId, feature: 'api_calls', amount: 90, idempotencyKey: id('key') } });
      now = new Date('2026-12-01T09:59:59Z');
      expect((await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature: 'api_calls' })).entitlement).toMatchObject({ used: 90, resetsAt: '2026-12-01T10:00:00.000Z' });
      now = new Date('2027-01-15T00:00:00Z');
      expect((await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature: 'api_calls' })).entitlement).toMatchObject({ used: 0, resetsAt: '2027-02-01T10:00:00.000Z' });
      const { account } = await t.admin.request(`query ($id: ID!) { account(id: $id) { subscription { currentPeriodStart currentPeriodEnd phase } } }`, { id: accountId });
      expect(account.subscription).toEqual({ currentPeriodStart: '2027-01-01T10:00:00.000Z', currentPeriodEnd: '2027-02-01T10:00:00.000Z', phase: 'ACTIVE' });
    } finally {
      now = new Date(START);
    }
  });
});
