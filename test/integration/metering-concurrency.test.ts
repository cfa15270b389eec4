import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan } from '../support/fixtures.js';
import { CONSUME, counted, RELEASE } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/**
 * The promise: a hard limit of 100 means 100 whatever the concurrency, and a retried request
 * counts once. Every request here is a real HTTP request to the real server, all in flight at once.
 */
describe.each(['postgresql', 'embedded'] as const)('under concurrency on the %s database', (database) => {
  let t: TestServer;
  let serverKey: string;

  beforeAll(async () => {
    t = await startTestServer({ database });
    await createFeature(t.admin, { key: 'api_calls', kind: 'METERED' });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY' });
    await createPublishedPlan(t.admin, { key: 'small', rank: 1 }, [
      { feature: 'api_calls', limit: 100, period: 'MONTH' },
      { feature: 'seats', limit: 10 },
    ]);
    for (const id of ['race', 'retry', 'gauge']) {
      await createAccount(t.admin, id);
      await changePlan(t.admin, { accountId: id, plan: 'small' });
    }
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
  });
  afterAll(() => t?.stop());

  it('gives exactly 100 of 600 concurrent consumes ok against a limit of 100', async () => {
    const client = t.as(serverKey);
    const answers = await Promise.all(
      Array.from({ length: 600 }, (_, i) => client.request(CONSUME, { input: { accountId: 'race', feature: 'api_calls', idempotencyKey: `race-${i}` } })),
    );
    const ok = answers.filter((answer) => answer.consume.ok);
    expect(ok).toHaveLength(100);
    expect(answers.filter((answer) => !answer.consume.ok).every((answer) => answer.consume.entitlement.reason === 'LIMIT_REACHED')).toBe(true);
    expect(new Set(ok.map((answer) => answer.consume.entitlement.used)).size).toBe(100);
    expect(Math.max(...ok.map((answer) => answer.consume.entitlement.used))).toBe(100);
    expect(await counted(t, 'race', 'api_calls')).toEqual({ used: 100, events: 100 });
  });

  it('counts 30 concurrent retries of one key once, and answers all 30 alike', async () => {
    const client = t.as(serverKey);
    const input = { accountId: 'retry', feature: 'api_calls', amount: 7, idempotencyKey: 'the-one' };
    const answers = await Promise.all(Array.from({ length: 30 }, () => client.request(CONSUME, { input })));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    expect(answers[0]!.consume).toMatchObject({ ok: true, entitlement: { used: 7 } });
    expect(await counted(t, 'retry', 'api_calls')).toEqual({ used: 7, events: 1 });
  });

  it('keeps a gauge between 0 and its limit while consumes and releases race', async () => {
    const client = t.as(serverKey);
    const requests = Array.from({ length: 300 }, (_, i) =>
      i % 2 === 0
        ? client.request(CONSUME, { input: { accountId: 'gauge', feature: 'seats', idempotencyKey: `take-${i}` } })
        : client.request(RELEASE, { input: { accountId: 'gauge', feature: 'seats', idempotencyKey: `give-${i}` } }),
    );
    const answers = await Promise.all(requests);
    const seen = answers.map((answer) => (answer.consume ?? answer.release).entitlement.used as number);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...seen)).toBeLessThanOrEqual(10);
    const { used } = await counted(t, 'gauge', 'seats');
    expect(used).toBeGreaterThanOrEqual(0);
    expect(used).toBeLessThanOrEqual(10);

    // Fill it concurrently, then empty it concurrently: exact both ways.
    await client.request(`mutation { setUsage(input: { accountId: "gauge", feature: "seats", value: 0, reason: "reset" }) { used } }`);
    const fills = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.request(CONSUME, { input: { accountId: 'gauge', feature: 'seats', idempotencyKey: `fill-${i}` } })),
    );
    expect(fills.filter((answer) => answer.consume.ok)).toHaveLength(10);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.request(RELEASE, { input: { accountId: 'gauge', feature: 'seats', idempotencyKey: `empty-${i}` } })),
    );
    expect((await counted(t, 'gauge', 'seats')).used).toBe(0);
  });
});
