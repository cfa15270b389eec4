import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, stripeEvent, stripeInvoice, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeTestEvent } from '../support/stripe.js';
import { createAccounts, seedStripeCatalog, stripePrices } from '../support/stripe-catalog.js';

/**
 * Hostile signed events: the property is that a correctly signed event (Stripe's secret leaked,
 * or a bug upstream) whatever it carries (a field removed, of the wrong type, a huge or NUL or
 * lone-surrogate string, nesting 2,000 deep, a number out of range, fractional or negative, a
 * `created` in the future) is
 * answered 200 or 400 and never 500; that no impossible value reaches a subscription (every
 * stored status is one Tollgate knows, every period ends after it starts and within 1970-9999,
 * every quantity is a whole number from 0 to 2^53-1); and that the ordered story of the same
 * subscription, delivered afterwards, still ends exactly where it should.
 *
 * Stripe cannot be reached from where the tests run: the events are signed here with the
 * `stripe` package's own helper. Bounded: FC_RUNS runs (default 25), each with 1-6 hostile
 * events, seeded by FC_SEED (random, printed at start).
 */

const NOW = new Date('2026-11-01T00:00:00.000Z');
const RUNS = Number(process.env.FC_RUNS ?? 25);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** Nested `depth` levels deep. */
function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level += 1) value = { nested: value };
  return value;
}

const REMOVE = Symbol('remove');
const hostileValue = fc.oneof(
  fc.constant(REMOVE),
  fc.constantFrom(null, true, false, 0, -1, -5, 2.5, 1e20, 2 ** 53, -(2 ** 53), 253_402_300_800, Number.MAX_VALUE, '', 'frozen', 'ACTIVE'),
  fc.constantFrom('a\u0000b', '\ud800', 'x'.repeat(70_000), 'sub_\u0000', 'price_\ud800'),
  fc.constantFrom([], [1, 2], {}, { id: 7 }, { id: 'sub_x', object: 'subscription' }),
  fc.constant(deep(2000)),
  // Generated, but never a value Stripe could mean: strings Stripe never sends, negative and fractional numbers.
  fc.string({ unit: 'binary', maxLength: 40 }).map((text) => `${text}\u0000`),
  fc.integer({ min: -(2 ** 31), max: -1 }),
  fc.double({ min: -1e9, max: 1e9, noNaN: true }).filter((value) => !Number.isInteger(value)),
);

/** Where in an event the hostile value goes. */
const subscriptionPaths: (string | number)[][] = [
  ['id'], ['type'], ['created'], ['data'], ['data', 'object'],
  ['data', 'object', 'id'], ['data', 'object', 'status'], ['data', 'object', 'customer'], ['data', 'object', 'metadata'],
  ['data', 'object', 'metadata', 'tollgate_account_id'], ['data', 'object', 'items'], ['data', 'object', 'items', 'data'],
  ['data', 'object', 'items', 'data', 0], ['data', 'object', 'items', 'data', 0, 'price'], ['data', 'object', 'items', 'data', 0, 'price', 'id'],
  ['data', 'object', 'items', 'data', 0, 'quantity'], ['data', 'object', 'items', 'data', 0, 'current_period_start'],
  ['data', 'object', 'items', 'data', 0, 'current_period_end'], ['data', 'object', 'trial_end'], ['data', 'object', 'cancel_at'],
  ['data', 'object', 'cancel_at_period_end'], ['data', 'object', 'canceled_at'], ['data', 'object', 'ended_at'], ['data', 'object', 'start_date'],
  ['data', 'object', 'pause_collection'], ['data', 'object', 'livemode'], ['data', 'object', 'unread_field'],
];
const invoicePaths: (string | number)[][] = [
  ['data', 'object', 'amount_paid'], ['data', 'object', 'billing_reason'], ['data', 'object', 'customer'], ['data', 'object', 'parent'],
  ['data', 'object', 'parent', 'subscription_details', 'subscription'], ['data', 'object', 'parent', 'subscription_details', 'metadata'], ['data', 'object', 'id'],
];

function mutate(event: StripeTestEvent, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(event) as Record<string, any>;
  let node: any = copy;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return copy;
    node[step] ??= {};
    node = node[step];
  }
  if (node === null || typeof node !== 'object') return copy;
  const last = path.at(-1)!;
  if (value === REMOVE) delete node[last];
  else node[last] = value;
  return copy;
}

const hostileEvent = fc.record({
  kind: fc.constantFrom('customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed'),
  path: fc.nat(),
  value: hostileValue,
  at: fc.integer({ min: 0, max: 86_400 }),
});

