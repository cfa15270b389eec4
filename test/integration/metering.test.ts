import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY, seedBasicCatalog } from '../support/fixtures.js';
import { CONSUME, counted, RELEASE } from '../support/metering.js';
import { startTestServer, type TestServer } from '../support/server.js';

/** A clock the test moves by hand to cross period boundaries. */
let now = new Date('2026-01-31T23:59:59.000Z');
let t: TestServer;
let serverKey: string;

beforeAll(async () => {
  t = await startTestServer({ clock: () => new Date(now) });
  await seedBasicCatalog(t.admin);
  await createFeature(t.admin, { key: 'storage_mb', kind: 'METERED' });
  await createPublishedPlan(t.admin, { key: 'metered', rank: 20 }, [
    { feature: 'api_calls', limit: 10, period: 'DAY', softLimitPercent: 50 },
    { feature: 'storage_mb', limit: 100, period: 'MONTH', overage: 'ALLOW' },
    { feature: 'seats', limit: 3 },
    { feature: 'export_csv' },
  ]);
  for (const id of ['acme', 'basic', 'refs', 'gauge', 'overage', 'reports', 'periods', 'auth']) {
    await createAccount(t.admin, id);
    await changePlan(t.admin, { accountId: id, plan: 'metered' });
  }
  ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
});
afterAll(() => t?.stop());

const consume = (input: Record<string, unknown>) => t.as(serverKey).raw(CONSUME, { input });

describe('consume', () => {
  it('counts one unit by default and shows the entitlement after', async () => {
    const { data } = await consume({ accountId: 'basic', feature: 'api_calls', idempotencyKey: 'b-1' });
    expect(data!.consume).toMatchObject({
      ok: true, overage: 0,
      entitlement: { allowed: true, used: 1, limit: 10, remaining: 9, requested: null, resetsAt: '2026-02-01T00:00:00.000Z' },
    });
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'basic', feature: 'api_calls' });
    expect(entitlement).toMatchObject({ used: 1, remaining: 9 });
  });

  it('refuses what would pass the limit, records nothing, and says why', async () => {
    expect((await consume({ accountId: 'acme', feature: 'api_calls', amount: 8, idempotencyKey: 'a-1' })).data!.consume.ok).toBe(true);
    const refused = (await consume({ accountId: 'acme', feature: 'api_calls', amount: 3, idempotencyKey: 'a-2' })).data!.consume;
    expect(refused).toMatchObject({ ok: false, entitlement: { allowed: false, reason: 'LIMIT_REACHED', used: 8, remaining: 2, requested: 3 } });
    expect(await counted(t, 'acme', 'api_calls')).toEqual({ used: 8, events: 1 });
    const exact = (await consume({ accountId: 'acme', feature: 'api_calls', amount: 2, idempotencyKey: 'a-3' })).data!.consume;
    expect(exact).toMatchObject({ ok: true, entitlement: { used: 10, remaining: 0, allowed: false, reason: 'LIMIT_REACHED' } });
  });

  it('turns softLimitReached on at the plan\'s percent', async () => {
    const fourth = await consume({ accountId: 'basic', feature: 'api_calls', amount: 3, idempotencyKey: 'b-2' });
    expect(fourth.data!.consume.entitlement).toMatchObject({ used: 4, softLimitReached: false });
    const fifth = await consume({ accountId: 'basic', feature: 'api_calls', idempotencyKey: 'b-3' });
    expect(fifth.data!.consume.entitlement).toMatchObject({ used: 5, softLimitReached: true });
  });

  it('records past the limit with overage ALLOW and says how much is overage', async () => {
    expect((await consume({ accountId: 'overage', feature: 'storage_mb', amount: 90, idempotencyKey: 'o-1' })).data!.consume.overage).toBe(0);
    const past = (await consume({ accountId: 'overage', feature: 'storage_mb', amount: 25, idempotencyKey: 'o-2' })).data!.consume;
    expect(past).toMatchObject({ ok: true, overage: 15, entitlement: { used: 115, limit: 100, remaining: 0, allowed: true } });
  });

  it('refuses a feature the plan does not include, without counting', async () => {
    const result = (await consume({ accountId: 'refs', feature: 'api_calls', idempotencyKey: 'r-1' })).data!.consume;
    expect(result.ok).toBe(true);
    await t.admin.request(`mutation { grantOverride(input: { accountId: "refs", feature: "api_calls", effect: REVOKE,
      permanent: true, reason: "abuse", approvedBy: "Ops" }) { id } }`);
    const refused = (await consume({ accountId: 'refs', feature: 'api_calls', idempotencyKey: 'r-2' })).data!.consume;
    expect(refused).toMatchObject({ ok: false, entitlement: { reason: 'REVOKED_BY_OVERRIDE' } });
    // A retry of the earlier, counted request still succeeds with its first count, counting nothing.
    const replay = (await consume({ accountId: 'refs', feature: 'api_calls', idempotencyKey: 'r-1' })).data!.consume;
    expect(replay).toMatchObject({ ok: true, overage: 0, entitlement: { used: 1 } });
    expect(await counted(t, 'refs', 'api_calls')).toEqual({ used: 1, events: 1 });
  });
});

