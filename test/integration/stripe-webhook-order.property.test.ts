import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { deliver, loadStripeFixtures, TEST_WEBHOOK_SECRET, type StripeTestEvent } from '../support/stripe.js';
import { createAccounts, seedStripeCatalog, SUBSCRIPTION_STATE } from '../support/stripe-catalog.js';

/**
 * Stripe delivers events at least once and in no particular order. The property: any delivery
 * order of a recorded sequence, with redeliveries, ends in exactly the state the ordered run
 * ends in.
 *
 * Stripe cannot be reached from where the tests run, so the 20 recorded events of
 * test/fixtures/stripe/ (two accounts: a trial that converts, takes 3 extra seats, fails a
 * payment, pays and cancels at period end; a subscription that starts incomplete, changes plan,
 * fails a payment, is deleted, and is followed by a new one) are signed here with the `stripe`
 * package's own helper. Each run gets fresh accounts and ids (the run's number appended to every
 * event, subscription, customer and invoice id), so no run sees another's events.
 *
 * Bounded: FC_RUNS shuffled runs (default 50) per database, on PostgreSQL and on the embedded
 * database, seeded by FC_SEED (random, printed at start).
 */

const NOW = new Date('2026-11-01T00:00:00.000Z');
const RUNS = Number(process.env.FC_RUNS ?? 50);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
const fixtures = loadStripeFixtures();
const STRIPE_ID = /^(evt|sub|cus|in|il|si|cs_test)_[A-Za-z0-9]+$/;
const ACCOUNT = /^acct-[ab]$/;

/** The fixtures of one run: every Stripe object id and account id made the run's own. */
function forRun(event: StripeTestEvent, run: number): StripeTestEvent {
  return JSON.parse(JSON.stringify(event), (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    if (STRIPE_ID.test(value)) return `${value}R${run}`;
    if (ACCOUNT.test(value)) return `${value}-r${run}`;
    return value;
  });
}

/** The state ids of a run are compared without the run's suffix. */
function withoutRun(value: unknown, run: number): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll(`R${run}"`, '"').replaceAll(`-r${run}"`, '"'));
}

/** What the ordered run must end in, written out: the fixtures' story, checked before it is used as the reference. */
const expectedAfterOrderedRun = {
  'acct-a': {
    billingCustomerIds: ['cus_QAcme'],
    subscription: {
      status: 'ACTIVE',
      phase: 'CANCELING',
      plan: 'pro',
      planVersion: { version: 1 },
      trialEndsAt: null,
      graceEndsAt: null,
      convertedAt: '2026-09-15T10:00:00.000Z',
      currentPeriodStart: '2026-10-15T10:00:00.000Z',
      currentPeriodEnd: '2026-11-15T10:00:00.000Z',
      cancelAtPeriodEnd: true,
      canceledAt: '2026-10-21T16:45:00.000Z',
      addOns: [{ addOn: 'seats_pack', quantity: 3 }],
      scheduledChange: null,
      billingProviderIds: { stripeCustomerId: 'cus_QAcme', stripeSubscriptionId: 'sub_1QAcme' },
    },
  },
  'acct-b': {
    billingCustomerIds: ['cus_QGlobex'],
    subscription: {
      status: 'ACTIVE',
      phase: 'ACTIVE',
      plan: 'team',
      planVersion: { version: 1 },
      trialEndsAt: null,
      graceEndsAt: null,
      convertedAt: null,
      currentPeriodStart: '2026-10-28T10:00:00.000Z',
      currentPeriodEnd: '2026-11-28T10:00:00.000Z',
      cancelAtPeriodEnd: false,
      canceledAt: null,
      addOns: [],
      scheduledChange: null,
      billingProviderIds: { stripeCustomerId: 'cus_QGlobex', stripeSubscriptionId: 'sub_1QGlobex2' },
    },
  },
};

describe.each(['postgresql', 'embedded'] as const)('Stripe events delivered in any order, on %s', (database) => {
  let t: TestServer;
  let run = 0;

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(NOW), stripe: { webhookSecret: TEST_WEBHOOK_SECRET } });
    await seedStripeCatalog(t.admin);
  });
  afterAll(() => t?.stop());

  /** Delivers `events` of a fresh run one after another; every delivery must be answered 200. */
  async function deliverRun(events: StripeTestEvent[]): Promise<{ run: number; outcomes: string[] }> {
    run += 1;
    await createAccounts(t.admin, [`acct-a-r${run}`, `acct-b-r${run}`]);
    const outcomes: string[] = [];
    for (const event of events) {
      const answer = await deliver(t.url, forRun(event, run), { now: NOW });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      outcomes.push(answer.body.outcome);
    }
    return { run, outcomes };
  }

  /** The run's accounts as `account` shows them, its open sync issues, and its events' rows. */
  async function stateOf(runNumber: number) {
    const data = await t.admin.request(
      `query ($a: ID!, $b: ID!) { a: account(id: $a) { ${SUBSCRIPTION_STATE} } b: account(id: $b) { ${SUBSCRIPTION_STATE} } }`,
      { a: `acct-a-r${runNumber}`, b: `acct-b-r${runNumber}` },
    );
    const [events] = await sql<{ count: string }>(t, `select count(*) as count from billing_event where id like ?`, [`%R${runNumber}`]);
    const [open] = await sql<{ count: string }>(t, `select count(*) as count from billing_sync_issue where event_id like ? and resolved_at is null`, [`%R${runNumber}`]);
    return {
      accounts: withoutRun({ 'acct-a': data.a, 'acct-b': data.b }, runNumber),
      recordedEvents: Number(events!.count),
      openIssues: Number(open!.count),
    };
  }

  it('ends in the ordered run\'s state whatever the delivery order, with redeliveries: 20 recorded events, 50 shuffled runs', async () => {
    expect(fixtures).toHaveLength(20);
    const ordered = await deliverRun(fixtures);
    const reference = await stateOf(ordered.run);
    expect(reference.accounts).toEqual(expectedAfterOrderedRun);
    expect(reference).toMatchObject({ recordedEvents: 20, openIssues: 0 });
    expect(ordered.outcomes.filter((outcome) => outcome !== 'APPLIED')).toEqual(['IGNORED']);

    console.info(`Stripe delivery order on ${database}: FC_SEED=${seed}, ${RUNS} runs`);
    const indices = fixtures.map((_, index) => index);
    const deliveries = fc.record({
      order: fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
      redeliveries: fc.array(fc.record({ event: fc.nat(indices.length - 1), position: fc.nat(60) }), { minLength: 1, maxLength: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(deliveries, async ({ order, redeliveries }) => {
        const sequence = order.map((index) => fixtures[index]!);
        for (const { event, position } of redeliveries) sequence.splice(position % (sequence.length + 1), 0, fixtures[event]!);
        const shuffled = await deliverRun(sequence);
        expect(shuffled.outcomes.filter((outcome) => outcome === 'DUPLICATE')).toHaveLength(redeliveries.length);
        expect(await stateOf(shuffled.run)).toEqual(reference);
      }),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);
});
