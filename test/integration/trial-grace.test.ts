import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changePlan, createAccount, createFeature, createPublishedPlan, ENTITLEMENT_QUERY } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

const DAY = 86_400_000;

describe.each(['postgresql', 'embedded'] as const)('a trial and its grace on the %s database', (database) => {
  let t: TestServer;
  let now = new Date('2026-03-01T09:00:00.000Z');

  beforeAll(async () => {
    t = await startTestServer({ database, clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'export_csv', enabled: false }]);
    await t.admin.request(`mutation { createPlan(input: { key: "pro", name: "Pro", rank: 10 }) { key } }`);
    const { createPlanVersion } = await t.admin.request(
      `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" }, trialDays: 14, trialGraceDays: 3,
        entitlements: [{ feature: "export_csv" }] }) { version trialGraceDays } }`,
    );
    expect(createPlanVersion.trialGraceDays).toBe(3);
    await t.admin.request(`mutation { publishPlanVersion(plan: "pro", version: 1) { status } }`);
    await createAccount(t.admin, 'acme');
    await changePlan(t.admin, { accountId: 'acme', plan: 'pro', trial: true });
  });
  afterAll(() => t?.stop());

  const read = async () => {
    const { entitlement } = await t.admin.request(ENTITLEMENT_QUERY, { accountId: 'acme', feature: 'export_csv' });
    const { account, currentPlan } = await t.admin.request(
      `{ account(id: "acme") { subscription { status phase trialEndsAt } } currentPlan(accountId: "acme") { plan { key } subscription { phase inForce } } }`,
    );
    return { entitlement, account, currentPlan };
  };

  it('moves from TRIAL to TRIAL_GRACE at the trial\'s end and to EXPIRED at the grace\'s end, with no job and no write', async () => {
    const trialEndsAt = new Date(now.getTime() + 14 * DAY);

    let state = await read();
    expect(state.entitlement).toMatchObject({ allowed: true, reason: 'TRIAL', expiresAt: trialEndsAt.toISOString() });
    expect(state.account.subscription).toEqual({ status: 'TRIALING', phase: 'TRIAL', trialEndsAt: trialEndsAt.toISOString() });

    now = trialEndsAt;
    state = await read();
    const graceEndsAt = new Date(trialEndsAt.getTime() + 3 * DAY);
    expect(state.entitlement).toMatchObject({ allowed: true, reason: 'TRIAL_GRACE', expiresAt: graceEndsAt.toISOString(), plan: { key: 'pro' } });
    expect(state.account.subscription.phase).toBe('TRIAL_GRACE');
    expect(state.currentPlan).toEqual({ plan: { key: 'pro' }, subscription: { phase: 'TRIAL_GRACE', inForce: true } });

    now = new Date(graceEndsAt.getTime() - 1);
    expect((await read()).entitlement.reason).toBe('TRIAL_GRACE');

    now = graceEndsAt;
    state = await read();
    expect(state.entitlement).toMatchObject({ allowed: false, reason: 'TRIAL_EXPIRED', plan: { key: 'free' } });
    expect(state.account.subscription).toMatchObject({ status: 'TRIALING', phase: 'EXPIRED' });
    expect(state.currentPlan).toEqual({ plan: { key: 'free' }, subscription: { phase: 'EXPIRED', inForce: false } });
  });

  it('refuses grace days outside 0 to 365, saying the range', async () => {
    const result = await t.admin.raw(
      `mutation { createPlanVersion(input: { plan: "pro", price: { amount: 2900, currency: "USD" }, trialGraceDays: 400, entitlements: [] }) { version } }`,
    );
    expect(result.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors[0]?.message).toMatch(/trialGraceDays: must be at most 365/);
  });
});

