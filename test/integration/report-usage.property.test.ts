import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { sql } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * Set-based reportUsage against a reference model of one-at-a-time counting.
 *
 * The property: for any sequence of batches (random amounts; idempotency keys drawn from a small
 * pool, so batches repeat keys with the same payload and with other payloads, within a batch and
 * across batches; events back-dated into the previous period, too far back, or ahead of the clock;
 * an unknown feature now and then; a hard limit that cuts batches in the middle, where a later,
 * smaller event may still fit; batches large enough to be counted in parallel parts), every event's result (status, used, code) and every counter
 * afterwards are exactly what counting the events one at a time, in order, gives. The model is
 * `modelBatch` below: the rules of docs/metering.md, written out plainly.
 *
 * Bounded: FC_RUNS runs (default 25) per database, on PostgreSQL and on the embedded database,
 * seeded by FC_SEED (random, printed at start). Each run has accounts of its own.
 */

const NOW = new Date('2026-03-10T12:00:00.000Z');
const RUNS = Number(process.env.FC_RUNS ?? 25);
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 0x7fffffff);
const LIMIT = 40;
const MAX_QUANTITY = Number.MAX_SAFE_INTEGER;
/** metered: hard limit of 40 a month (BLOCK); bulk: 40 a month with overage ALLOW. */
const FEATURES = { metered: { cap: LIMIT }, bulk: { cap: MAX_QUANTITY } } as const;
const EARLIEST = new Date(NOW.getTime() - 35 * 86_400_000);
const REPORT = `mutation ($events: [UsageEventInput!]!) {
  reportUsage(events: $events) { accepted refused duplicates failed results { index idempotencyKey status used code } }
}`;

interface SentEvent {
  accountId: string;
  feature: string;
  amount: number;
  idempotencyKey: string;
  timestamp?: string;
}

interface Result {
  status: string;
  used: number | null;
  code: string | null;
}

/** One-at-a-time counting: counters by account, feature and month; keys by account. */
interface ModelState {
  counters: Map<string, number>;
  keys: Map<string, { fingerprint: string; used: number }>;
}

function monthOf(at: Date): string {
  return at.toISOString().slice(0, 7);
}

function modelBatch(state: ModelState, events: SentEvent[]): Result[] {
  return events.map((event) => {
    const failed = (code: string): Result => ({ status: 'FAILED', used: null, code });
    const at = event.timestamp ? new Date(event.timestamp) : NOW;
    if (at.getTime() > NOW.getTime() + 5 * 60_000) return failed('BAD_USER_INPUT');
    const feature = FEATURES[event.feature as keyof typeof FEATURES];
    if (!feature) return failed('UNKNOWN_FEATURE');
    if (at < EARLIEST) return failed('BAD_USER_INPUT');
    const fingerprint = JSON.stringify([event.feature, event.amount, event.timestamp ?? null]);
    const key = `${event.accountId}/${event.idempotencyKey}`;
    const first = state.keys.get(key);
    if (first) return first.fingerprint === fingerprint ? { status: 'DUPLICATE', used: first.used, code: null } : failed('IDEMPOTENCY_CONFLICT');
    const counter = `${event.accountId}/${event.feature}/${monthOf(at)}`;
    const used = state.counters.get(counter) ?? 0;
    if (used + event.amount > feature.cap) return { status: 'REFUSED', used, code: 'LIMIT_REACHED' };
    state.counters.set(counter, used + event.amount);
    state.keys.set(key, { fingerprint, used: used + event.amount });
    return { status: 'ACCEPTED', used: used + event.amount, code: null };
  });
}

/** Timestamps: none (now), this month, last month (back-dated), too far back, too far ahead. */
const timestamp = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 * 86_400 }).map((s) => new Date(Date.UTC(2026, 2, 1) + s * 1000).toISOString()) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 26 * 86_400 }).map((s) => new Date(EARLIEST.getTime() + s * 1000).toISOString()) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 * 86_400 }).map((s) => new Date(EARLIEST.getTime() - s * 1000).toISOString()) },
  { weight: 1, arbitrary: fc.integer({ min: 301, max: 86_400 }).map((s) => new Date(NOW.getTime() + s * 1000).toISOString()) },
);

