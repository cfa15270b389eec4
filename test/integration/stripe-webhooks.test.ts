import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotDatabase, snapshotDifferences } from '../support/database-snapshot.js';
import { freshDatabase, type FreshDatabase } from '../support/database.js';
import { createAccount, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  deliver,
  seconds,
  signature,
  startStripeStandIn,
  stripeCheckoutSession,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  TEST_WEBHOOK_SECRET,
  type StripeStandIn,
  type SubscriptionSpec,
} from '../support/stripe.js';
import { publishPricedVersion, seedStripeCatalog, stripePrices, SUBSCRIPTION_STATE } from '../support/stripe-catalog.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

/**
 * `POST /webhooks/stripe` against the real server on PostgreSQL. Stripe cannot be reached from
 * where the tests run, so every event is signed here with the `stripe` package's own
 * `webhooks.generateTestHeaderString` (the HMAC Stripe computes), and Stripe's API is a local
 * stand-in (test/support/stripe.ts) that the server's `stripe` client reaches via STRIPE_API_BASE.
 * The first server runs without STRIPE_API_KEY (each event's own snapshot is applied); the
 * second with it (each event makes Tollgate read the subscription from the stand-in).
 */

const START = new Date('2026-11-01T00:00:00.000Z');
let now = new Date(START);
const at = (iso: string) => new Date(iso);
let counter = 0;
/** A fresh id with Stripe's prefix, unique in this file. */
const id = (prefix: string) => `${prefix}_T${(counter += 1).toString().padStart(4, '0')}`;

/** An active subscription of `customer` on pro monthly, for the current month. */
function proSubscription(overrides: Partial<SubscriptionSpec> & { customer: string }): SubscriptionSpec {
  return {
    id: id('sub'),
    status: 'active',
    items: [{ price: stripePrices.proMonthly }],
    periodStart: '2026-10-20T00:00:00Z',
    periodEnd: '2026-11-20T00:00:00Z',
    ...overrides,
  };
}

const ISSUES = `query ($first: Int, $after: String, $resolved: Boolean) { billingSyncIssues(first: $first, after: $after, resolved: $resolved) {
  edges { cursor node { id kind eventId eventType customerId subscriptionId priceIds message resolvedAt resolution } }
  pageInfo { hasNextPage endCursor } } }`;
const LINK = `mutation ($accountId: ID!, $customerId: String!) { linkBillingCustomer(accountId: $accountId, customerId: $customerId) { id billingCustomerIds } }`;