describe('extending a trial', () => {
  let t: TestServer;
  let now = new Date('2026-03-01T09:00:00.000Z');
  let serverKey: string;

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'export_csv', enabled: false }]);
    await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900, trialDays: 14 }, [{ feature: 'export_csv' }]);
    for (const id of ['running', 'expired', 'paid']) {
      await createAccount(t.admin, id);
      await changePlan(t.admin, { accountId: id, plan: 'pro', trial: id !== 'paid' });
    }
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
  });
  afterAll(() => t?.stop());

  const EXTEND = `mutation ($input: ExtendTrialInput!) { extendTrial(input: $input) { subscription { status phase trialEndsAt } } }`;
  const extend = (accountId: string, endsAt: Date, as = t.admin) =>
    as.raw(EXTEND, { input: { accountId, endsAt: endsAt.toISOString(), reason: 'Evaluation needs another week', approvedBy: 'Dana (sales)' } });
  const reason = async (accountId: string) =>
    (await t.admin.request(ENTITLEMENT_QUERY, { accountId, feature: 'export_csv' })).entitlement;

  it('moves a running trial\'s end, audited with before, after, reason and approver', async () => {
    const endsAt = new Date(now.getTime() + 21 * DAY);
    const result = await extend('running', endsAt);
    expect(result.data!.extendTrial.subscription).toEqual({ status: 'TRIALING', phase: 'TRIAL', trialEndsAt: endsAt.toISOString() });
    expect(await reason('running')).toMatchObject({ reason: 'TRIAL', expiresAt: endsAt.toISOString() });
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "running", first: 1) { edges { node { action reason before after } } } }`);
    const entry = auditLog.edges[0].node;
    expect(entry).toMatchObject({ action: 'subscription.extend_trial', reason: 'Evaluation needs another week' });
    expect(entry.before.trialEndsAt).toBe(new Date(now.getTime() + 14 * DAY).toISOString());
    expect(entry.after).toMatchObject({ trialEndsAt: endsAt.toISOString(), approvedBy: 'Dana (sales)' });
  });

  it('revives an expired trial until the new end', async () => {
    now = new Date(now.getTime() + 15 * DAY);
    expect(await reason('expired')).toMatchObject({ allowed: false, reason: 'TRIAL_EXPIRED' });
    const endsAt = new Date(now.getTime() + 7 * DAY);
    expect((await extend('expired', endsAt)).errors).toEqual([]);
    expect(await reason('expired')).toMatchObject({ allowed: true, reason: 'TRIAL', expiresAt: endsAt.toISOString() });
  });

  it('refuses a paid subscription, an end in the past or before the current one, and anyone but an admin', async () => {
    expect((await extend('paid', new Date(now.getTime() + DAY))).errors[0]?.extensions).toMatchObject({ code: 'NOT_IN_TRIAL', status: 'ACTIVE' });
    const past = await extend('running', new Date(now.getTime() - DAY));
    expect(past.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(past.errors[0]?.message).toMatch(/endsAt: must be in the future/);
    const earlier = await extend('running', new Date(now.getTime() + DAY));
    expect(earlier.errors[0]?.message).toMatch(/endsAt: must be later than the current trial end/);
    expect((await extend('running', new Date(now.getTime() + 60 * DAY), t.as(serverKey))).errors[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('converting a trial, and trials given once per plan', () => {
  let t: TestServer;
  let now = new Date('2026-03-01T09:00:00.000Z');
  let serverKey: string;

  beforeAll(async () => {
    t = await startTestServer({ clock: () => new Date(now) });
    await createFeature(t.admin, { key: 'export_csv', kind: 'SWITCH' });
    await createPublishedPlan(t.admin, { key: 'free', rank: 0, isDefault: true }, [{ feature: 'export_csv', enabled: false }]);
    await createPublishedPlan(t.admin, { key: 'pro', rank: 10, price: 2900, trialDays: 14 }, [{ feature: 'export_csv' }]);
    await createPublishedPlan(t.admin, { key: 'team', rank: 20, price: 9900, trialDays: 14 }, [{ feature: 'export_csv' }]);
    for (const id of ['buyer', 'billed', 'again']) await createAccount(t.admin, id);
    ({ createApiKey: { secret: serverKey } } = await t.admin.request(`mutation { createApiKey(input: { name: "backend", role: SERVER }) { secret } }`));
  });
  afterAll(() => t?.stop());

  const CHANGE = `mutation ($input: ChangePlanInput!) { changePlan(input: $input) { subscription { plan status phase convertedAt } } }`;
  const change = (input: Record<string, unknown>, as = t.as(serverKey)) => as.raw(CHANGE, { input });

  it('converts a trial to ACTIVE with convertedAt when the account pays during it', async () => {
    await change({ accountId: 'buyer', plan: 'pro', trial: true });
    now = new Date(now.getTime() + 5 * DAY);
    const paid = await change({ accountId: 'buyer', plan: 'pro' });
    expect(paid.data!.changePlan.subscription).toEqual({ plan: 'pro', status: 'ACTIVE', phase: 'ACTIVE', convertedAt: now.toISOString() });
    const { auditLog } = await t.admin.request(`{ auditLog(accountId: "buyer", first: 1) { edges { node { before after } } } }`);
    expect(auditLog.edges[0].node.before).toMatchObject({ status: 'TRIALING', convertedAt: null });
    expect(auditLog.edges[0].node.after).toMatchObject({ status: 'ACTIVE', convertedAt: now.toISOString() });
  });

  it('converts a trial when the billing provider reports it ACTIVE', async () => {
    await change({ accountId: 'billed', plan: 'pro', trial: true });
    const { updateSubscriptionStatus } = await t.as(serverKey).request(
      `mutation { updateSubscriptionStatus(input: { accountId: "billed", status: ACTIVE, reason: "invoice paid" }) { subscription { status convertedAt } } }`,
    );
    expect(updateSubscriptionStatus.subscription).toEqual({ status: 'ACTIVE', convertedAt: now.toISOString() });
  });

  it('gives a trial of each plan once: a second is TRIAL_ALREADY_USED, and only an admin may restart it', async () => {
    await change({ accountId: 'again', plan: 'pro', trial: true });
    await change({ accountId: 'again', plan: 'free' });
    const second = await change({ accountId: 'again', plan: 'pro', trial: true });
    expect(second.errors[0]?.extensions).toMatchObject({ code: 'TRIAL_ALREADY_USED', plan: 'pro' });
    expect(second.errors[0]?.message).toMatch(/pass allowTrialRestart: true/);
    const byBackend = await change({ accountId: 'again', plan: 'pro', trial: true, allowTrialRestart: true });
    expect(byBackend.errors[0]?.extensions?.code).toBe('FORBIDDEN');
    // Another plan's trial is its own.
    expect((await change({ accountId: 'again', plan: 'team', trial: true })).data!.changePlan.subscription).toMatchObject({ plan: 'team', phase: 'TRIAL' });
    const restarted = await change({ accountId: 'again', plan: 'pro', trial: true, allowTrialRestart: true, reason: 'sales: second evaluation' }, t.admin);
    expect(restarted.data!.changePlan.subscription).toMatchObject({ plan: 'pro', status: 'TRIALING', phase: 'TRIAL' });
  });
});