/** Events name one of the run's five accounts by position (0 to 4); the run gives them their ids. */
const eventArbitrary = fc.record({
    accountId: fc.constantFrom('0', '1', '2', '3', '4'),
    feature: fc.oneof({ weight: 10, arbitrary: fc.constantFrom('metered', 'bulk') }, { weight: 1, arbitrary: fc.constant('unknown_feature') }),
    amount: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 25 })),
    idempotencyKey: fc.integer({ min: 0, max: 30 }).map((n) => `key-${n}`),
    timestamp,
  }).map((event) => {
    const { timestamp: at, ...rest } = event;
    return (at === undefined ? rest : { ...rest, timestamp: at }) as SentEvent;
  });

/** Batches for the run's accounts: usually a few dozen events, sometimes a few hundred or over a thousand. */
const batches = fc.array(fc.oneof({ weight: 4, arbitrary: fc.array(eventArbitrary, { minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.array(eventArbitrary, { minLength: 100, maxLength: 400 }) },
  // From 1,000 events a batch is counted in parts, by account, at once (usage-ledger.ts).
  { weight: 1, arbitrary: fc.array(eventArbitrary, { minLength: 1000, maxLength: 1500 }) }), { minLength: 1, maxLength: 3 });

for (const database of ['postgresql', 'embedded'] as const) {
  describe(`reportUsage on ${database}`, () => {
    let t: TestServer;
    let serverKey: string;

    beforeAll(async () => {
      t = await startTestServer({ database, clock: () => new Date(NOW) });
      await createFeature(t.admin, { key: 'metered', kind: 'METERED' });
      await createFeature(t.admin, { key: 'bulk', kind: 'METERED' });
      await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [
        { feature: 'metered', limit: LIMIT, period: 'MONTH', overage: 'BLOCK' },
        { feature: 'bulk', limit: LIMIT, period: 'MONTH', overage: 'ALLOW' },
      ]);
      const { createApiKey } = await t.admin.request(`mutation { createApiKey(input: { name: "host", role: SERVER }) { secret } }`);
      serverKey = createApiKey.secret;
    }, 120_000);
    afterAll(() => t?.stop());

    it('gives every event and counter exactly what one-at-a-time counting gives', { timeout: 600_000 }, async () => {
      console.log(`reportUsage property on ${database}: FC_SEED=${seed}, ${RUNS} runs`);
      let run = 0;
      await fc.assert(
        fc.asyncProperty(batches, async (generated) => {
          run += 1;
          const accounts = [0, 1, 2, 3, 4].map((n) => `r${run}-${n}`);
          for (const account of accounts) await createAccount(t.admin, account);
          const list = generated.map((events) => events.map((event) => ({ ...event, accountId: accounts[Number(event.accountId)]! })));
          const state: ModelState = { counters: new Map(), keys: new Map() };
          for (const events of list) {
            const expected = modelBatch(state, events);
            const { reportUsage } = await t.as(serverKey).request<{ reportUsage: { results: (Result & { index: number })[] } }>(REPORT, { events });
            expect(reportUsage.results.map(({ status, used, code }) => ({ status, used, code }))).toEqual(expected);
          }
          const rows = await sql<{ account_id: string; feature_key: string; month: string; used: string }>(t,
            `select account_id, feature_key, to_char(period_start at time zone 'UTC', 'YYYY-MM') as month, used from usage_counter where account_id like ?`, [`r${run}-%`]);
          const counters = new Map(rows.map((row) => [`${row.account_id}/${row.feature_key}/${row.month}`, Number(row.used)]));
          expect(counters).toEqual(state.counters);
          const [ledger] = await sql<{ amount: string | null }>(t, `select sum(amount) as amount from usage_event where account_id like ?`, [`r${run}-%`]);
          expect(Number(ledger!.amount ?? 0)).toBe([...state.counters.values()].reduce((sum, used) => sum + used, 0));
        }),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
    });
  });
}