describe('hostile signed Stripe events', () => {
  let t: TestServer;
  let run = 0;

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(NOW), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedStripeCatalog(t.admin);
  });
  afterAll(() => t?.stop());

  /** No stored subscription holds a value Stripe cannot mean. */
  async function noImpossibleValues(): Promise<void> {
    const rows = await sql<{ status: string; start: string; end: string; add_ons: { addOnKey: string; quantity: number }[]; plan_quantity: string | null; bad_dates: boolean }>(t,
      `select status, current_period_start as start, current_period_end as end, add_ons, plan_quantity,
         (coalesce(trial_ends_at, current_period_start) < '1970-01-01' or coalesce(trial_ends_at, current_period_start) > '9999-12-31T23:59:59Z'
          or coalesce(cancel_at, current_period_start) > '9999-12-31T23:59:59Z' or coalesce(canceled_at, current_period_start) > '9999-12-31T23:59:59Z'
          or current_period_end > '9999-12-31T23:59:59Z') as bad_dates
       from subscription`);
    for (const row of rows) {
      expect(['TRIALING', 'ACTIVE', 'PAST_DUE', 'CANCELED', 'EXPIRED', 'PAUSED']).toContain(row.status);
      expect(new Date(row.end) >= new Date(row.start)).toBe(true);
      expect(row.bad_dates).toBe(false);
      for (const addOn of row.add_ons) expect(Number.isSafeInteger(addOn.quantity) && addOn.quantity >= 0).toBe(true);
      if (row.plan_quantity !== null) expect(Number.isSafeInteger(Number(row.plan_quantity)) && Number(row.plan_quantity) >= 0).toBe(true);
    }
  }

  it('answers every hostile signed event 200 or 400, applies no impossible value, and the ordered story still ends right afterwards', async () => {
    console.info(`hostile Stripe events: FC_SEED=${seed}, ${RUNS} runs`);
    const answered = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(hostileEvent, { minLength: 1, maxLength: 6 }), async (hostile) => {
        run += 1;
        const account = `fz-${run}-${seed}`;
        const customer = `cus_Fz${run}x${seed}`;
        const subscriptionId = `sub_Fz${run}x${seed}`;
        await createAccounts(t.admin, [account]);
        const base = { id: subscriptionId, customer, account, status: 'active', items: [{ price: stripePrices.proMonthly }], periodStart: '2026-10-15T00:00:00Z', periodEnd: '2026-11-15T00:00:00Z' };
        // The hostile events come before the story, in Stripe's time: old events replayed with a leaked secret.
        for (const [index, { kind, path, value, at }] of hostile.entries()) {
          const created = seconds('2026-10-01T00:00:00Z') + at;
          const object = kind.startsWith('invoice')
            ? stripeInvoice({ id: `in_Fz${run}x${index}`, customer, subscription: subscriptionId, account, amountPaid: kind === 'invoice.paid' ? 2900 : 0 })
            : stripeSubscription(base);
          const paths = kind.startsWith('invoice') ? [...invoicePaths, ...subscriptionPaths.slice(0, 5)] : subscriptionPaths;
          const event = mutate(stripeEvent(`evt_Fz${run}x${index}`, kind, created, object), paths[path % paths.length]!, value);
          const answer = await deliver(t.url, JSON.stringify(event), { now: NOW });
          answered.set(answer.status, (answered.get(answer.status) ?? 0) + 1);
          expect([200, 400], JSON.stringify(answer.body).slice(0, 300)).toContain(answer.status);
          await noImpossibleValues();
        }
        // The ordered story, in later seconds: created (incomplete), paid and active in one second, then 3 seats, then canceled at period end.
        const story = [
          stripeEvent(`evt_St${run}a`, 'customer.subscription.created', '2026-10-02T00:00:00Z', stripeSubscription({ ...base, status: 'incomplete' })),
          stripeEvent(`evt_St${run}b`, 'invoice.paid', '2026-10-02T00:00:00Z', { ...stripeInvoice({ id: `in_St${run}`, customer, subscription: subscriptionId, account, amountPaid: 2900 }), billing_reason: 'subscription_create' }),
          stripeEvent(`evt_St${run}c`, 'customer.subscription.updated', '2026-10-02T00:00:00Z', stripeSubscription(base)),
          stripeEvent(`evt_St${run}d`, 'customer.subscription.updated', '2026-10-03T00:00:00Z', stripeSubscription({ ...base, items: [...base.items, { price: stripePrices.seatsPack, quantity: 3 }] })),
          stripeEvent(`evt_St${run}e`, 'customer.subscription.updated', '2026-10-04T00:00:00Z', stripeSubscription({ ...base, items: [...base.items, { price: stripePrices.seatsPack, quantity: 3 }], cancelAtPeriodEnd: true })),
        ];
        for (const event of story) expect((await deliver(t.url, event, { now: NOW })).status).toBe(200);
        const { account: state } = await t.admin.request(`query ($id: ID!) { account(id: $id) { subscription { status plan cancelAtPeriodEnd addOns { addOn quantity }
          currentPeriodStart currentPeriodEnd billingProviderIds { stripeSubscriptionId } } } }`, { id: account });
        expect(state.subscription).toEqual({
          status: 'ACTIVE', plan: 'pro', cancelAtPeriodEnd: true, addOns: [{ addOn: 'seats_pack', quantity: 3 }],
          currentPeriodStart: '2026-10-15T00:00:00.000Z', currentPeriodEnd: '2026-11-15T00:00:00.000Z', billingProviderIds: { stripeSubscriptionId: subscriptionId },
        });
      }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
    console.info(`hostile Stripe events answered: ${[...answered].map(([status, times]) => `${status}×${times}`).join(', ')}`);
    expect(answered.get(500)).toBeUndefined();
  }, 600_000);
});
