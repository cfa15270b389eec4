import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { CONSUME, RELEASE } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

const HISTORY = `query ($accountId: ID!, $feature: String!, $days: Int) {
  usageHistory(accountId: $accountId, feature: $feature, days: $days) { accountId feature days { day counted released events } }
}`;
const REPORT = `mutation ($events: [UsageEventInput!]!) { reportUsage(events: $events) { accepted duplicates failed refused } }`;

const DAY = 86_400_000;

describe.each(['postgresql', 'embedded'] as const)('usageHistory on %s', (database) => {
  /** The test's clock: 2026-03-31 14:00 UTC, moved by hand for consumes on earlier days. */
  let now = new Date('2026-03-31T14:00:00.000Z');
  let t: TestServer;
  let serverKey: string;

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY' });
    await createPublishedPlan(t.admin, { key: 'pro', rank: 1 }, [
      { feature: 'api_calls', limit: null, period: 'MONTH', overage: 'ALLOW' },
      { feature: 'seats', limit: 1000 },
    ]);
    for (const id of ['acme', 'gauge', 'other']) {
      await createAccount(t.admin, id);
      await changePlan(t.admin, { accountId: id, plan: 'pro' });
    }
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
  }, 120_000);
  afterAll(() => t?.stop());

  /**
   * Property: for any set of reported events (random amounts, timestamps anywhere in the last 35
   * days, some sent twice), each of the last 30 UTC days shows exactly the sum of that day's
   * events, retries counted once, and the days are the 30 ending today, oldest first.
   */
  it('sums the ledger per UTC day, each retried event once', async () => {
    const today = Date.UTC(2026, 2, 31);
    let batch = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ amount: fc.integer({ min: 1, max: 10_000 }), offset: fc.integer({ min: 0, max: 35 * DAY - 1 }), retried: fc.boolean() }), { minLength: 1, maxLength: 40 }),
        async (generated) => {
          batch += 1;
          const account = `prop-${database}-${batch}`;
          await createAccount(t.admin, account);
          await changePlan(t.admin, { accountId: account, plan: 'pro' });
          // Timestamps up to now (14:00 today), never later: counted back from now.
          const events = generated.map((event, index) => ({
            accountId: account, feature: 'api_calls', amount: event.amount, idempotencyKey: `e-${index}`,
            timestamp: new Date(now.getTime() - event.offset).toISOString(),
          }));
          const retries = events.filter((_, index) => generated[index].retried);
          const result = await t.as(serverKey).request(REPORT, { events: [...events, ...retries] });
          expect(result.reportUsage).toMatchObject({ accepted: events.length, failed: 0, refused: 0 });
          const { usageHistory } = await t.admin.request(HISTORY, { accountId: account, feature: 'api_calls' });
          const expected = new Map<number, number>();
          for (const event of events) {
            const day = Math.floor(Date.parse(event.timestamp) / DAY) * DAY;
            expected.set(day, (expected.get(day) ?? 0) + event.amount);
          }
          expect(usageHistory.days).toHaveLength(30);
          usageHistory.days.forEach((entry: { day: string; counted: number; released: number }, index: number) => {
            const day = today - (29 - index) * DAY;
            expect(entry.day).toBe(new Date(day).toISOString());
            expect(entry.counted).toBe(expected.get(day) ?? 0);
            expect(entry.released).toBe(0);
          });
        },
      ),
      { numRuns: database === 'embedded' ? 5 : 15 },
    );
  }, 240_000);

  it('shows units released apart from units consumed, on the day each happened', async () => {
    const day = (offset: number, hour: number) => new Date(Date.UTC(2026, 2, 31 - offset, hour));
    const send = (query: string, input: Record<string, unknown>) => t.as(serverKey).request(query, { input });
    now = day(2, 9);
    await send(CONSUME, { accountId: 'gauge', feature: 'seats', amount: 5, idempotencyKey: 'g-1' });
    now = day(2, 23);
    await send(RELEASE, { accountId: 'gauge', feature: 'seats', amount: 2, idempotencyKey: 'g-2' });
    now = day(0, 0);
    await send(CONSUME, { accountId: 'gauge', feature: 'seats', amount: 1, idempotencyKey: 'g-3' });
    await send(CONSUME, { accountId: 'gauge', feature: 'seats', amount: 1, idempotencyKey: 'g-3' });
    now = new Date('2026-03-31T14:00:00.000Z');
    const { usageHistory } = await t.admin.request(HISTORY, { accountId: 'gauge', feature: 'seats', days: 3 });
    expect(usageHistory.days).toEqual([
      { day: '2026-03-29T00:00:00.000Z', counted: 5, released: 2, events: 2 },
      { day: '2026-03-30T00:00:00.000Z', counted: 0, released: 0, events: 0 },
      { day: '2026-03-31T00:00:00.000Z', counted: 1, released: 0, events: 1 },
    ]);
  });

  it('answers an unknown account, an unknown feature and a bad span with their codes', async () => {
    const codes = async (variables: Record<string, unknown>) => (await t.admin.raw(HISTORY, variables)).errors?.map((error) => error.extensions?.code);
    expect(await codes({ accountId: 'nobody', feature: 'api_calls' })).toEqual(['ACCOUNT_NOT_FOUND']);
    expect(await codes({ accountId: 'acme', feature: 'teleport' })).toEqual(['UNKNOWN_FEATURE']);
    expect(await codes({ accountId: 'acme', feature: 'api_calls', days: 0 })).toEqual(['BAD_USER_INPUT']);
    expect(await codes({ accountId: 'acme', feature: 'api_calls', days: 91 })).toEqual(['BAD_USER_INPUT']);
  });

  it('lets a client token read only its own account', async () => {
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "acme") { token } }`);
    const own = await t.as(createClientToken.token).raw(HISTORY, { accountId: 'acme', feature: 'api_calls', days: 1 });
    expect(own.errors ?? []).toEqual([]);
    const other = await t.as(createClientToken.token).raw(HISTORY, { accountId: 'other', feature: 'api_calls', days: 1 });
    expect(other.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
