import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccounts, seedStripeCatalog, stripePrices } from '../support/stripe-catalog.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, startStripeStandIn, stripeEvent, stripeSubscription, TEST_WEBHOOK_SECRET, type StripeStandIn, type StripeTestEvent } from '../support/stripe.js';
import { sql } from '../support/metering.js';

/**
 * The property: whatever Stripe's real patterns (bursts of events within one second, ids in no
 * time order, several subscriptions per customer each paying for its own account, deliveries
 * shuffled, late and duplicated), once every event has been delivered each account's
 * subscription is what the story's last Stripe state says (plan, status, period, cancellation,
 * add-ons, past-due grace), and no customer who pays at that moment is without access.
 *
 * Each run generates customers (1-3) with subscriptions (1-3 each), each living a path of
 * Stripe's own transitions: created and paid (`customer.subscription.created` incomplete,
 * `invoice.paid`, `customer.subscription.updated` active, all in one second), a trial that
 * converts, pauses or is canceled, renewals paid or failed (with smart retries of the same
 * invoice), recovery, a plan change with its proration invoice, a failed proration invoice, seats
 * bought, cancellation at period end, deletion, an unpaid first invoice that expires. Stripe's
 * state moves through the story in time order; events are delivered in a random interleaving as
 * they become due, then the rest, shuffled, each with a chance of redelivery.
 *
 * With STRIPE_API_KEY the stand-in (test/support/stripe.ts; Stripe cannot be reached from the
 * tests) holds each subscription as Stripe has it at that moment, and every event makes Tollgate
 * read it; without a key each event carries its own snapshot. On PostgreSQL and the embedded
 * database. Bounded: FC_RUNS runs (default 8) per database and mode, seeded by FC_SEED (random,
 * printed at start); FC_PATH replays one failure's path.
 */

const NOW = new Date('2026-10-25T00:00:00.000Z');
const T0 = Math.floor(Date.parse('2026-10-01T00:00:00Z') / 1000);
const DAY = 86_400;
const RUNS = Number(process.env.FC_RUNS ?? 8);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
/** TOLLGATE_PAST_DUE_GRACE_DAYS for team (pro has its own 3). */
const DEFAULT_GRACE_DAYS = 5;