describe('Stripe webhooks', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer({
      clock: () => new Date(now),
      stripe: { webhookSecret: TEST_WEBHOOK_SECRET },
      env: { TOLLGATE_PAST_DUE_GRACE_DAYS: '5' },
    });
    await seedStripeCatalog(t.admin);
  });
  afterAll(async () => {
    await t?.stop();
  });

  const post = (event: ReturnType<typeof stripeEvent>, options: Parameters<typeof deliver>[2] = {}) => deliver(t.url, event, { now, ...options });
  const accountState = async (accountId: string) => (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${SUBSCRIPTION_STATE} } }`, { id: accountId })).account;
  const entitlement = async (accountId: string, feature: string) => (await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature })).entitlement;
  const eventRow = async (eventId: string) => (await sql<{ outcome: string; account_id: string | null; detail: string | null }>(t, 'select outcome, account_id, detail from billing_event where id = ?', [eventId]))[0];

  describe('verifies every delivery before it does anything', () => {
    type Tamper = (payload: string) => { payload?: string; header?: string | null };
    const signedNow = (payload: string, options: { secret?: string; ago?: number } = {}) =>
      signature(payload, { secret: options.secret, timestamp: seconds(now.toISOString()) - (options.ago ?? 0) });
    const rows: [string, number, Tamper][] = [
      ['a valid signature', 200, () => ({})],
      ['a signature by another secret', 400, (payload) => ({ header: signedNow(payload, { secret: 'whsec_someone_else' }) })],
      ['a signature made 301 s ago', 400, (payload) => ({ header: signedNow(payload, { ago: 301 }) })],
      ['a signature made 299 s ago', 200, (payload) => ({ header: signedNow(payload, { ago: 299 }) })],
      ['a body changed after it was signed', 400, (payload) => ({ header: signedNow(payload), payload: payload.replace('"active"', '"trialing"') })],
      ['no Stripe-Signature header', 400, () => ({ header: null })],
      ['several v1 signatures, one of them valid', 200, (payload) => {
        const [timestamp, v1] = signedNow(payload).split(',');
        return { header: `${timestamp},v1=${'0'.repeat(64)},${v1},v1=${'f'.repeat(64)}` };
      }],
    ];

    it.each(rows)('%s: answers %i; a refused one changes nothing (accounts, audit, billing_event)', async (_name, status, tamper) => {
      const accountId = id('acct');
      await createAccount(t.admin, accountId);
      const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(proSubscription({ customer: id('cus'), account: accountId })));
      const payload = JSON.stringify(event);
      const { payload: sent = payload, header } = tamper(payload);
      const before = await snapshotDatabase(t);
      const answer = await deliver(t.url, sent, { signatureHeader: header, now });
      const after = await snapshotDatabase(t);
      expect(answer.status, JSON.stringify(answer.body)).toBe(status);
      if (status === 400) {
        expect(answer.body.error.code).toBe('STRIPE_SIGNATURE_INVALID');
        expect(answer.body.error.message).toMatch(/STRIPE_WEBHOOK_SECRET/);
        expect(snapshotDifferences(before, after)).toEqual([]);
      } else {
        expect(answer.body).toMatchObject({ received: true, eventId: event.id, outcome: 'APPLIED' });
        expect((await accountState(accountId)).subscription.plan).toBe('pro');
      }
    });

    it('answers 413 for a body over 1 MB and 400 for a body that is not JSON or is empty, before any work', async () => {
      const before = await snapshotDatabase(t);
      const big = await deliver(t.url, JSON.stringify({ id: 'evt_big', padding: 'x'.repeat(1024 * 1024) }), { now });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const malformed = await deliver(t.url, '{"id": "evt_broken", "type": ', { now });
      expect(malformed).toEqual({ status: 400, body: { error: { code: 'MALFORMED_EVENT', message: expect.stringMatching(/not JSON/) } } });
      const empty = await deliver(t.url, '', { now });
      expect(empty.status).toBe(400);
      const noContentType = await deliver(t.url, '', { now, contentType: null });
      expect(noContentType.status).toBe(400);
      expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
    });

    it('answers 400 for a signed event whose object Stripe would not send, and records nothing', async () => {
      const before = await snapshotDatabase(t);
      const answer = await post(stripeEvent(id('evt'), 'customer.subscription.updated', now.toISOString(), { id: 'sub_x', object: 'subscription' }));
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('MALFORMED_EVENT');
      expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
    });
  });

  it('answers an event type it does not handle 200 and records it as IGNORED', async () => {
    const event = stripeEvent(id('evt'), 'customer.updated', now.toISOString(), { id: id('cus'), object: 'customer', metadata: {} });
    expect(await post(event)).toMatchObject({ status: 200, body: { outcome: 'IGNORED', detail: 'Tollgate does not handle customer.updated events' } });
    expect(await eventRow(event.id)).toMatchObject({ outcome: 'IGNORED' });
    expect(await post(event)).toMatchObject({ status: 200, body: { outcome: 'DUPLICATE' } });
  });

  it('applies a subscription to the account its metadata names, audited with actor stripe, before, after and the event id', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer, account: accountId, items: [{ price: stripePrices.proYearly }] });
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(spec));
    expect((await post(event)).body.outcome).toBe('APPLIED');
    expect(await accountState(accountId)).toEqual({
      billingCustomerIds: [customer],
      subscription: expect.objectContaining({
        status: 'ACTIVE', phase: 'ACTIVE', plan: 'pro', currentPeriodStart: '2026-10-20T00:00:00.000Z', currentPeriodEnd: '2026-11-20T00:00:00.000Z',
        billingProviderIds: { stripeCustomerId: customer, stripeSubscriptionId: spec.id },
      }),
    });
    const { auditLog } = await t.admin.request(`query ($id: ID) { auditLog(accountId: $id, first: 5) { edges { node { actor action before after reason } } } }`, { id: accountId });
    const entries = auditLog.edges.map((edge: any) => edge.node);
    expect(entries.find((entry: any) => entry.action === 'subscription.sync_from_billing')).toMatchObject({
      actor: 'stripe',
      before: null,
      after: { plan: 'pro', status: 'ACTIVE', source: { id: event.id, type: 'customer.subscription.created', mirrors: spec.id } },
      reason: `Stripe event ${event.id} (customer.subscription.created)`,
    });
    expect(entries.find((entry: any) => entry.action === 'billing_customer.link')).toMatchObject({ actor: 'stripe', after: { customerId: customer, accountId } });
  });

  it('applies two concurrent deliveries of one event once: one APPLIED, the rest DUPLICATE, one row, one audit entry', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(proSubscription({ customer: id('cus'), account: accountId })));
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(event)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(answers.map((answer) => answer.body.outcome).sort()).toEqual(['APPLIED', ...Array(19).fill('DUPLICATE')]);
    const [rows] = await sql<{ events: string; audits: string }>(t,
      `select (select count(*) from billing_event where id = ?) as events,
              (select count(*) from audit_entry where account_id = ? and action = 'subscription.sync_from_billing') as audits`, [event.id, accountId]);
    expect(rows).toEqual({ events: '1', audits: '1' });
  });

  it('changes nothing for an event older than the newest of its subscription (STALE)', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer: id('cus'), account: accountId });
    const newer = stripeEvent(id('evt'), 'customer.subscription.updated', '2026-10-31T12:00:00Z', stripeSubscription({ ...spec, items: [{ price: stripePrices.teamMonthly }] }));
    const older = stripeEvent(id('evt'), 'customer.subscription.updated', '2026-10-31T11:00:00Z', stripeSubscription(spec));
    expect((await post(newer)).body.outcome).toBe('APPLIED');
    const before = await accountState(accountId);
    expect(await post(older)).toMatchObject({ status: 200, body: { outcome: 'STALE' } });
    expect(await accountState(accountId)).toEqual(before);
    expect(before.subscription.plan).toBe('team');
  });

  it('sets add-on quantities from subscription items with an add-on\'s price, as setAddOn would', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer: id('cus'), account: accountId, items: [{ price: stripePrices.proMonthly }, { price: stripePrices.seatsPack, quantity: 3 }] });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', '2026-10-31T10:00:00Z', stripeSubscription(spec)));
    expect((await accountState(accountId)).subscription.addOns).toEqual([{ addOn: 'seats_pack', quantity: 3 }]);
    expect(await entitlement(accountId, 'seats')).toMatchObject({ allowed: true, limit: 10 + 3 * 5 });
    await post(stripeEvent(id('evt'), 'customer.subscription.updated', '2026-10-31T11:00:00Z', stripeSubscription({ ...spec, items: [{ price: stripePrices.proMonthly }] })));
    expect((await accountState(accountId)).subscription.addOns).toEqual([]);
    expect(await entitlement(accountId, 'seats')).toMatchObject({ limit: 10 });
  });

  it('makes a failed payment PAST_DUE with the plan version\'s grace: allowed until the grace ends, then EXPIRED', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    now = at('2026-11-02T00:00:00Z');
    const spec = proSubscription({ customer, account: accountId, periodStart: '2026-11-02T00:00:00Z', periodEnd: '2026-12-02T00:00:00Z' });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', '2026-11-01T00:00:00Z', stripeSubscription(spec)));
    const failedAt = '2026-11-02T00:00:00Z';
    const failed = stripeEvent(id('evt'), 'invoice.payment_failed', failedAt, stripeInvoice({ id: id('in'), customer, subscription: spec.id, amountPaid: 0, amountDue: 2900 }));
    expect((await post(failed)).body.outcome).toBe('APPLIED');
    // pro's pastDueGraceDays is 3.
    const graceEnd = new Date(Date.parse(failedAt) + 3 * 86_400_000);
    expect((await accountState(accountId)).subscription).toMatchObject({ status: 'PAST_DUE', phase: 'PAST_DUE', graceEndsAt: graceEnd.toISOString() });
    now = new Date(graceEnd.getTime() - 1);
    expect(await entitlement(accountId, 'export_csv')).toMatchObject({ allowed: true, plan: { key: 'pro' } });
    now = graceEnd;
    expect(await entitlement(accountId, 'export_csv')).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE', plan: { key: 'free' } });
    expect((await accountState(accountId)).subscription.phase).toBe('EXPIRED');
    // Paid after all: ACTIVE again, the grace cleared.
    const paid = stripeEvent(id('evt'), 'invoice.paid', graceEnd.toISOString(), stripeInvoice({ id: id('in'), customer, subscription: spec.id, amountPaid: 2900 }));
    expect((await post(paid)).body.outcome).toBe('APPLIED');
    expect((await accountState(accountId)).subscription).toMatchObject({ status: 'ACTIVE', phase: 'ACTIVE', graceEndsAt: null });
    now = new Date(START);
  });

  it('gives a version without pastDueGraceDays the server\'s TOLLGATE_PAST_DUE_GRACE_DAYS', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer, account: accountId, items: [{ price: stripePrices.teamMonthly }] });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', '2026-10-30T00:00:00Z', stripeSubscription(spec)));
    await post(stripeEvent(id('evt'), 'customer.subscription.updated', '2026-10-31T00:00:00Z', stripeSubscription({ ...spec, status: 'past_due' })));
    // No failed invoice seen: the grace runs from the start of the period whose invoice is unpaid (2026-10-20), 5 days.
    expect((await accountState(accountId)).subscription).toMatchObject({ status: 'PAST_DUE', graceEndsAt: '2026-10-25T00:00:00.000Z' });
  });

  it('turns customer.subscription.deleted into CANCELED: the account falls back to the default plan', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer: id('cus'), account: accountId });
    await post(stripeEvent(id('evt'), 'customer.subscription.created', '2026-10-20T00:00:00Z', stripeSubscription(spec)));
    expect(await entitlement(accountId, 'export_csv')).toMatchObject({ allowed: true });
    const deleted = stripeEvent(id('evt'), 'customer.subscription.deleted', '2026-10-31T00:00:00Z',
      stripeSubscription({ ...spec, status: 'canceled', canceledAt: '2026-10-31T00:00:00Z', endedAt: '2026-10-31T00:00:00Z' }));
    expect((await post(deleted)).body.outcome).toBe('APPLIED');
    expect((await accountState(accountId)).subscription).toMatchObject({ status: 'CANCELED', phase: 'CANCELED', canceledAt: '2026-10-31T00:00:00.000Z' });
    expect(await entitlement(accountId, 'export_csv')).toMatchObject({ allowed: false, reason: 'SUBSCRIPTION_INACTIVE', plan: { key: 'free' } });
  });

  it('keeps an event of an unknown customer as an issue, and linkBillingCustomer replays it: the plan changes', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer });
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(spec));
    expect(await post(event)).toMatchObject({ status: 200, body: { outcome: 'UNMAPPED' } });
    const open = (await t.admin.request(ISSUES, { resolved: false, first: 100 })).billingSyncIssues.edges.map((edge: any) => edge.node);
    expect(open.find((issue: any) => issue.eventId === event.id)).toMatchObject({
      kind: 'UNKNOWN_CUSTOMER', eventType: 'customer.subscription.created', customerId: customer, subscriptionId: spec.id, resolvedAt: null, resolution: null,
      message: expect.stringContaining(`linkBillingCustomer(accountId: …, customerId: "${customer}")`),
    });
    expect((await accountState(accountId)).subscription).toBeNull();

    const { linkBillingCustomer } = await t.admin.request(LINK, { accountId, customerId: customer });
    expect(linkBillingCustomer).toEqual({ id: accountId, billingCustomerIds: [customer] });
    expect((await accountState(accountId)).subscription).toMatchObject({ plan: 'pro', status: 'ACTIVE' });
    const resolved = (await t.admin.request(ISSUES, { resolved: true, first: 100 })).billingSyncIssues.edges.map((edge: any) => edge.node);
    expect(resolved.find((issue: any) => issue.eventId === event.id)).toMatchObject({
      resolvedAt: now.toISOString(),
      resolution: 'replayed after linkBillingCustomer by bootstrap admin (TOLLGATE_ADMIN_KEY): applied',
    });
    expect(await eventRow(event.id)).toMatchObject({ outcome: 'APPLIED', account_id: accountId });
    expect(await post(event)).toMatchObject({ status: 200, body: { outcome: 'DUPLICATE' } });
  });

  it('leaves no event behind when its customer is linked while the events arrive', async () => {
    for (let round = 0; round < 5; round += 1) {
      const accountId = id('acct');
      const customer = id('cus');
      await createAccount(t.admin, accountId);
      const spec = proSubscription({ customer });
      const events = Array.from({ length: 8 }, (_, index) =>
        stripeEvent(id('evt'), 'customer.subscription.updated', `2026-10-31T10:00:0${index}Z`, stripeSubscription({ ...spec, items: [{ price: stripePrices.proMonthly }, { price: stripePrices.seatsPack, quantity: index + 1 }] })));
      const answers = await Promise.all([
        ...events.slice(0, 4).map((event) => post(event)),
        t.admin.request(LINK, { accountId, customerId: customer }),
        ...events.slice(4).map((event) => post(event)),
      ]);
      expect(answers.filter((answer: any) => 'status' in answer && answer.status !== 200)).toEqual([]);
      const [open] = await sql<{ count: string }>(t, 'select count(*) as count from billing_sync_issue where customer_id = ? and resolved_at is null', [customer]);
      expect(open!.count).toBe('0');
      // The newest event wins, whichever way the race went.
      expect((await accountState(accountId)).subscription.addOns).toEqual([{ addOn: 'seats_pack', quantity: 8 }]);
    }
  });

  it('keeps a customer to one account, and audits a link', async () => {
    const [first, second] = [id('acct'), id('acct')];
    const customer = id('cus');
    await createAccount(t.admin, first);
    await createAccount(t.admin, second);
    await t.admin.request(LINK, { accountId: first, customerId: customer });
    expect((await t.admin.request(LINK, { accountId: first, customerId: customer })).linkBillingCustomer.billingCustomerIds).toEqual([customer]);
    const refused = await t.admin.raw(LINK, { accountId: second, customerId: customer });
    expect(refused.errors[0]).toMatchObject({ extensions: { code: 'BILLING_CUSTOMER_LINKED' }, message: expect.stringContaining(`already linked to account "${first}"`) });
    expect(await t.admin.errorCode(LINK, { accountId: 'no-such-account', customerId: id('cus') })).toBe('ACCOUNT_NOT_FOUND');
    expect(await t.admin.errorCode(LINK, { accountId: first, customerId: 'not-a-customer' })).toBe('BAD_USER_INPUT');
    const [links] = await sql<{ count: string }>(t, `select count(*) as count from audit_entry where action = 'billing_customer.link' and entity_id = ?`, [customer]);
    expect(links!.count).toBe('1');
  });

  it('replays the earlier events of a customer once a later event links it', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer, account: accountId });
    // The invoice arrives first and names no account: it waits.
    const failed = stripeEvent(id('evt'), 'invoice.payment_failed', '2026-10-31T10:00:00Z', stripeInvoice({ id: id('in'), customer, subscription: spec.id, amountPaid: 0 }));
    expect((await post(failed)).body.outcome).toBe('UNMAPPED');
    const created = stripeEvent(id('evt'), 'customer.subscription.created', '2026-10-31T09:00:00Z', stripeSubscription(spec));
    expect((await post(created)).body.outcome).toBe('APPLIED');
    expect((await accountState(accountId)).subscription).toMatchObject({ status: 'PAST_DUE', graceEndsAt: '2026-11-03T10:00:00.000Z' });
    const issues = (await t.admin.request(ISSUES, { first: 100 })).billingSyncIssues.edges.map((edge: any) => edge.node);
    expect(issues.find((issue: any) => issue.eventId === failed.id)!.resolution).toBe(`replayed after Stripe event ${created.id} linked ${customer}: applied`);
  });

  it('keeps an event with an unknown price as an issue, replayed once a plan version maps the price', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer: id('cus'), account: accountId, items: [{ price: 'price_1QEnterpriseYearly' }] });
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(spec));
    expect((await post(event)).body.outcome).toBe('UNMAPPED');
    const issue = (await t.admin.request(ISSUES, { resolved: false, first: 100 })).billingSyncIssues.edges.map((edge: any) => edge.node).find((node: any) => node.eventId === event.id);
    expect(issue).toMatchObject({ kind: 'UNKNOWN_PRICE', priceIds: ['price_1QEnterpriseYearly'], message: expect.stringMatching(/map to no plan version or add-on|maps to no plan version or add-on/) });
    // The customer was linked all the same: only the price was missing.
    expect((await accountState(accountId)).billingCustomerIds).toEqual([spec.customer]);

    await t.admin.request(`mutation ($input: CreatePlanInput!) { createPlan(input: $input) { key } }`, { input: { key: 'enterprise', name: 'Enterprise', rank: 30 } });
    await publishPricedVersion(t.admin, { plan: 'enterprise', price: 99_900, interval: 'YEAR', billingPriceIds: ['price_1QEnterpriseYearly'], entitlements: [{ feature: 'export_csv' }] });
    expect((await accountState(accountId)).subscription).toMatchObject({ plan: 'enterprise', status: 'ACTIVE' });
    const resolved = (await t.admin.request(ISSUES, { resolved: true, first: 100 })).billingSyncIssues.edges.map((edge: any) => edge.node).find((node: any) => node.eventId === event.id);
    expect(resolved.resolution).toBe('replayed after createPlanVersion by bootstrap admin (TOLLGATE_ADMIN_KEY): applied');
  });

  it('refuses a price that already maps to a plan version or add-on, naming it', async () => {
    const taken = await t.admin.raw(`mutation ($input: CreateAddOnInput!) { createAddOn(input: $input) { key } }`, {
      input: { key: 'more_seats', name: 'More seats', price: { amount: 500, currency: 'USD' }, billingPriceId: stripePrices.proYearly, grants: [{ feature: 'seats', limitIncrement: 1 }] },
    });
    expect(taken.errors[0]).toMatchObject({
      extensions: { code: 'BILLING_PRICE_TAKEN', priceId: stripePrices.proYearly },
      message: `Stripe price "${stripePrices.proYearly}" is already mapped to plan "pro" version 1. A price maps to one plan version or add-on: create another price in Stripe for this one.`,
    });
    const twice = await t.admin.raw(`mutation ($input: CreatePlanVersionInput!) { createPlanVersion(input: $input) { version } }`, {
      input: { plan: 'team', price: { amount: 1, currency: 'USD' }, billingPriceIds: ['price_x', 'price_x'], entitlements: [] },
    });
    expect(twice.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { plans } = await t.admin.request(`{ plans { key versions { version billingPriceIds pastDueGraceDays } } }`);
    expect(plans.find((plan: any) => plan.key === 'pro').versions).toEqual([{ version: 1, billingPriceIds: [stripePrices.proMonthly, stripePrices.proYearly], pastDueGraceDays: 3 }]);
    const { addOns } = await t.admin.request(`{ addOns { key billingPriceId } }`);
    expect(addOns).toContainEqual({ key: 'seats_pack', billingPriceId: stripePrices.seatsPack });
  });

  it('pages sync issues newest first and refuses a cursor that is not one', async () => {
    for (let index = 0; index < 2; index += 1) {
      const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(proSubscription({ customer: id('cus') })));
      expect((await post(event)).body.outcome).toBe('UNMAPPED');
    }
    const first = (await t.admin.request(ISSUES, { first: 1 })).billingSyncIssues;
    expect(first.edges).toHaveLength(1);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const next = (await t.admin.request(ISSUES, { first: 1, after: first.pageInfo.endCursor })).billingSyncIssues;
    expect(Number(next.edges[0].node.id)).toBeLessThan(Number(first.edges[0].node.id));
    expect(await t.admin.errorCode(ISSUES, { after: 'bm9wZQ' })).toBe('BAD_USER_INPUT');
    expect(await t.admin.errorCode(ISSUES, { first: 101 })).toBe('BAD_USER_INPUT');
  });
});

describe('Stripe webhooks with an API key: every event reads the subscription', () => {
  let t: TestServer;
  let standIn: StripeStandIn;

  beforeAll(async () => {
    standIn = await startStripeStandIn();
    t = await startTestServer({
      clock: () => new Date(now),
      stripe: { webhookSecret: TEST_WEBHOOK_SECRET, apiKey: 'sk_test_tollgate_standin', apiBase: standIn.url },
      env: { TOLLGATE_PAST_DUE_GRACE_DAYS: '5' },
    });
    await seedStripeCatalog(t.admin);
  });
  afterAll(async () => {
    await t?.stop();
    await standIn?.close();
  });

  const post = (event: ReturnType<typeof stripeEvent>, options: Parameters<typeof deliver>[2] = {}) => deliver(t.url, event, { now, ...options });
  const accountState = async (accountId: string) => (await t.admin.request(`query ($id: ID!) { account(id: $id) { ${SUBSCRIPTION_STATE} } }`, { id: accountId })).account;

  it('asks Stripe for an unlinked customer\'s metadata, and keeps the event as an issue when it names no account', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer });
    standIn.subscriptions.set(spec.id, stripeSubscription(spec));
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(spec));
    expect(await post(event)).toMatchObject({ status: 200, body: { outcome: 'UNMAPPED' } });
    // The stand-in knows no such customer, so its metadata could not name the account either.
    expect(standIn.requests).toContain(`GET /v1/customers/${customer}`);
  });

  it('reads an unlinked customer\'s own metadata from Stripe\'s API to find its account', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    standIn.customers.set(customer, { id: customer, object: 'customer', metadata: { tollgate_account_id: accountId } });
    const spec = proSubscription({ customer });
    standIn.subscriptions.set(spec.id, stripeSubscription(spec));
    const event = stripeEvent(id('evt'), 'customer.subscription.created', now.toISOString(), stripeSubscription(spec));
    expect((await post(event)).body.outcome).toBe('APPLIED');
    expect(await accountState(accountId)).toMatchObject({ billingCustomerIds: [customer], subscription: { plan: 'pro' } });
  });

  it('links the customer of a completed checkout and, with an API key, applies its subscription on that one event', async () => {
    const accountId = id('acct');
    const customer = id('cus');
    await createAccount(t.admin, accountId);
    const spec = proSubscription({ customer, status: 'trialing', trialEnd: '2026-11-14T00:00:00Z', periodStart: '2026-10-31T00:00:00Z', periodEnd: '2026-11-14T00:00:00Z' });
    standIn.subscriptions.set(spec.id, stripeSubscription(spec));
    const checkout = stripeEvent(id('evt'), 'checkout.session.completed', '2026-10-31T00:00:00Z',
      stripeCheckoutSession({ id: id('cs_test'), customer, clientReferenceId: accountId, subscription: spec.id }));
    expect((await post(checkout)).body.outcome).toBe('APPLIED');
    expect(standIn.requests.some((request) => request.startsWith(`GET /v1/subscriptions/${spec.id}?`))).toBe(true);
    expect(await accountState(accountId)).toMatchObject({
      billingCustomerIds: [customer],
      subscription: { plan: 'pro', status: 'TRIALING', phase: 'TRIAL', trialEndsAt: '2026-11-14T00:00:00.000Z' },
    });
  });

  it('answers 503 when Stripe\'s API fails while it is needed, writing nothing, so that Stripe delivers again', async () => {
    const accountId = id('acct');
    await createAccount(t.admin, accountId);
    const subscriptionId = id('sub');
    standIn.failing.add(subscriptionId);
    const checkout = stripeEvent(id('evt'), 'checkout.session.completed', now.toISOString(),
      stripeCheckoutSession({ id: id('cs_test'), customer: id('cus'), clientReferenceId: accountId, subscription: subscriptionId }));
    const before = await snapshotDatabase(t);
    const answer = await post(checkout);
    expect(answer.status).toBe(503);
    expect(answer.body.error.code).toBe('STRIPE_UNAVAILABLE');
    expect(snapshotDifferences(before, await snapshotDatabase(t))).toEqual([]);
  });

});

describe('Stripe webhooks without an API key', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(START), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedStripeCatalog(t.admin);
  });
  afterAll(() => t?.stop());

  it('links a completed checkout\'s customer only; customer.subscription.created then brings the plan', async () => {
    await createAccount(t.admin, 'acme');
    const checkout = stripeEvent('evt_NoKey1', 'checkout.session.completed', START.toISOString(),
      stripeCheckoutSession({ id: 'cs_test_NoKey', customer: 'cus_NoKey', clientReferenceId: 'acme', subscription: 'sub_NoKey' }));
    expect((await deliver(t.url, checkout, { now: START })).body.outcome).toBe('APPLIED');
    const state = async () => (await t.admin.request(`{ account(id: "acme") { ${SUBSCRIPTION_STATE} } }`)).account;
    expect(await state()).toMatchObject({ billingCustomerIds: ['cus_NoKey'], subscription: null });
    // No metadata: the link made by the checkout maps it.
    const created = stripeEvent('evt_NoKey2', 'customer.subscription.created', START.toISOString(),
      stripeSubscription({ id: 'sub_NoKey', customer: 'cus_NoKey', status: 'active', items: [{ price: stripePrices.teamMonthly }], periodStart: '2026-10-31T00:00:00Z', periodEnd: '2026-11-30T00:00:00Z' }));
    expect((await deliver(t.url, created, { now: START })).body.outcome).toBe('APPLIED');
    expect((await state()).subscription).toMatchObject({ plan: 'team', status: 'ACTIVE' });
  });
});

describe('Stripe webhooks switched off', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.stop());

  it('answers 503 without STRIPE_WEBHOOK_SECRET, saying how to enable them, and reads no body', async () => {
    const answer = await deliver(t.url, stripeEvent('evt_Off', 'customer.updated', START.toISOString(), { id: 'cus_Off' }));
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'STRIPE_WEBHOOKS_DISABLED', message: expect.stringContaining('Set STRIPE_WEBHOOK_SECRET') });
    const [rows] = await sql<{ count: string }>(t, 'select count(*) as count from billing_event');
    expect(rows!.count).toBe('0');
  });
});

describe('Stripe webhooks while the database is down', () => {
  let database: FreshDatabase;
  let proxy: TcpProxy;
  let t: TestServer;

  beforeAll(async () => {
    database = await freshDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestServer({ databaseUrl: viaProxy.toString(), clock: () => new Date(START), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedStripeCatalog(t.admin);
    await createAccount(t.admin, 'acme');
  });
  afterAll(async () => {
    await proxy?.restore().catch(() => {});
    await t?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('answers 503 so that Stripe delivers again, and applies the redelivery once the database is back', async () => {
    const event = stripeEvent('evt_Down1', 'customer.subscription.created', START.toISOString(),
      stripeSubscription({ id: 'sub_Down', customer: 'cus_Down', account: 'acme', status: 'active', items: [{ price: stripePrices.proMonthly }], periodStart: '2026-10-31T00:00:00Z', periodEnd: '2026-11-30T00:00:00Z' }));
    await proxy.cut();
    const down = await deliver(t.url, event, { now: START });
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe('DATABASE_UNAVAILABLE');
    await proxy.restore();
    const again = await deliver(t.url, event, { now: START });
    expect(again).toMatchObject({ status: 200, body: { outcome: 'APPLIED' } });
    expect((await t.admin.request(`{ account(id: "acme") { subscription { plan } } }`)).account.subscription.plan).toBe('pro');
  });
});