describe('idempotency', () => {
  it('returns the first answer to a retry and counts nothing', async () => {
    const first = await consume({ accountId: 'basic', feature: 'api_calls', amount: 2, idempotencyKey: 'retry-me' });
    const before = await counted(t, 'basic', 'api_calls');
    await consume({ accountId: 'basic', feature: 'api_calls', idempotencyKey: 'other' });
    const retry = await consume({ accountId: 'basic', feature: 'api_calls', amount: 2, idempotencyKey: 'retry-me' });
    expect(retry).toEqual(first);
    expect((await counted(t, 'basic', 'api_calls')).used).toBe(before.used + 1);
  });

  it('refuses the same key with a different payload with IDEMPOTENCY_CONFLICT', async () => {
    const result = await consume({ accountId: 'basic', feature: 'api_calls', amount: 3, idempotencyKey: 'retry-me' });
    expect(result.errors[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', idempotencyKey: 'retry-me' });
    const asRelease = await t.as(serverKey).raw(RELEASE, { input: { accountId: 'basic', feature: 'seats', idempotencyKey: 'retry-me' } });
    expect(asRelease.errors[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('keeps keys per account', async () => {
    const other = await consume({ accountId: 'acme', feature: 'storage_mb', idempotencyKey: 'retry-me' });
    expect(other.data!.consume.ok).toBe(true);
  });
});

describe('gauges', () => {
  it('consumes and releases a QUANTITY feature, never below zero', async () => {
    await t.as(serverKey).request(CONSUME, { input: { accountId: 'gauge', feature: 'seats', amount: 2, idempotencyKey: 'g-1' } });
    const released = await t.as(serverKey).request(RELEASE, { input: { accountId: 'gauge', feature: 'seats', amount: 5, idempotencyKey: 'g-2' } });
    expect(released.release).toMatchObject({ ok: true, entitlement: { used: 0, remaining: 3 } });
    const refused = await t.as(serverKey).request(CONSUME, { input: { accountId: 'gauge', feature: 'seats', amount: 4, idempotencyKey: 'g-3' } });
    expect(refused.consume).toMatchObject({ ok: false, entitlement: { reason: 'LIMIT_REACHED', used: 0 } });
  });

  it('sets a gauge to an exact value, audited with its reason', async () => {
    const { setUsage } = await t.as(serverKey).request(`mutation { setUsage(input: { accountId: "gauge", feature: "seats", value: 3, reason: "nightly sync" }) {
      feature used limit remaining periodStart periodEnd softLimitReached } }`);
    expect(setUsage).toEqual({
      feature: 'seats', used: 3, limit: 3, remaining: 0, periodStart: '1970-01-01T00:00:00.000Z', periodEnd: null, softLimitReached: true,
    });
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "gauge", first: 1) { edges { node { action actor before after reason } } } }`);
    expect(auditLog.edges[0].node).toEqual({ action: 'usage.set', actor: 'backend', before: { used: 0 }, after: { used: 3 }, reason: 'nightly sync' });
  });

  it('replays a retried release: the same answer, nothing released twice; another amount under the key conflicts', async () => {
    const release = (amount: number) =>
      t.as(serverKey).raw(RELEASE, { input: { accountId: 'refs', feature: 'seats', amount, idempotencyKey: 'r-release' } });
    await t.as(serverKey).request(CONSUME, { input: { accountId: 'refs', feature: 'seats', amount: 3, idempotencyKey: 'r-seat' } });
    const first = await release(1);
    expect(first.data!.release).toMatchObject({ ok: true, entitlement: { used: 2 } });
    const retry = await release(1);
    expect(retry.data!.release).toEqual(first.data!.release);
    expect(await counted(t, 'refs', 'seats')).toEqual({ used: 2, events: 2 });
    const conflict = await release(2);
    expect(conflict.errors[0]?.extensions?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(await counted(t, 'refs', 'seats')).toEqual({ used: 2, events: 2 });
  });

  it('refuses release of a METERED feature', async () => {
    const result = await t.as(serverKey).raw(RELEASE, { input: { accountId: 'gauge', feature: 'api_calls', idempotencyKey: 'g-9' } });
    expect(result.errors[0]?.extensions).toMatchObject({ code: 'FEATURE_NOT_METERED', kind: 'METERED' });
  });
});

describe('usage query and periods', () => {
  it('shows used, limit, remaining and the period', async () => {
    const { usage } = await t.as(serverKey).request(`{ usage(accountId: "acme", feature: "api_calls") { feature used limit remaining periodStart periodEnd softLimitReached } }`);
    expect(usage).toEqual({
      feature: 'api_calls', used: 10, limit: 10, remaining: 0,
      periodStart: '2026-01-31T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z', softLimitReached: true,
    });
  });

  it('starts a new counter when the period turns, exactly at the boundary', async () => {
    now = new Date('2026-01-31T23:59:59.999Z');
    expect((await consume({ accountId: 'periods', feature: 'api_calls', amount: 10, idempotencyKey: 'p-1' })).data!.consume.ok).toBe(true);
    expect((await consume({ accountId: 'periods', feature: 'api_calls', idempotencyKey: 'p-2' })).data!.consume.ok).toBe(false);
    now = new Date('2026-02-01T00:00:00.000Z');
    const next = (await consume({ accountId: 'periods', feature: 'api_calls', idempotencyKey: 'p-3' })).data!.consume;
    expect(next).toMatchObject({ ok: true, entitlement: { used: 1, resetsAt: '2026-02-02T00:00:00.000Z' } });
    const { usage } = await t.admin.request(`{ usage(accountId: "periods", feature: "api_calls") { used periodStart } }`);
    expect(usage).toEqual({ used: 1, periodStart: '2026-02-01T00:00:00.000Z' });
  });
});

describe('reportUsage', () => {
  const REPORT = `mutation ($events: [UsageEventInput!]!) {
    reportUsage(events: $events) { accepted refused duplicates failed results { index idempotencyKey status used code message } }
  }`;

  it('counts each event in the period of its timestamp, with one result per event in order', async () => {
    now = new Date('2026-02-10T12:00:00.000Z');
    const { reportUsage } = await t.as(serverKey).request(REPORT, {
      events: [
        { accountId: 'reports', feature: 'api_calls', amount: 4, idempotencyKey: 'e1', timestamp: '2026-02-09T08:00:00Z' },
        { accountId: 'reports', feature: 'api_calls', amount: 5, idempotencyKey: 'e2', timestamp: '2026-02-10T08:00:00Z' },
        { accountId: 'reports', feature: 'api_calls', amount: 6, idempotencyKey: 'e3', timestamp: '2026-02-10T09:00:00Z' },
        { accountId: 'reports', feature: 'api_calls', amount: 4, idempotencyKey: 'e1', timestamp: '2026-02-09T08:00:00Z' },
        { accountId: 'reports', feature: 'teleport', amount: 1, idempotencyKey: 'e4' },
        { accountId: 'reports', feature: 'seats', amount: 1, idempotencyKey: 'e5' },
        { accountId: 'reports', feature: 'api_calls', amount: 1, idempotencyKey: 'e6' },
      ],
    });
    expect(reportUsage.results.map((result: any) => [result.idempotencyKey, result.status, result.used, result.code])).toEqual([
      ['e1', 'ACCEPTED', 4, null],
      ['e2', 'ACCEPTED', 5, null],
      ['e3', 'REFUSED', 5, 'LIMIT_REACHED'],
      ['e1', 'DUPLICATE', 4, null],
      ['e4', 'FAILED', null, 'UNKNOWN_FEATURE'],
      ['e5', 'FAILED', null, 'FEATURE_NOT_METERED'],
      ['e6', 'ACCEPTED', 6, null],
    ]);
    expect(reportUsage).toMatchObject({ accepted: 3, refused: 1, duplicates: 1, failed: 2 });
    expect(reportUsage.results[4].message).toMatch(/^events\.4: Unknown feature/);
    expect(await counted(t, 'reports', 'api_calls')).toEqual({ used: 10, events: 3 });
  });

  it('refuses a batch over 10,000 events whole', async () => {
    const events = Array.from({ length: 10_001 }, (_, i) => ({ accountId: 'reports', feature: 'api_calls', amount: 1, idempotencyKey: `big-${i}` }));
    const result = await t.as(serverKey).raw(REPORT, { events });
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0]?.message).toMatch(/at most 10000 events/);
    expect((await counted(t, 'reports', 'api_calls')).events).toBe(3);
  });

  it('fails an event dated more than 5 minutes ahead', async () => {
    const { reportUsage } = await t.as(serverKey).request(REPORT, {
      events: [{ accountId: 'reports', feature: 'api_calls', amount: 1, idempotencyKey: 'future', timestamp: '2026-02-10T12:06:00Z' }],
    });
    expect(reportUsage.results[0]).toMatchObject({ status: 'FAILED', code: 'BAD_USER_INPUT' });
  });
});

describe('bad input records nothing', () => {
  const cases: [string, Record<string, unknown>, string, RegExp?][] = [
    ['amount 0', { amount: 0 }, 'BAD_USER_INPUT', /amount: must be at least 1/],
    ['a negative amount', { amount: -3 }, 'QUANTITY_OUT_OF_RANGE', /Quantity cannot represent -3.*from 0 to 9007199254740991/],
    ['a fractional amount', { amount: 1.5 }, 'QUANTITY_OUT_OF_RANGE', /Quantity cannot represent 1.5/],
    ['an amount above 2^53-1', { amount: 2 ** 53 }, 'QUANTITY_OUT_OF_RANGE', /Quantity cannot represent 9007199254740992/],
    ['an empty idempotency key', { idempotencyKey: '' }, 'BAD_USER_INPUT', /idempotencyKey: is required/],
    ['an over-long idempotency key', { idempotencyKey: 'k'.repeat(256) }, 'BAD_USER_INPUT', /at most 255/],
    ['a SWITCH feature', { feature: 'export_csv' }, 'FEATURE_NOT_METERED'],
    ['an unknown feature', { feature: 'teleport' }, 'UNKNOWN_FEATURE'],
    ['an unknown account', { accountId: 'ghost' }, 'ACCOUNT_NOT_FOUND'],
  ];
  it.each(cases)('refuses %s', async (_name, change, code, message) => {
    const before = await counted(t, 'auth', 'api_calls');
    const result = await consume({ accountId: 'auth', feature: 'api_calls', amount: 1, idempotencyKey: `bad-${_name}`, ...change });
    expect(result.errors[0]?.extensions?.code).toBe(code);
    if (message) expect(result.errors[0]?.message).toMatch(message);
    expect(await counted(t, 'auth', 'api_calls')).toEqual(before);
  });

  it('refuses a consume without an idempotency key', async () => {
    const result = await t.as(serverKey).raw(`mutation { consume(input: { accountId: "auth", feature: "api_calls" }) { ok } }`);
    expect(result.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets a server key consume but not a client token', async () => {
    const { createClientToken } = await t.admin.request(`mutation { createClientToken(accountId: "auth") { token } }`);
    const browser = await t.as(createClientToken.token).raw(CONSUME, { input: { accountId: 'auth', feature: 'api_calls', idempotencyKey: 'c-1' } });
    expect(browser.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    const read = await t.as(createClientToken.token).raw(`{ usage(accountId: "auth", feature: "api_calls") { used } }`);
    expect(read.errors).toEqual([]);
    expect(await counted(t, 'auth', 'api_calls')).toEqual({ used: 0, events: 0 });
  });
});