/** A small deterministic generator, so a failing run replays from its seed. */
function random(seedValue: number): () => number {
  let state = seedValue >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Ids as Stripe makes them: random, in no time order, and never the same in two runs (the
 * story's own generator would repeat them for a repeated seed, and Tollgate would rightly take a
 * repeated event id for a redelivery).
 */
function stripeId(prefix: string, _next?: () => number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return `${prefix}_${Array.from({ length: 16 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('')}`;
}

/** One subscription as Stripe has it, moved by the story. */
interface Model {
  id: string;
  customer: string;
  account: string;
  status: string;
  price: string;
  seats: number;
  periodStart: number;
  periodEnd: number;
  trialEnd: number | null;
  cancelAtPeriodEnd: boolean;
  unpaidInvoice: string | null;
  firstFailure: number | null;
}

/** Events of one second, and Stripe's state once they have happened. */
interface Burst {
  at: number;
  model: Model;
  object: Record<string, any>;
  events: StripeTestEvent[];
}

const iso = (unix: number) => new Date(unix * 1000).toISOString();

function objectOf(model: Model): Record<string, any> {
  const object = stripeSubscription({
    id: model.id,
    customer: model.customer,
    status: model.status,
    account: model.account,
    items: [{ price: model.price }, ...(model.seats > 0 ? [{ price: stripePrices.seatsPack, quantity: model.seats }] : [])],
    periodStart: iso(model.periodStart),
    periodEnd: iso(model.periodEnd),
    ...(model.trialEnd ? { trialEnd: iso(model.trialEnd) } : {}),
    cancelAtPeriodEnd: model.cancelAtPeriodEnd,
  });
  object.items.data.forEach((item: Record<string, any>, index: number) => (item.id = `si_${model.id.slice(4)}${index}`));
  return object;
}

/** What each step a subscription can take from its status does: the new state and the invoices it sends. */
type Transition = (model: Model, at: number, next: () => number) => { invoices: { type: 'invoice.paid' | 'invoice.payment_failed'; reason: string; id: string; amount: number }[]; snapshot: boolean };

const transitions: Record<string, Transition[]> = {
  trialing: [
    (model, at) => Object.assign(model, { status: 'active', trialEnd: model.trialEnd, periodStart: at, periodEnd: at + 30 * DAY }) && { invoices: [{ type: 'invoice.paid', reason: 'subscription_cycle', id: '', amount: 2900 }], snapshot: true },
    (model) => Object.assign(model, { status: 'paused' }) && { invoices: [], snapshot: true },
    (model) => Object.assign(model, { status: 'canceled', cancelAtPeriodEnd: false }) && { invoices: [], snapshot: true },
  ],
  active: [
    // Renewal paid.
    (model, at) => Object.assign(model, { periodStart: at, periodEnd: at + 30 * DAY }) && { invoices: [{ type: 'invoice.paid', reason: 'subscription_cycle', id: '', amount: 2900 }], snapshot: true },
    // Renewal failed: past due, from this invoice's first failure.
    (model, at, next) => {
      const invoice = stripeId('in', next);
      Object.assign(model, { status: 'past_due', periodStart: at, periodEnd: at + 30 * DAY, unpaidInvoice: invoice, firstFailure: at });
      return { invoices: [{ type: 'invoice.payment_failed', reason: 'subscription_cycle', id: invoice, amount: 0 }], snapshot: true };
    },
    // A plan change and its proration invoice.
    (model) => Object.assign(model, { price: model.price === stripePrices.proMonthly ? stripePrices.teamMonthly : stripePrices.proMonthly }) && { invoices: [{ type: 'invoice.paid', reason: 'subscription_update', id: '', amount: 700 }], snapshot: true },
    // A proration invoice that fails: Stripe keeps the subscription active.
    () => ({ invoices: [{ type: 'invoice.payment_failed', reason: 'subscription_update', id: '', amount: 0 }], snapshot: false }),
    // Seats bought.
    (model, _at, next) => Object.assign(model, { seats: 1 + Math.floor(next() * 4) }) && { invoices: [], snapshot: true },
    // Canceled at period end, or the cancellation withdrawn.
    (model) => Object.assign(model, { cancelAtPeriodEnd: !model.cancelAtPeriodEnd }) && { invoices: [], snapshot: true },
    // Deleted at once.
    (model) => Object.assign(model, { status: 'canceled', cancelAtPeriodEnd: false }) && { invoices: [], snapshot: true },
  ],
  past_due: [
    // Paid after all.
    (model) => Object.assign(model, { status: 'active' }) && { invoices: [{ type: 'invoice.paid', reason: 'subscription_cycle', id: model.unpaidInvoice!, amount: 2900 }], snapshot: true },
    // A smart retry of the same invoice fails: the grace does not move.
    (model) => ({ invoices: [{ type: 'invoice.payment_failed', reason: 'subscription_cycle', id: model.unpaidInvoice!, amount: 0 }], snapshot: false }),
    (model) => Object.assign(model, { status: 'unpaid' }) && { invoices: [], snapshot: true },
    (model) => Object.assign(model, { status: 'canceled', cancelAtPeriodEnd: false }) && { invoices: [], snapshot: true },
  ],
  paused: [
    (model, at) => Object.assign(model, { status: 'active', periodStart: at, periodEnd: at + 30 * DAY }) && { invoices: [{ type: 'invoice.paid', reason: 'subscription_cycle', id: '', amount: 2900 }], snapshot: true },
  ],
  incomplete: [
    (model) => Object.assign(model, { status: 'incomplete_expired' }) && { invoices: [], snapshot: true },
  ],
};

/** A generated customer: how its subscriptions start, then their choices and the time between steps. */
const storyArbitrary = fc.record({
  customers: fc.array(
    fc.array(
      fc.record({
        start: fc.constantFrom('paid', 'trial', 'unpaid'),
        price: fc.constantFrom(stripePrices.proMonthly, stripePrices.teamMonthly),
        steps: fc.array(fc.record({ choice: fc.nat(20), gap: fc.integer({ min: 1, max: 3 * DAY }) }), { maxLength: 5 }),
        startOffset: fc.integer({ min: 0, max: 2 * DAY }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    { minLength: 1, maxLength: 3 },
  ),
  deliverySeed: fc.integer({ min: 1, max: 0x7fffffff }),
});
type StoryValue = typeof storyArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The story's bursts in time order, and each subscription's last state. */
function unfold(story: StoryValue, run: string, next: () => number): { bursts: Burst[]; finals: Model[] } {
  const bursts: Burst[] = [];
  const finals: Model[] = [];
  story.customers.forEach((subscriptions, customerIndex) => {
    const customer = stripeId('cus', next);
    subscriptions.forEach((plan, subscriptionIndex) => {
      const account = `pp-${run}-${customerIndex}-${subscriptionIndex}`;
      let at = T0 + plan.startOffset;
      const model: Model = {
        id: stripeId('sub', next), customer, account, status: 'incomplete', price: plan.price, seats: 0,
        periodStart: at, periodEnd: at + 30 * DAY, trialEnd: null, cancelAtPeriodEnd: false, unpaidInvoice: null, firstFailure: null,
      };
      const events: StripeTestEvent[] = [];
      const invoiceEvent = (type: string, reason: string, invoiceId: string, amount: number, when: number) =>
        stripeEvent(stripeId('evt', next), type, when, {
          id: invoiceId || stripeId('in', next), object: 'invoice', customer, amount_paid: amount, amount_due: amount || 2900, billing_reason: reason,
          parent: { type: 'subscription_details', subscription_details: { metadata: { tollgate_account_id: account }, subscription: model.id } },
        });
      const snapshot = (type: string, when: number) => stripeEvent(stripeId('evt', next), type, when, objectOf(model));
      // The start: Stripe's own bursts of one second.
      if (plan.start === 'paid') {
        events.push(snapshot('customer.subscription.created', at));
        model.status = 'active';
        events.push(invoiceEvent('invoice.paid', 'subscription_create', '', 2900, at), snapshot('customer.subscription.updated', at));
      } else if (plan.start === 'trial') {
        Object.assign(model, { status: 'trialing', trialEnd: at + 14 * DAY, periodEnd: at + 14 * DAY });
        events.push(snapshot('customer.subscription.created', at), invoiceEvent('invoice.paid', 'subscription_create', '', 0, at));
      } else {
        events.push(snapshot('customer.subscription.created', at), invoiceEvent('invoice.payment_failed', 'subscription_create', '', 0, at));
      }
      bursts.push({ at, model: { ...model }, object: objectOf(model), events });
      for (const step of plan.steps) {
        const options = transitions[model.status];
        if (!options) break;
        at += step.gap;
        if (at >= Math.floor(NOW.getTime() / 1000)) break;
        const { invoices, snapshot: changed } = options[step.choice % options.length]!(model, at, next);
        const stepEvents = invoices.map((invoice) => invoiceEvent(invoice.type, invoice.reason, invoice.id, invoice.amount, at));
        if (changed) stepEvents.push(snapshot(model.status === 'canceled' ? 'customer.subscription.deleted' : 'customer.subscription.updated', at));
        bursts.push({ at, model: { ...model }, object: objectOf(model), events: stepEvents });
      }
      finals.push(model);
    });
  });
  bursts.sort((a, b) => a.at - b.at);
  return { bursts, finals };
}

const STATUS: Record<string, string> = {
  active: 'ACTIVE', trialing: 'TRIALING', past_due: 'PAST_DUE', canceled: 'CANCELED', incomplete_expired: 'CANCELED', unpaid: 'EXPIRED', incomplete: 'EXPIRED', paused: 'PAUSED',
};
const IN_FORCE = ['ACTIVE', 'TRIALING', 'PAST_DUE'];

/** What the story says Tollgate must show for a subscription's account, written from the model alone. */
function expected(model: Model) {
  const status = STATUS[model.status]!;
  const graceDays = model.price === stripePrices.proMonthly ? 3 : DEFAULT_GRACE_DAYS;
  const graceEndsAt = status === 'PAST_DUE' ? iso((model.firstFailure ?? model.periodStart) + graceDays * DAY) : null;
  const paying = status === 'ACTIVE' || (status === 'TRIALING' && model.trialEnd! * 1000 > NOW.getTime()) || (status === 'PAST_DUE' && Date.parse(graceEndsAt!) > NOW.getTime());
  return {
    state: {
      status,
      plan: model.price === stripePrices.proMonthly ? 'pro' : 'team',
      currentPeriodStart: iso(model.periodStart),
      currentPeriodEnd: iso(model.periodEnd),
      cancelAtPeriodEnd: model.cancelAtPeriodEnd && IN_FORCE.includes(status),
      addOns: model.seats > 0 ? [{ addOn: 'seats_pack', quantity: model.seats }] : [],
      graceEndsAt,
      billingProviderIds: { stripeCustomerId: model.customer, stripeSubscriptionId: model.id },
    },
    paying,
  };
}

const STATE = `subscription { status plan currentPeriodStart currentPeriodEnd cancelAtPeriodEnd addOns { addOn quantity } graceEndsAt
  billingProviderIds { stripeCustomerId stripeSubscriptionId } }`;

describe.each([
  ['postgresql', true],
  ['postgresql', false],
  ['embedded', true],
  ['embedded', false],
] as const)('Stripe\'s real patterns on %s, API key %s', (database, withKey) => {
  let t: TestServer;
  let standIn: StripeStandIn | null = null;
  let runs = 0;

  beforeAll(async () => {
    if (withKey) standIn = await startStripeStandIn();
    t = await startTestServer({
      database,
      clock: () => new Date(NOW),
      stripe: { webhookSecret: TEST_WEBHOOK_SECRET, ...(standIn ? { apiKey: 'sk_test_tollgate_patterns', apiBase: standIn.url } : {}) },
      env: { TOLLGATE_PAST_DUE_GRACE_DAYS: String(DEFAULT_GRACE_DAYS) },
    });
    await seedStripeCatalog(t.admin);
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await standIn?.close();
  });

  it('ends in the story\'s state, and every payer has access, whatever the bursts, ids, order and duplicates', async () => {
    console.info(`Stripe patterns on ${database}, API key ${withKey}: FC_SEED=${seed}, ${RUNS} runs`);
    await fc.assert(
      fc.asyncProperty(storyArbitrary, async (story) => {
        runs += 1;
        const run = `${withKey ? 'k' : 'n'}${runs}${Math.floor(Math.random() * 1e6)}`;
        const next = random(story.deliverySeed);
        const { bursts, finals } = unfold(story, run, next);
        await createAccounts(t.admin, finals.map((model) => model.account));
        const pending: StripeTestEvent[] = [];
        const answers: number[] = [];
        const send = async (event: StripeTestEvent) => {
          const answer = await deliver(t.url, event, { now: NOW });
          answers.push(answer.status);
          expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        };
        const deliverSome = async (count: number) => {
          for (let index = 0; index < count && pending.length; index += 1) {
            const [event] = pending.splice(Math.floor(next() * pending.length), 1);
            await send(event!);
            // Stripe delivers at least once: a quarter come again, later.
            if (next() < 0.25) pending.push(event!);
          }
        };
        for (const burst of bursts) {
          // Stripe's state moves first, then its events are due.
          standIn?.subscriptions.set(burst.model.id, structuredClone(burst.object));
          pending.push(...burst.events);
          await deliverSome(Math.floor(next() * (pending.length + 1)));
        }
        await deliverSome(Number.MAX_SAFE_INTEGER);
        // Every event delivered: the story's end, account by account.
        for (const model of finals) {
          const { account } = await t.admin.request(`query ($id: ID!) { account(id: $id) { ${STATE} } }`, { id: model.account });
          const want = expected(model);
          if (JSON.stringify(account.subscription) !== JSON.stringify(want.state)) {
            // What each event of the subscription came to, to read a failure by.
            const events = await sql(t, `select id, type, created, outcome, account_id, detail from billing_event where subscription_id = ? or customer_id = ? order by created, received_at`, [model.id, model.customer]);
            console.info(JSON.stringify({ account: model.account, subscription: model.id, events }, null, 1));
          }
          expect(account.subscription, `${model.account} ${model.id}`).toEqual(want.state);
          const { entitlement } = await t.admin.request(`query ($id: ID!) { entitlement(accountId: $id, feature: "export_csv") { allowed reason } }`, { id: model.account });
          if (want.paying) expect(entitlement, `payer ${model.account}`).toMatchObject({ allowed: true });
          else expect(entitlement.allowed, `non-payer ${model.account}`).toBe(false);
        }
        const [open] = await sql<{ count: string }>(t, `select count(*) as count from billing_sync_issue where resolved_at is null and subscription_id in (select jsonb_array_elements_text(?::jsonb))`, [JSON.stringify(finals.map((model) => model.id))]);
        expect(Number(open!.count)).toBe(0);
      }),
      { seed, numRuns: RUNS, endOnFailure: true, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
    );
  }, 1_800_000);
});
