import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { CONSUME, counted } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

const MAX = Number.MAX_SAFE_INTEGER; // 2^53 - 1
const INT32_MAX = 2 ** 31 - 1;

const REPORT = `mutation ($events: [UsageEventInput!]!) {
  reportUsage(events: $events) { accepted refused duplicates failed results { index idempotencyKey status used code message } }
}`;

/** Every read an account answers; none of them may fail, whatever was counted before. */
async function readEverything(t: TestServer, accountId: string, feature: string) {
  const result = await t.admin.raw(
    `query ($accountId: ID!, $feature: String!) {
      entitlement(accountId: $accountId, feature: $feature) { allowed reason limit used remaining }
      entitlements(accountId: $accountId) { feature used limit remaining }
      usage(accountId: $accountId, feature: $feature) { used limit remaining }
      upgradeOffers(accountId: $accountId, feature: $feature) { key newLimit }
      account(id: $accountId) { id }
    }`,
    { accountId, feature },
  );
  expect(result.errors).toEqual([]);
  return result.data!;
}

describe.each(['postgresql', 'embedded'] as const)('64-bit meters on the %s database', (database) => {
  let t: TestServer;
  let now = new Date('2026-03-10T12:00:00.000Z');

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'tokens', kind: 'METERED', unit: 'tokens' });
    await createFeature(t.admin, { key: 'bytes', kind: 'METERED', unit: 'bytes' });
    await createFeature(t.admin, { key: 'seats', kind: 'QUANTITY', unit: 'seats' });
    await createPublishedPlan(t.admin, { key: 'scale', rank: 1 }, [
      { feature: 'tokens', limit: 1000, period: 'MONTH', overage: 'ALLOW' },
      { feature: 'bytes', limit: MAX, period: 'MONTH' },
      { feature: 'seats', limit: 5 },
    ]);
    for (const id of ['past-int32', 'at-max', 'batch', 'limits', 'retry', 'backdate']) {
      await createAccount(t.admin, id);
      await changePlan(t.admin, { accountId: id, plan: 'scale' });
    }
  });
  afterAll(() => t?.stop());

  const consume = (input: Record<string, unknown>) => t.admin.raw(CONSUME, { input });

  it('counts past 2^31 with overage ALLOW, and the account stays readable', async () => {
    for (const [key, amount] of [['p-1', INT32_MAX], ['p-2', 10], ['p-3', 3_000_000_000]] as const) {
      const result = await consume({ accountId: 'past-int32', feature: 'tokens', amount, idempotencyKey: key });
      expect(result.errors).toEqual([]);
      expect(result.data!.consume.ok).toBe(true);
    }
    const expected = INT32_MAX + 10 + 3_000_000_000;
    const read = await readEverything(t, 'past-int32', 'tokens');
    expect(read.entitlement).toMatchObject({ allowed: true, limit: 1000, used: expected, remaining: 0 });
    expect(read.usage).toMatchObject({ used: expected });
    expect(await counted(t, 'past-int32', 'tokens')).toEqual({ used: expected, events: 3 });
  });

  it('counts up to 2^53-1 exactly and refuses one more with QUANTITY_OUT_OF_RANGE, writing nothing', async () => {
    const first = await consume({ accountId: 'at-max', feature: 'tokens', amount: MAX - 1, idempotencyKey: 'm-1' });
    expect(first.data!.consume.entitlement.used).toBe(MAX - 1);
    const last = await consume({ accountId: 'at-max', feature: 'tokens', amount: 1, idempotencyKey: 'm-2' });
    expect(last.data!.consume.entitlement.used).toBe(MAX);

    const over = await consume({ accountId: 'at-max', feature: 'tokens', amount: 1, idempotencyKey: 'm-3' });
    expect(over.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
    expect(over.errors[0]?.message).toMatch(/past the largest counter.*nothing was counted/);
    expect(await counted(t, 'at-max', 'tokens')).toEqual({ used: MAX, events: 2 });

    const read = await readEverything(t, 'at-max', 'tokens');
    expect(read.entitlement.used).toBe(MAX);
    // The key of the refused request was not spent: a smaller request under it would count.
    const again = await consume({ accountId: 'at-max', feature: 'tokens', amount: 1, idempotencyKey: 'm-3' });
    expect(again.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
  });

  it('refuses quantities outside 0..2^53-1 before anything runs, saying the range', async () => {
    for (const amount of [MAX + 1, 2 ** 63, -1, 1.5]) {
      const result = await consume({ accountId: 'at-max', feature: 'bytes', amount, idempotencyKey: `r-${amount}` });
      expect(result.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
      expect(result.errors[0]?.message).toMatch(/from 0 to 9007199254740991/);
    }
    const inline = await t.admin.raw(`{ entitlement(accountId: "at-max", feature: "bytes", amount: 9007199254740992) { allowed } }`);
    expect(inline.errors[0]?.extensions?.code).toBe('QUANTITY_OUT_OF_RANGE');
    expect(await counted(t, 'at-max', 'bytes')).toEqual({ used: 0, events: 0 });
  });

  it('answers reportUsage per event: a batch with an overflowing event counts the others', async () => {
    const { reportUsage } = await t.admin.request(REPORT, {
      events: [
        { accountId: 'batch', feature: 'tokens', amount: MAX - 5, idempotencyKey: 'b-1' },
        { accountId: 'batch', feature: 'tokens', amount: 10, idempotencyKey: 'b-2' },
        { accountId: 'batch', feature: 'tokens', amount: 5, idempotencyKey: 'b-3' },
      ],
    });
    expect(reportUsage.results.map((event: any) => [event.status, event.used, event.code])).toEqual([
      ['ACCEPTED', MAX - 5, null],
      ['FAILED', null, 'QUANTITY_OUT_OF_RANGE'],
      ['ACCEPTED', MAX, null],
    ]);
    expect(reportUsage).toMatchObject({ accepted: 2, failed: 1 });
    expect(await counted(t, 'batch', 'tokens')).toEqual({ used: MAX, events: 2 });
    await readEverything(t, 'batch', 'tokens');
  });

  it('stores limits, override values and add-on increments up to 2^53-1, and caps their sum there', async () => {
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'limits', feature: 'bytes' });
    expect(entitlement).toMatchObject({ limit: MAX, remaining: MAX });
    const grant = await t.admin.raw(
      `mutation ($input: GrantOverrideInput!) { grantOverride(input: $input) { value } }`,
      { input: { accountId: 'limits', feature: 'bytes', effect: 'ADD_LIMIT', value: MAX, permanent: true, reason: 'stress', approvedBy: 'test' } },
    );
    expect(grant.data!.grantOverride.value).toBe(MAX);
    const read = await readEverything(t, 'limits', 'bytes');
    expect(read.entitlement).toMatchObject({ limit: MAX, remaining: MAX, allowed: true });
  });

  it('treats a reportUsage retry without a timestamp as a duplicate, even after the clock moved', async () => {
    const event = { accountId: 'retry', feature: 'tokens', amount: 7, idempotencyKey: 'r-1' };
    const first = await t.admin.request(REPORT, { events: [event] });
    expect(first.reportUsage.results[0].status).toBe('ACCEPTED');
    now = new Date(now.getTime() + 90_000);
    const retry = await t.admin.request(REPORT, { events: [event] });
    expect(retry.reportUsage.results[0]).toMatchObject({ status: 'DUPLICATE', used: 7, code: null });
    const changed = await t.admin.request(REPORT, { events: [{ ...event, amount: 8 }] });
    expect(changed.reportUsage.results[0]).toMatchObject({ status: 'FAILED', code: 'IDEMPOTENCY_CONFLICT' });
    expect(await counted(t, 'retry', 'tokens')).toEqual({ used: 7, events: 1 });
  });

  it('accepts events back-dated 35 days, or to the start of the current period, and no further', async () => {
    // now is in March: the month began 9 days ago, so 35 days back is the earlier bound.
    const at = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const { reportUsage } = await t.admin.request(REPORT, {
      events: [
        { accountId: 'backdate', feature: 'tokens', amount: 1, idempotencyKey: 'd-1', timestamp: at(34) },
        { accountId: 'backdate', feature: 'tokens', amount: 1, idempotencyKey: 'd-2', timestamp: at(36) },
        { accountId: 'backdate', feature: 'tokens', amount: 1, idempotencyKey: 'd-3', timestamp: '0001-01-01T00:00:00.000Z' },
      ],
    });
    expect(reportUsage.results.map((event: any) => [event.status, event.code])).toEqual([
      ['ACCEPTED', null],
      ['FAILED', 'BAD_USER_INPUT'],
      ['FAILED', 'BAD_USER_INPUT'],
    ]);
    expect(reportUsage.results[1].message).toMatch(/timestamp: must be .* or later: events may be back-dated 35 days/);
    expect(reportUsage.results[2].message).toMatch(/timestamp: must be 1970-01-01 or later/);
    expect(await counted(t, 'backdate', 'tokens')).toEqual({ used: 1, events: 1 });
  });
});
